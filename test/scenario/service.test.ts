/**
 * Service targets: the runner starts a command, waits until it answers, samples its process tree
 * while the worker drives HTTP load, and stops it. A Python `http.server` proves it is generic.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, readRunJson, removeTempOuts, ROOT, runFixture } from './helpers.js'
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
    expect(repeat.peakRssBytes).toBe(service.peakTreeRssBytes)
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
