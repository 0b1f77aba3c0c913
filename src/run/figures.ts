/**
 * The figures of one measuring repeat that both the gate (`src/baseline/metrics`) and the report
 * (`src/report/model`) print: throughput, slowest latency, drift across cycles, fluctuation within
 * a stage, timeline maxima. One definition, so `memgate check` and `memgate report` always agree
 * on a number. Declared over the few fields they read (structural types below), so a caller
 * holding a partial repeat (a test, a bench) can use them: `RepeatResult` from ./schema.ts
 * satisfies {@link FigureRepeat} as it is.
 */
import { median, theilSen } from '../common/stats.js'

/** The fields of a memory sample the figures read (a `MemorySampleRecord` of run.json). */
export interface FigureSample {
  atMs: number
  /** Null where the platform could not give it. */
  rssBytes: number | null
  /** CPU time of the process so far, ms (user and system); absent or null where not recorded. */
  cpuUserMs?: number | null
  cpuSystemMs?: number | null
}

/** Latency percentiles of a stage's operations, ms. */
export interface FigureLatency {
  p50: number
  p95: number
  p99: number
}

/** The fields of a stage the figures read (a `StageResult` of run.json). */
export interface FigureStage {
  /** `setup`, `startup`, `work`, `cycle`, `bench`, `idle` or `teardown`. */
  kind: string
  state: string
  startedAtMs: number
  /** Null when the process died inside the stage. */
  endedAtMs: number | null
  /** Taken in the worker after a full GC at the stage's start and end. */
  before: FigureSample | null
  after: FigureSample | null
  /** VmHWM after a per-stage reset, else the timeline's maximum within the stage. */
  peakRssBytes: number | null
  ops: { count: number; errors: number; durationMs: number; latencyMs: FigureLatency | null }
}

/** The fields of a repeat the figures read (a `RepeatResult` of run.json). */
export interface FigureRepeat {
  endedAtMs: number
  /** Sampled by the parent on its own clock. */
  timeline: readonly FigureSample[]
  stages: readonly FigureStage[]
  /** The host's speed reference the worker timed at both ends of the repeat; absent in older runs and other passes. */
  speedReference?: { workload: string; cpuMs: readonly number[] }
}

/**
 * Stage kinds whose operations are the workload. Setup, startup and idle stages do other work
 * (loading models, waiting), and teardown closes; counting them would mix that into ops/s.
 */
export const WORK_STAGE_KINDS: ReadonlySet<string> = new Set(['work', 'cycle', 'bench'])

/**
 * Stage kinds whose RSS swing is fluctuation: the workload and a quiet period after it. Setup and
 * startup stages grow on purpose (runtimes, models), and teardown frees.
 */
export const FLUCTUATING_STAGE_KINDS: ReadonlySet<string> = new Set(['work', 'cycle', 'bench', 'idle'])

/** Operations of the workload: sums over the work, cycle and bench stages. */
export interface WorkOps {
  count: number
  /** Operations that threw. */
  errors: number
  /** Run time of those stages, ms (GC and samples excluded). */
  durationMs: number
}

/** Operations, failed operations and run time summed over the work, cycle and bench stages. */
export function workOpsOf(repeat: FigureRepeat): WorkOps {
  const out: WorkOps = { count: 0, errors: 0, durationMs: 0 }
  for (const s of repeat.stages) {
    if (!WORK_STAGE_KINDS.has(s.kind)) continue
    out.count += s.ops.count
    out.errors += s.ops.errors
    out.durationMs += s.ops.durationMs
  }
  return out
}

/**
 * Operations per second over all work, cycle and bench stages together: total operations over
 * their total run time ({@link workOpsOf}), so a long stage weighs more than a short one (a mean
 * of per-stage rates would let a 2-operation stage count as much as a 2,000-operation one).
 * @returns ops/s, or null without operations
 */
export function throughputOf(repeat: FigureRepeat): number | null {
  const { count, durationMs } = workOpsOf(repeat)
  return count > 0 && durationMs > 0 ? (count * 1000) / durationMs : null
}

/**
 * CPU time (user + system) per operation over the work, cycle and bench stages, from each stage's
 * before/after samples: unlike throughput, a busy neighbour barely moves it (the worker's own CPU
 * time is what the code costs; waiting for a core is not counted).
 * @returns ms per operation, or null without operations or CPU figures
 */
export function cpuPerOpOf(repeat: FigureRepeat): number | null {
  let cpuMs = 0
  let count = 0
  for (const s of repeat.stages) {
    if (!WORK_STAGE_KINDS.has(s.kind) || s.ops.count === 0) continue
    const before = cpuOf(s.before)
    const after = cpuOf(s.after)
    if (before === null || after === null) return null
    cpuMs += after - before
    count += s.ops.count
  }
  return count > 0 ? cpuMs / count : null
}

/**
 * The repeats the figures and the gate read: those of the measuring pass that completed (not a
 * snapshot or traced pass, nor a failed repeat), in order.
 */
export function completedMeasuringRepeats<R extends { pass: string; state: string }>(repeats: readonly R[]): R[] {
  return repeats.filter((r) => r.pass === 'measure' && r.state === 'completed')
}

/** A repeat's host speed: the median CPU time of its reference bursts, and the workload timed. */
export interface SpeedFigure {
  workload: string
  /** Median CPU time of one burst, ms: higher means a slower host. */
  cpuMs: number
}

/**
 * The host's speed over a repeat ({@link FigureRepeat.speedReference}): the median of the
 * reference bursts, so an interrupt in one burst does not move it.
 * @returns null when the repeat has no reference
 */
export function speedReferenceOf(repeat: FigureRepeat): SpeedFigure | null {
  const r = repeat.speedReference
  if (!r || r.cpuMs.length === 0) return null
  const cpuMs = median([...r.cpuMs])
  return cpuMs > 0 ? { workload: r.workload, cpuMs } : null
}

function cpuOf(sample: FigureSample | null): number | null {
  if (!sample || sample.cpuUserMs == null || sample.cpuSystemMs == null) return null
  return sample.cpuUserMs + sample.cpuSystemMs
}

/**
 * The latency percentiles of the work stage with the slowest p95: the stage a user waits on.
 * Percentiles of different stages cannot be pooled, so the worst stage stands for the repeat.
 * @returns ms, or null when no work stage timed an operation
 */
export function worstLatencyOf(repeat: FigureRepeat): FigureLatency | null {
  let worst: FigureLatency | null = null
  for (const s of repeat.stages) {
    const l = WORK_STAGE_KINDS.has(s.kind) ? s.ops.latencyMs : null
    if (l && (worst === null || l.p95 > worst.p95)) worst = { p50: l.p50, p95: l.p95, p99: l.p99 }
  }
  return worst
}

/**
 * The slowest work stage's p95 latency (see {@link worstLatencyOf}).
 * @returns ms, or null when no work stage timed an operation
 */
export function p95LatencyOf(repeat: FigureRepeat): number | null {
  return worstLatencyOf(repeat)?.p95 ?? null
}

/**
 * After-GC RSS at the end of each completed `cycle` stage, in order: the series drift is read
 * from. After a full GC, so garbage not yet collected does not pass for growth.
 */
export function cycleRssOf(repeat: FigureRepeat): number[] {
  const out: number[] = []
  for (const s of repeat.stages) if (s.kind === 'cycle' && s.state === 'completed' && s.after?.rssBytes != null) out.push(s.after.rssBytes)
  return out
}

/**
 * Drift: relative RSS growth across identical cycles. A service that leaks grows from cycle to
 * cycle; one that only fluctuates does not. It is the Theil–Sen slope of after-GC RSS per cycle
 * ({@link cycleRssOf}, {@link theilSen}), times the cycles spanned, over the fitted first value.
 * From three cycles on the first is left out: arenas, caches and JIT code are sized there, which
 * is warm-up, not drift. A robust line rather than last − first or least squares: after-GC RSS of
 * the OCR engine moves by ±3% from cycle to cycle (allocator and ONNX Runtime arena chunks), and
 * one such step, then a plateau, read as 2.6–3.5% least-squares drift on a healthy 8-cycle run
 * where this line reads under 1%; a steady leak gives both lines the same slope.
 * @returns the fraction (0.02 = grew 2%), or null with fewer than two usable cycles
 */
export function driftOf(repeat: FigureRepeat): number | null {
  const all = cycleRssOf(repeat)
  const ys = all.length >= 3 ? all.slice(1) : all
  if (ys.length < 2) return null
  const { slope: perCycle, intercept: first } = theilSen(
    ys.map((_, i) => i),
    ys,
  )
  if (!Number.isFinite(perCycle) || first <= 0) return null
  return (perCycle * (ys.length - 1)) / first
}

/**
 * Fluctuation: the largest transient RSS rise within one work, cycle, bench or idle stage, that is
 * how far RSS went above both ends of the stage (its start, and its end after a full GC):
 * max(high point) − max(before, after). A level change between the ends is not fluctuation:
 * warm-up growth (arenas sized on the first page) and leaks show as drift or retained memory
 * instead, and counting them here too would fail one bug twice and make a growing stage look
 * "unstable". The high point is the stage's peak (VmHWM where available) or the timeline's
 * maximum within it, whichever is higher (VmHWM sees spikes between samples; the timeline covers
 * a stage whose peak is unknown).
 * @returns bytes, or null without such a stage with a high point and an end
 */
export function fluctuationOf(repeat: FigureRepeat): number | null {
  let best: number | null = null
  for (const stage of repeat.stages) {
    if (!FLUCTUATING_STAGE_KINDS.has(stage.kind)) continue
    const end = stage.endedAtMs ?? repeat.endedAtMs
    let hi = stage.peakRssBytes
    for (const s of repeat.timeline) {
      if (s.atMs < stage.startedAtMs || s.atMs > end || s.rssBytes === null) continue
      hi = hi === null ? s.rssBytes : Math.max(hi, s.rssBytes)
    }
    const ends = [stage.before?.rssBytes, stage.after?.rssBytes].filter((v): v is number => typeof v === 'number')
    if (hi === null || ends.length === 0) continue
    const rise = Math.max(0, hi - Math.max(...ends))
    if (best === null || rise > best) best = rise
  }
  return best
}

/**
 * Retained RSS: the RSS after a full GC once the workload is done, at the end of the last
 * completed stage before teardown. What the process keeps between requests: a leak, a cache, or an
 * allocator or ONNX Runtime arena that holds freed memory all show here, where the peak may not
 * move (a kept arena block was needed at the peak anyway).
 * @returns bytes, or null when no such stage has an after-sample
 */
export function retainedRssOf(repeat: FigureRepeat): number | null {
  let last: FigureStage | undefined
  for (const s of repeat.stages) if (s.kind !== 'teardown' && s.state === 'completed') last = s
  return last?.after?.rssBytes ?? null
}

/**
 * Largest non-null value of `pick` over the parent's timeline (swap, threads): the parent samples
 * on its own clock, so its timeline covers the whole process life, a crash included.
 * @returns the maximum, or null when no sample has the figure
 */
export function maxTimeline<S>(repeat: { readonly timeline: readonly S[] }, pick: (s: S) => number | null): number | null {
  let best: number | null = null
  for (const s of repeat.timeline) {
    const v = pick(s)
    if (v !== null && (best === null || v > best)) best = v
  }
  return best
}
