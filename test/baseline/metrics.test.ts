/** Reading each budgeted figure out of a repeat. */
import { describe, expect, it } from 'vitest'
import { METRICS } from '../../src/baseline/metrics/catalogue.js'
import { makeRepeat, MiB } from '../fixtures/gate/runs.js'

describe('metrics', () => {
  it('reads memory figures: peak, swing within a stage, swap, threads, heap after GC', () => {
    const r = makeRepeat(0, { peakRssBytes: 410 * MiB, swingBytes: 30 * MiB, swapBytes: 2 * MiB, threads: 17, heapUsedBytes: 33 * MiB, arrayBuffersBytes: 5 * MiB })
    expect(METRICS.peakRss.read(r)).toBe(410 * MiB)
    // The work stage starts and ends at 250 MiB and peaks at 280 MiB; cycles do not swing.
    expect(METRICS.fluctuation.read(r)).toBe(30 * MiB)
    // Growth from start to end is not fluctuation: only the rise above the higher end counts.
    const grows = makeRepeat(0, { cycleRss: [200, 300, 306].map((m) => m * MiB) })
    const cycle2 = grows.stages.find((s) => s.name === 'cycle-2')!
    cycle2.before = { ...cycle2.before!, rssBytes: 200 * MiB }
    cycle2.peakRssBytes = 320 * MiB
    expect(METRICS.fluctuation.read(grows)).toBe(20 * MiB)
    expect(METRICS.swap.read(r)).toBe(2 * MiB)
    expect(METRICS.threads.read(r)).toBe(17)
    expect(METRICS.heapUsed.read(r)).toBe(33 * MiB)
    expect(METRICS.arrayBuffers.read(r)).toBe(5 * MiB)
  })

  // The definitions are tested with hand-worked values in test/common/run-figures.test.ts; here,
  // that the catalogue reads them from run.json's repeats.
  it('measures drift along a line through the cycles, the first (warm-up) cycle left out', () => {
    const driftOf = METRICS.drift.read
    // 200 (warm-up), then 300 → 306 → 312: +12 over 300 = 4%.
    expect(driftOf(makeRepeat(0, { cycleRss: [200, 300, 306, 312].map((m) => m * MiB) }))).toBeCloseTo(0.04, 10)
    // With two cycles both count.
    expect(driftOf(makeRepeat(0, { cycleRss: [300, 303].map((m) => m * MiB) }))).toBeCloseTo(0.01, 10)
    expect(driftOf(makeRepeat(0, { cycleRss: [300 * MiB] }))).toBeNull()
    // Flat after warm-up: no drift, whatever the first cycle did.
    expect(driftOf(makeRepeat(0, { cycleRss: [100, 300, 300, 300].map((m) => m * MiB) }))).toBe(0)
  })

  it('reads speed from the work stages and accuracy from stage metrics', () => {
    const r = makeRepeat(0, { ops: { count: 50, durationMs: 20_000, p95: 900 }, metrics: { cer: 0.04, meanConfidence: 0.91, fieldAccuracy: 0.8 } })
    expect(METRICS.throughput.read(r)).toBe(2.5)
    expect(METRICS.p95Latency.read(r)).toBe(900)
    expect(METRICS.cer.read(r)).toBe(0.04)
    expect(METRICS.confidence.read(r)).toBe(0.91)
    expect(METRICS.fieldAccuracy.read(r)).toBe(0.8)
    // `confidence` (the startup scenario's first page) when no stage reports `meanConfidence`.
    expect(METRICS.confidence.read(makeRepeat(0, { metrics: { confidence: 0.7 } }))).toBe(0.7)
    expect(METRICS.cer.read(makeRepeat(0))).toBeNull()
  })
})
