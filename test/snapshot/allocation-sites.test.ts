import { describe, expect, it } from 'vitest'
import { aggregateSites, DEFAULT_SAMPLING_INTERVAL_BYTES, sampleAllocations, type SamplingProfileNode } from '../../src/snapshot/index.js'

const retained: unknown[] = []

/** Keeps ~10 MB alive: 100,000 × (a 3-field object and a 1-element array). */
function plantRetained(): number {
  for (let i = 0; i < 100_000; i++) retained.push({ a: i, b: i + 1, c: [i] })
  return retained.length
}

/** Allocates ~40 MB that dies at once. */
function makeGarbage(): number {
  let sum = 0
  for (let i = 0; i < 50_000; i++) sum += new Array(100).fill(i).length
  return sum
}

describe('sampleAllocations', () => {
  it('attributes live memory to the function that allocated it, and drops garbage', async () => {
    const profile = await sampleAllocations(
      () => {
        makeGarbage()
        return plantRetained()
      },
      { samplingIntervalBytes: 32 * 1024 },
    )
    expect(profile.result).toBe(100_000)
    expect(profile.samplingIntervalBytes).toBe(32 * 1024)
    const top = profile.sites[0]!
    expect(top.functionName).toBe('plantRetained')
    expect(top.url).toContain('allocation-sites.test.ts')
    expect(top.line).toBeGreaterThan(1)
    expect(top.samples).toBeGreaterThan(10)
    // Sampling estimates: the ~10 MB kept alive, give or take sampling noise and layout.
    expect(top.liveBytes).toBeGreaterThan(4 * 1024 * 1024)
    expect(top.liveBytes).toBeLessThan(25 * 1024 * 1024)
    const garbage = profile.sites.find((s) => s.functionName === 'makeGarbage')
    expect(garbage?.liveBytes ?? 0).toBeLessThan(1024 * 1024)
    expect(profile.totalLiveBytes).toBeGreaterThanOrEqual(top.liveBytes)
    retained.length = 0
  })

  it('propagates the function’s error after stopping the profiler', async () => {
    await expect(sampleAllocations(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    // A second session can start sampling again, so the first one was stopped.
    const again = await sampleAllocations(() => 42)
    expect(again.result).toBe(42)
    expect(again.samplingIntervalBytes).toBe(DEFAULT_SAMPLING_INTERVAL_BYTES)
  })
})

describe('aggregateSites', () => {
  const frame = (functionName: string, lineNumber: number) => ({ functionName, url: 'file:///app.js', lineNumber, columnNumber: 4 })
  const node = (id: number, functionName: string, line: number, selfSize: number, children: SamplingProfileNode[] = []): SamplingProfileNode => ({
    id,
    callFrame: frame(functionName, line),
    selfSize,
    children,
  })

  it('sums the same frame reached through different stacks, largest first, with 1-based positions', () => {
    const head = node(1, '(root)', -1, 0, [node(2, 'main', 0, 0, [node(3, 'cache', 9, 3000), node(4, 'parse', 19, 1000, [node(5, 'cache', 9, 2000)])]), node(6, '', 29, 500)])
    const samples = [3, 3, 3, 4, 5, 5, 6].map((nodeId, ordinal) => ({ size: 1000, nodeId, ordinal }))
    const { sites, totalLiveBytes } = aggregateSites({ head, samples })
    expect(totalLiveBytes).toBe(6500)
    expect(sites).toEqual([
      { functionName: 'cache', url: 'file:///app.js', line: 10, column: 5, liveBytes: 5000, samples: 5 },
      { functionName: 'parse', url: 'file:///app.js', line: 20, column: 5, liveBytes: 1000, samples: 1 },
      { functionName: '(anonymous)', url: 'file:///app.js', line: 30, column: 5, liveBytes: 500, samples: 1 },
    ])
  })
})
