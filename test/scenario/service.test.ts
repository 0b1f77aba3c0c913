/**
 * Service targets: the runner starts a command, waits until it answers, samples its process tree
 * while the worker drives HTTP load, and stops it. A Python `http.server` proves it is generic.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, readRunJson, removeTempOuts, ROOT, runFixture, tempOut } from './helpers.js'
import { jsonLineEvents } from '../../src/scenario/index.js'

const FIXTURE = join(ROOT, 'test', 'fixtures', 'service-python')

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

describe('service targets', () => {
  it('run a Python http.server as the target: tree timeline, processes, HTTP figures', async () => {
    const outcome = await runFixture([join(FIXTURE, 'scenario.ts')], { params: [{ scenario: 'service-python', key: 'requests', value: '20' }], intervalMs: 50 })
    const repeat = readRunJson(outcome.file).scenarios[0]!.repeats[0]!
    expect(repeat.state).toBe('completed')
    const service = repeat.service!
    expect(service.command[1]).toBe('-u')
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(service.endedByRunner).toBe(true)
    expect(service.readyMs).toBeGreaterThan(0)
    // The timeline is the service's (a Python of a few MiB), not the Node worker that drove the load.
    expect(service.driverPeakRssBytes).toBeGreaterThan(service.peakTreeRssBytes!)
    // peakRss is one process's (VmHWM), the tree's sum is kept apart.
    expect(repeat.peakRssBytes).toBeGreaterThan(0)
    expect(repeat.peakRssBytes).toBeLessThanOrEqual(Math.max(service.peakTreeRssBytes!, repeat.processes![0]!.timeline.at(-1)!.peakRssBytes!))
    expect(repeat.timeline.length).toBeGreaterThan(3)
    expect(repeat.processes!.find((p) => p.pid === service.pid)).toMatchObject({ role: 'primary', endedAtMs: expect.any(Number) })
    expect(repeat.processes![0]!.command).toContain('server.py')
    const get = repeat.stages.find((s) => s.name === 'get')!
    expect(get.http).toMatchObject({ ok: 20, non2xx: 0, errors: 0, timeouts: 0, statusCounts: { '200': 20 }, connections: 2 })
    expect(get.ops).toMatchObject({ count: 20, errors: 0 })
    expect(get.http!.okLatencyMs!.p99).toBeGreaterThan(0)
    // Stage figures are the tree's: its before/after carry no V8 heap (another process's).
    expect(get.before!.heapUsedBytes).toBeNull()
    expect(get.peakRssSource).toBe('timeline')
    const missing = repeat.stages.find((s) => s.name === 'missing')!
    expect(missing.http!.statusCounts['404']).toBeGreaterThan(0)
    // 404 was expected: not an op error.
    expect(missing.ops.errors).toBe(0)
    expect(repeat.events!.some((e) => e.kind === 'kill' && e.pid === service.pid)).toBe(true)
  }, 90_000)

  it('fail the repeat with the command’s stderr when the service exits before it is ready', async () => {
    const outcome = await runFixture([join(FIXTURE, 'never-ready.ts')])
    const repeat = readRunJson(outcome.file).scenarios[0]!.repeats[0]!
    expect(repeat.state).toBe('failed')
    expect(repeat.failure!.message).toMatch(/exited before it was ready \(exit code 3\)\. Its stderr ended with:\ncannot bind: no such database/)
    expect(repeat.failure!.stderrTail).toContain('cannot bind')
    expect(outcome.failedRepeats).toBe(1)
  }, 60_000)

  it('read JSON lifecycle lines into tree events', () => {
    const read = jsonLineEvents({ kinds: { 'worker-retire': 'recycle' } })
    expect(read('{"atMs":5,"event":"worker-retire","pid":42,"reason":"max-requests","requests":7}')).toEqual({ atMs: 5, kind: 'recycle', pid: 42, message: 'worker-retire 42 (reason=max-requests requests=7)' })
    expect(read('{"atMs":5,"event":"worker-ready","pid":42}')).toBeNull()
    expect(read('listening on 8080')).toBeNull()
  })
})

describe('built-in service scenarios', () => {
  it('start memgate serve on the port the runner picked, wait for /healthz and read its lifecycle lines', async () => {
    const { loadScenarios } = await import('../../src/scenario/harness.js')
    const loaded = await loadScenarios(['service-load', 'service-soak', 'service-stress', 'service-data'])
    for (const { scenario } of loaded) {
      const service = scenario.service!
      expect(service.ready).toEqual({ http: '/healthz' })
      const params = Object.fromEntries(Object.entries(scenario.params ?? {}).map(([k, v]) => [k, v.default]))
      const argv = typeof service.command === 'function' ? service.command({ params: params as never, port: 4321, host: '127.0.0.1', workDir: tempOut(), variant: null, repeat: 0 }) : service.command
      expect(argv.slice(1, 5)).toEqual([join(ROOT, 'bin', 'memgate.js'), 'serve', '--port', '4321'])
      expect(service.events?.('{"atMs":1,"event":"worker-retire","pid":7,"reason":"max-requests"}', 'stderr')).toMatchObject({ kind: 'recycle', pid: 7 })
    }
    expect(loaded.find((l) => l.scenario.name === 'service-soak')!.scenario.service!.command).toBeTypeOf('function')
  })
})

describe('service declarations', () => {
  it('are checked when the scenario is defined', async () => {
    const { defineScenario } = await import('../../src/scenario/index.js')
    const stages = [{ name: 'x', kind: 'work' as const, run() {} }]
    expect(() => defineScenario({ name: 'bad-service', description: 'd', service: { command: [] }, stages })).toThrow(/service\.command must be a non-empty array of strings/)
    expect(() => defineScenario({ name: 'bad-ready', description: 'd', service: { command: ['x'], ready: { url: '/' } as never }, stages })).toThrow(/service\.ready must be \{ http: '\/path' \} or \{ tcp: true \}/)
    expect(() => defineScenario({ name: 'bad-timeout', description: 'd', service: { command: ['x'], readyTimeoutMs: -1 }, stages })).toThrow(/service\.readyTimeoutMs must be a non-negative number of ms, not -1/)
  })
})
