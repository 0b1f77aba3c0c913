import { describe, expect, it } from 'vitest'
import { latencyStats, MAX_KEPT_LATENCIES, OpRecorder } from '../../src/scenario/op-recorder.js'

describe('OpRecorder', () => {
  it('computes hand-worked latency statistics and throughput', () => {
    const r = new OpRecorder()
    for (const ms of [4, 1, 3, 2, 10]) r.record(ms, ms !== 10, ms === 10 ? new Error('slow') : undefined)
    const s = r.stats(500)
    expect(s).toMatchObject({ count: 5, errors: 1, durationMs: 500, throughputPerSec: 10, source: 'op', errorMessages: ['slow'] })
    // Sorted 1 2 3 4 10: p50 = 3; p95 at rank 3.8 = 4 + 0.8 * 6 = 8.8; p99 at rank 3.96 = 9.76.
    expect(s.latencyMs).toMatchObject({ p50: 3, mean: 4, min: 1, max: 10 })
    expect(s.latencyMs?.p95).toBeCloseTo(8.8, 10)
    expect(s.latencyMs?.p99).toBeCloseTo(9.76, 10)
  })
  it('keeps the first few distinct error messages only', () => {
    const r = new OpRecorder()
    for (let i = 0; i < 20; i++) r.record(1, false, new Error(`e${i % 7}`))
    r.record(1, false)
    expect(r.stats(1).errorMessages).toEqual(['e0', 'e1', 'e2', 'e3', 'e4'])
    expect(r.stats(1).errors).toBe(21)
  })
  it('has no latency for a stage without ops', () => {
    expect(new OpRecorder().stats(10)).toMatchObject({ count: 0, throughputPerSec: 0, latencyMs: null })
    expect(latencyStats([])).toBeNull()
  })
  it('keeps a bounded reservoir but counts every op', () => {
    const r = new OpRecorder()
    const n = MAX_KEPT_LATENCIES + 50_000
    for (let i = 0; i < n; i++) r.record(i < MAX_KEPT_LATENCIES ? 1 : 3, true)
    const s = r.stats(1000)
    expect(s.count).toBe(n)
    expect(s.latencyMs?.min).toBe(1)
    // A third of the ops took 3 ms; an unbiased reservoir keeps about a third of them.
    expect(s.latencyMs?.mean).toBeGreaterThan(1.5)
    expect(s.latencyMs?.mean).toBeLessThan(1.8)
  })
})
