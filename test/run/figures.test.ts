/** The run figures the gate and the report share, against hand-worked values. */
import { describe, expect, it } from 'vitest'
import { cycleRssOf, driftOf, fluctuationOf, maxTimeline, p95LatencyOf, retainedRssOf, throughputOf, workOpsOf, worstLatencyOf, type FigureRepeat, type FigureStage } from '../../src/run/figures.js'

const MiB = 1024 * 1024
const noOps: FigureStage['ops'] = { count: 0, errors: 0, durationMs: 0, latencyMs: null }

/** A stage from t0 to t0 + 1000 ms: RSS (MiB) at its start and end (after GC) and its peak. */
function stage(kind: string, t0: number, beforeMiB: number | null, afterMiB: number | null, peakMiB: number | null, ops: FigureStage['ops'] = noOps): FigureStage {
  return {
    kind,
    state: 'completed',
    startedAtMs: t0,
    endedAtMs: t0 + 1000,
    before: beforeMiB === null ? null : { atMs: t0, rssBytes: beforeMiB * MiB },
    after: afterMiB === null ? null : { atMs: t0 + 1000, rssBytes: afterMiB * MiB },
    peakRssBytes: peakMiB === null ? null : peakMiB * MiB,
    ops,
  }
}

const repeat = (stages: FigureStage[], timeline: FigureRepeat['timeline'] = []): FigureRepeat => ({ endedAtMs: 10_000, timeline, stages })
const cycles = (afterMiB: number[]): FigureRepeat => repeat(afterMiB.map((a, i) => stage('cycle', i * 1000, a, a, a)))

describe('fluctuationOf', () => {
  it('counts the rise above the higher end of a stage, not growth between its ends', () => {
    // 200 → 300 MiB with a peak of 300: all growth, no transient rise. Old "peak − lowest" said 100.
    expect(fluctuationOf(repeat([stage('work', 0, 200, 300, 300)]))).toBe(0)
    // 200 → 300 MiB, peaking at 320: 320 − max(200, 300) = 20 MiB.
    expect(fluctuationOf(repeat([stage('work', 0, 200, 300, 320)]))).toBe(20 * MiB)
    // Shrinking works the same way: 300 → 250 peaking at 330 rose 330 − 300 = 30 MiB.
    expect(fluctuationOf(repeat([stage('cycle', 0, 300, 250, 330)]))).toBe(30 * MiB)
  })

  it('takes the largest stage, the timeline where it saw higher, and skips startup stages', () => {
    const r = repeat(
      [
        // Startup grows on purpose: 50 → 260 peaking at 400 would be 140 MiB, but does not count.
        stage('startup', 0, 50, 260, 400),
        // Peak unknown to VmHWM (null): the timeline's 290 within it gives 290 − 270 = 20 MiB.
        stage('work', 1000, 260, 270, null),
        // VmHWM 280, but the parent sampled 305 inside the stage: 305 − 270 = 35 MiB.
        stage('idle', 2000, 270, 265, 280),
      ],
      [
        { atMs: 1500, rssBytes: 290 * MiB },
        { atMs: 2500, rssBytes: 305 * MiB },
        // Outside every stage: ignored.
        { atMs: 9000, rssBytes: 900 * MiB },
      ],
    )
    expect(fluctuationOf(r)).toBe(35 * MiB)
    expect(fluctuationOf(repeat([stage('setup', 0, 10, 20, 30)]))).toBeNull()
  })
})

describe('driftOf', () => {
  it('fits a line through the cycles after the first once there are three or more', () => {
    // 200 (warm-up, left out), then 300 → 306 → 312: slope 6 per cycle × 2 cycles / 300 = 4%.
    expect(driftOf(cycles([200, 300, 306, 312]))).toBeCloseTo(0.04, 12)
    // Three cycles: 500 (left out), 400, 404 → 4 / 400 = 1%, not the fall from 500.
    expect(driftOf(cycles([500, 400, 404]))).toBeCloseTo(0.01, 12)
    // Flat after warm-up: no drift, whatever the first cycle did.
    expect(driftOf(cycles([100, 300, 300, 300]))).toBe(0)
    // A Theil–Sen line, not last − first (which says 12 / 300 = 4%): after the warm-up 250, ys 300,
    // 309, 303, 312 at xs 0..3; pairwise slopes 9, 1.5, 4, −6, 1.5, 9 → median (1.5 + 4) / 2 = 2.75;
    // intercept median(300, 306.25, 297.5, 303.75) = 301.875; drift 2.75·3 / 301.875 ≈ 2.73%.
    expect(driftOf(cycles([250, 300, 309, 303, 312]))).toBeCloseTo(8.25 / 301.875, 12)
  })

  it('reads a step then a plateau as the plateau, and a steady leak through an outlier', () => {
    // ys 210, 217, 218 ×5 (xs 0..6): 21 pairwise slopes, 10 of them 0 (the plateau), then 0.2, 0.25,
    // … → median (11th) 0.2; intercept median(210, 216.8, 217.6, 217.4, 217.2, 217.0, 216.8) = 217.0;
    // drift 0.2·6 / 217 ≈ 0.55% (a least-squares line says 2.7%).
    expect(driftOf(cycles([200, 210, 217, 218, 218, 218, 218, 218]))).toBeCloseTo(1.2 / 217, 12)
    // +3 per cycle with one sample at 330 instead of 309: slopes 3 ×6, 10, 13.5, 24, −18 → median 3;
    // intercept median(300, 300, 300, 321, 300) = 300; drift 3·4 / 300 = 4%, the leak's own rate.
    expect(driftOf(cycles([200, 300, 303, 306, 330, 312]))).toBeCloseTo(0.04, 12)
  })

  it('uses both cycles when there are two, and needs two', () => {
    expect(driftOf(cycles([300, 303]))).toBeCloseTo(0.01, 12)
    expect(driftOf(cycles([300]))).toBeNull()
    expect(driftOf(repeat([stage('work', 0, 300, 330, 330)]))).toBeNull()
  })

  it('reads completed cycles with an after-GC figure only', () => {
    const failed: FigureStage = { ...stage('cycle', 1000, 300, 303, 303), state: 'failed' }
    const died = stage('cycle', 3000, 306, null, 310)
    const r = repeat([stage('cycle', 0, 300, 300, 300), failed, stage('work', 2000, 303, 350, 350), stage('cycle', 2000, 303, 306, 306), died])
    expect(cycleRssOf(r)).toEqual([300 * MiB, 306 * MiB])
  })
})

describe('throughput and latency', () => {
  it('pools the work stages: total operations over total time', () => {
    const r = repeat([
      stage('setup', 0, 50, 60, 60, { count: 1, errors: 0, durationMs: 100, latencyMs: { p50: 100, p95: 100, p99: 100 } }),
      stage('work', 1000, 60, 60, 60, { count: 30, errors: 2, durationMs: 10_000, latencyMs: { p50: 200, p95: 300, p99: 400 } }),
      stage('bench', 2000, 60, 60, 60, { count: 2, errors: 0, durationMs: 6_000, latencyMs: { p50: 2000, p95: 2900, p99: 3000 } }),
    ])
    // (30 + 2) ops / 16 s = 2/s; the mean of the stage rates (3/s and 0.33/s) would say 1.67.
    expect(throughputOf(r)).toBe(2)
    expect(workOpsOf(r)).toEqual({ count: 32, errors: 2, durationMs: 16_000 })
    expect(worstLatencyOf(r)).toEqual({ p50: 2000, p95: 2900, p99: 3000 })
    expect(p95LatencyOf(r)).toBe(2900)
    expect(throughputOf(repeat([stage('work', 0, 1, 1, 1)]))).toBeNull()
    expect(p95LatencyOf(repeat([stage('work', 0, 1, 1, 1)]))).toBeNull()
  })
})

describe('maxTimeline', () => {
  it('is the largest non-null figure, or null', () => {
    const timeline = [{ threads: 11 }, { threads: null }, { threads: 17 }, { threads: 14 }]
    expect(maxTimeline({ timeline }, (s) => s.threads)).toBe(17)
    expect(maxTimeline({ timeline: [{ threads: null }] }, (s) => s.threads)).toBeNull()
  })
})

describe('retainedRssOf', () => {
  it('reads the after-GC RSS of the last completed stage before teardown', () => {
    const failedLast = { ...stage('work', 2000, 260, 999, 320), state: 'failed' }
    const r = repeat([stage('startup', 0, 50, 240, 250), stage('work', 1000, 240, 262, 320), failedLast, stage('teardown', 3000, 262, 120, 262)])
    expect(retainedRssOf(r)).toBe(262 * MiB)
    // No after-sample there: unknown, not 0.
    expect(retainedRssOf(repeat([stage('work', 0, 240, null, 300)]))).toBeNull()
    expect(retainedRssOf(repeat([stage('teardown', 0, 240, 100, 240)]))).toBeNull()
  })
})
