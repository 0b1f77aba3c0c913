/** The runner end to end on tiny fixture scenarios: what a completed run records. */
import { existsSync, readlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { endGapMs, ensureBuilt, readRunJson, runFixture, removeTempOuts } from './helpers.js'

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

describe('runScenarios', () => {
  it('records every stage of a completed run with GC-settled samples, ops, metrics and settings', async () => {
    const events: string[] = []
    const outcome = await runFixture(['trivial.ts'], {
      repeat: 2,
      params: [{ scenario: 'trivial', key: 'ops', value: '30' }],
      env: { UV_THREADPOOL_SIZE: '3' },
      nodeFlags: ['--stack-size=900'],
      onEvent: (e) => events.push(e.type === 'stage-start' || e.type === 'stage-end' ? `${e.type}:${e.stage}` : e.type),
    })
    expect(outcome.failedRepeats).toBe(0)
    const scenario = outcome.run.scenarios[0]
    expect(scenario).toMatchObject({ name: 'trivial', variant: null, params: { ops: 30, label: 'x', slow: false } })
    // prepare ran here, in the runner's process; setup ran in the worker.
    expect(scenario?.settings).toMatchObject({ fixture: 'trivial', label: 'x', preparedBy: process.pid })
    expect(scenario?.settings.workerPid).toBe(scenario?.repeats[0]?.pid)
    expect(scenario?.repeats.map((r) => [r.index, r.pass, r.state])).toEqual([
      [0, 'measure', 'completed'],
      [1, 'measure', 'completed'],
    ])
    const [first, second] = scenario?.repeats ?? []
    // Each repeat is a fresh process.
    expect(first?.pid).not.toBe(second?.pid)
    expect(first?.nodeFlags).toEqual(['--expose-gc', '--max-semi-space-size=2', '--stack-size=900', '--import', expect.stringContaining('tsx')])
    expect(first?.loader).toBe('tsx')
    expect(first?.env).toMatchObject({ MALLOC_ARENA_MAX: '2', UV_THREADPOOL_SIZE: '3' })
    expect(first?.stages.map((s) => [s.name, s.kind, s.state])).toEqual([
      ['setup', 'setup', 'completed'],
      ['join', 'work', 'completed'],
      ['recorded', 'cycle', 'completed'],
      ['teardown', 'teardown', 'completed'],
    ])
    const join1 = first?.stages[1]
    expect(join1?.ops).toMatchObject({ count: 31, errors: 1, source: 'op', errorMessages: ['counted, not thrown'] })
    expect(join1?.ops.latencyMs?.p50).toBeGreaterThanOrEqual(0)
    expect(join1?.metrics).toEqual({ kept: 30 })
    expect(join1?.before?.heapUsedBytes).toBeGreaterThan(0)
    expect(join1?.after?.pid).toBe(first?.pid)
    // VmHWM was reset at the stage's start, so the stage has its own exact peak.
    expect(join1?.peakRssSource).toBe('vmhwm')
    expect(join1?.peakRssBytes).toBeGreaterThanOrEqual(join1?.after?.rssBytes ?? Infinity)
    const recorded = first?.stages[2]
    expect(recorded?.ops.count).toBe(5)
    expect(recorded?.ops.latencyMs).toMatchObject({ min: 1, max: 5, mean: 3, p50: 3 })
    expect(recorded?.metrics).toEqual({ ratio: 0.25 })
    expect(first?.timeline.length).toBeGreaterThan(3)
    // The sampler ran past the work: its last sample comes after the last stage ended (how long
    // after the worker's exit it is taken depends on the machine's load, so no milliseconds here).
    expect(first!.timeline.at(-1)!.atMs).toBeGreaterThanOrEqual(first!.stages.at(-1)!.endedAtMs!)
    expect(endGapMs(first!)).toBeGreaterThanOrEqual(0)
    expect(first?.peakRssBytes).toBeGreaterThanOrEqual(Math.max(...(first?.stages.map((s) => s.peakRssBytes ?? 0) ?? [])))
    // The host's speed, timed in the worker after teardown (measuring pass: before setup, after teardown): five bursts at each end, in CPU time.
    expect(first?.speedReference?.workload).toMatch(/^sort 8192 f64 .* process CPU$/)
    expect(first?.speedReference?.cpuMs).toHaveLength(10)
    expect(Math.min(...first!.speedReference!.cpuMs)).toBeGreaterThan(0)
    expect(events.filter((e) => e === 'repeat-start')).toHaveLength(2)
    expect(events).toContain('stage-end:recorded')

    const onDisk = readRunJson(outcome.file)
    expect(onDisk.id).toBe(outcome.run.id)
    expect(onDisk.options).toEqual({ repeat: 2, snapshots: null, timeoutMs: 30_000, intervalMs: 20, memoryLimitBytes: null })
    expect(onDisk.environment.node).toBe(process.versions.node)
    expect(onDisk.environment.cpuCount).toBeGreaterThan(0)
    expect(readlinkSync(join(dirname(outcome.dir), 'latest'))).toBe(outcome.run.id)
  })

  it('rejects parameters no selected scenario declares before starting any process', async () => {
    await expect(runFixture(['trivial.ts'], { params: [{ scenario: null, key: 'opz', value: '3' }] })).rejects.toThrow(/No selected scenario has a parameter 'opz'/)
    await expect(runFixture(['trivial.ts'], { params: [{ scenario: null, key: 'ops', value: 'many' }] })).rejects.toThrow(/expects a number but received "many"/)
  })

  it('runs a micro-benchmark stage through tinybench', async () => {
    const outcome = await runFixture(['bench.ts'])
    const stage = outcome.run.scenarios[0]?.repeats[0]?.stages.find((s) => s.name === 'hash')
    expect(stage?.ops.source).toBe('tinybench')
    expect(stage?.ops.count).toBeGreaterThanOrEqual(50)
    expect(stage?.ops.throughputPerSec).toBeGreaterThan(0)
    const lat = stage?.ops.latencyMs
    expect(lat && lat.min <= lat.p50 && lat.p50 <= lat.p95 && lat.p95 <= lat.p99 && lat.p99 <= lat.max).toBe(true)
    expect(existsSync(outcome.file)).toBe(true)
  })
})
