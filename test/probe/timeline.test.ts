import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { emptySample } from '../../src/probe/empty-sample.js'
import { sampleSelf } from '../../src/probe/sample-self.js'
import { createTimeline } from '../../src/probe/timeline.js'
import type { MemorySample } from '../../src/probe/types.js'

const run = promisify(execFile)

/** A synthetic sample whose RSS is given; `atMs` follows the (fake) clock. */
function synthetic(rssBytes: number | null): MemorySample {
  const s = emptySample(1, Date.now())
  s.rssBytes = rssBytes
  return s
}

describe('createTimeline with a fake clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('stays within maxSamples over 100,000 samples and reports the true peak', async () => {
    let n = 0
    // RSS wobbles on a sawtooth; one sample at an odd position is the peak.
    const source = () => synthetic(n++ === 54_321 ? 900 : 100 + (n % 50))
    const timeline = createTimeline(source, { intervalMs: 10, maxSamples: 2000 })
    timeline.start() // first sample now
    vi.advanceTimersByTime(10 * 99_998) // 99,998 ticks
    const samples = await timeline.stop() // + the final sample
    expect(timeline.count).toBe(100_000)
    expect(samples.length).toBeLessThanOrEqual(2000)
    expect(timeline.peakRssBytes).toBe(900)
    expect(samples.some((s) => s.rssBytes === 900)).toBe(true)
    expect(samples[0]?.atMs).toBe(0)
    expect(samples.at(-1)).toBe(timeline.last())
    expect(timeline.effectiveIntervalMs).toBe(640)
    const times = samples.map((s) => s.atMs)
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('skips ticks while an asynchronous sample is still running, instead of queueing them', async () => {
    const pending: ((s: MemorySample) => void)[] = []
    const source = vi.fn(() => new Promise<MemorySample | null>((resolve) => pending.push(resolve)))
    const timeline = createTimeline(source, { intervalMs: 10 })
    timeline.start()
    vi.advanceTimersByTime(50) // five ticks while the first read hangs
    expect(source).toHaveBeenCalledTimes(1)
    expect(timeline.skippedTicks).toBe(5)
    pending.shift()!(synthetic(1))
    await vi.advanceTimersByTimeAsync(10) // the next tick samples again
    expect(source).toHaveBeenCalledTimes(2)
    pending.shift()!(synthetic(2))
    const stopping = timeline.stop()
    await vi.advanceTimersByTimeAsync(0)
    pending.shift()!(synthetic(3)) // the final sample taken by stop()
    const samples = await stopping
    expect(samples.map((s) => s.rssBytes)).toEqual([1, 2, 3])
    expect(timeline.count).toBe(3)
  })

  it('counts null results as missed, keeps errors, and calls onSample for every sample', async () => {
    const seen: number[] = []
    let n = 0
    const source = () => {
      n++
      if (n === 2) return null
      if (n === 3) throw new Error('probe broke')
      return synthetic(n)
    }
    const timeline = createTimeline(source, { intervalMs: 5, onSample: (s) => seen.push(s.rssBytes ?? -1) })
    timeline.start()
    vi.advanceTimersByTime(15)
    await timeline.stop()
    expect(seen).toEqual([1, 4, 5])
    expect(timeline.missedTicks).toBe(1)
    expect(timeline.lastError?.message).toBe('probe broke')
    expect(timeline.count).toBe(3)
  })

  it('stops sampling after stop() and does not start twice', async () => {
    const source = vi.fn(() => synthetic(1))
    const timeline = createTimeline(source, { intervalMs: 10 })
    timeline.start()
    timeline.start()
    vi.advanceTimersByTime(30)
    await timeline.stop()
    const calls = source.mock.calls.length
    expect(calls).toBe(5) // start + 3 ticks + final
    vi.advanceTimersByTime(100)
    expect(source).toHaveBeenCalledTimes(calls)
  })

  it('lets a second stop() wait for the final sample too', async () => {
    const pending: ((s: MemorySample) => void)[] = []
    const timeline = createTimeline(() => new Promise<MemorySample | null>((resolve) => pending.push(resolve)), { intervalMs: 10 })
    timeline.start()
    pending.shift()!(synthetic(1))
    await vi.advanceTimersByTimeAsync(0)
    const first = timeline.stop()
    const second = timeline.stop()
    await vi.advanceTimersByTimeAsync(0)
    pending.shift()!(synthetic(2)) // the final sample
    expect((await first).map((s) => s.rssBytes)).toEqual([1, 2])
    expect((await second).map((s) => s.rssBytes)).toEqual([1, 2])
  })

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects intervalMs %s', (intervalMs) => {
    expect(() => createTimeline(() => null, { intervalMs })).toThrow(ConfigError)
  })

  it('rejects a maxSamples too small to keep first, last and peak', () => {
    expect(() => createTimeline(() => null, { intervalMs: 10, maxSamples: 3 })).toThrow(/at least 8 for maxSamples/)
  })
})

describe('createTimeline on the real clock', () => {
  it('samples this process every few ms', async () => {
    const timeline = createTimeline(() => sampleSelf({ heapSpaces: false }), { intervalMs: 5 })
    timeline.start()
    await new Promise((resolve) => setTimeout(resolve, 120))
    const samples = await timeline.stop()
    // ≥ 5 rather than ~24: a loaded 2-core CI box delays timers a lot.
    expect(samples.length).toBeGreaterThanOrEqual(5)
    expect(timeline.peakRssBytes).toBe(Math.max(...samples.map((s) => s.rssBytes ?? 0)))
    expect(samples.every((s) => s.pid === process.pid && s.rssBytes !== null)).toBe(true)
  })

  it('never keeps the process alive by itself (the timer is unref()ed)', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/unref-timeline.ts', import.meta.url))
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture], { timeout: 20_000 })
    // Exited by itself (execFile resolves only on exit, and would time out otherwise) after sampling.
    expect(Number(/samples:(\d+)/.exec(stdout)?.[1])).toBeGreaterThan(1)
  })
})
