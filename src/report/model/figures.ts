/**
 * The figures of one scenario over its completed measuring repeats: medians with their spread,
 * latency percentiles, per-stage figures and the repeat whose timeline is drawn. Snapshot-pass
 * repeats are left out of every memory figure: a heap snapshot raises RSS (DESIGN.md, Honest figures).
 */
import { cpuPerOpOf, cycleRssOf, driftOf, fluctuationOf, maxTimeline, retainedRssOf, throughputOf, workOpsOf, worstLatencyOf } from '../../run/figures.js'
import { median } from '../../common/stats.js'
import type { FailureKind, RepeatResult, ScenarioResult, StageResult } from '../../run/schema.js'
import * as rf from './repeat-figures.js'
import { roleOf, type ScenarioRole } from './role.js'
import { spreadOf, type Spread } from './spread.js'

/** One stage, medians over the completed repeats. Bytes and ms; null where no repeat had the figure. */
export interface StageFigures {
  name: string
  kind: StageResult['kind']
  durationMs: number | null
  rssBeforeBytes: number | null
  rssAfterBytes: number | null
  peakRssBytes: number | null
  heapUsedAfterBytes: number | null
  ops: number
  errors: number
  throughputPerSec: number | null
  p95LatencyMs: number | null
}

/** A measuring repeat that did not complete. */
export interface RepeatFailure {
  /** 0-based repeat index. */
  index: number
  state: RepeatResult['state']
  kind: FailureKind | null
  stage: string | null
  message: string
}

/** Everything the report reads about one scenario. */
export interface ScenarioFigures {
  name: string
  description: string
  role: ScenarioRole
  /** The variant it ran as (`--profile`). */
  profile: ScenarioResult['variant']
  params: ScenarioResult['params']
  /** Measuring repeats run, and how many completed. */
  measured: number
  completed: number
  failures: RepeatFailure[]
  peakRss: Spread | null
  steadyRss: Spread | null
  startupMs: Spread | null
  throughput: Spread | null
  /** CPU time (user + system) per operation over the work stages, ms. */
  cpuPerOp: Spread | null
  /** Slowest work stage's latency percentiles, medians over repeats, ms. */
  latencyMs: { p50: number; p95: number; p99: number } | null
  p95LatencyMs: Spread | null
  /** Operations and failed operations over the work stages, medians over repeats. */
  ops: { count: number; errors: number } | null
  drift: Spread | null
  fluctuation: Spread | null
  threads: Spread | null
  swap: Spread | null
  /** Stage metrics by name (`cer`, `meanConfidence`, `field.total`, ...). */
  metrics: Record<string, Spread>
  /** After-GC RSS per cycle, medians over repeats (empty without cycle stages). */
  cycleRssBytes: number[]
  stages: StageFigures[]
  /** V8 heap spaces (used bytes) where the representative repeat's heap was largest. */
  heapSpaces: { stage: string; heapUsedBytes: number; spaces: Record<string, number> } | null
  /** The repeat whose timeline is drawn: the completed one with the median peak, else the first. */
  representative: RepeatResult | null
  settings: Record<string, unknown>
  analysis: ScenarioResult['analysis']
}

const med = (xs: readonly (number | null | undefined)[]): number | null => {
  const v = xs.filter((x): x is number => x != null && Number.isFinite(x))
  return v.length ? median(v) : null
}

/** The figures of `scenario`. */
export function figuresOf(scenario: ScenarioResult): ScenarioFigures {
  const measuring = scenario.repeats.filter((r) => r.pass === 'measure')
  const done = measuring.filter((r) => r.state === 'completed')
  const over = (read: (r: RepeatResult) => number | null): Spread | null => spreadOf(done.map(read))
  const latencies = done.map(worstLatencyOf).filter((l): l is NonNullable<typeof l> => l !== null)
  const metricNames = [...new Set(done.flatMap((r) => Object.keys(rf.metricsOf(r))))]
  const metrics: Record<string, Spread> = {}
  for (const name of metricNames) {
    const s = spreadOf(done.map((r) => rf.metricsOf(r)[name]))
    if (s) metrics[name] = s
  }
  const representative = pickRepresentative(done) ?? measuring[0] ?? null
  const ops = done.map(workOpsOf)
  return {
    name: scenario.name,
    description: scenario.description,
    role: roleOf(scenario),
    profile: scenario.variant,
    params: scenario.params,
    measured: measuring.length,
    completed: done.length,
    failures: measuring
      .filter((r) => r.state !== 'completed')
      .map((r) => ({ index: r.index, state: r.state, kind: r.failure?.kind ?? null, stage: r.failure?.stage ?? null, message: r.failure?.message ?? r.state })),
    peakRss: over((r) => r.peakRssBytes),
    steadyRss: over(retainedRssOf),
    startupMs: over(rf.startupMsOf),
    throughput: over(throughputOf),
    cpuPerOp: over(cpuPerOpOf),
    latencyMs: latencies.length ? { p50: median(latencies.map((l) => l.p50)), p95: median(latencies.map((l) => l.p95)), p99: median(latencies.map((l) => l.p99)) } : null,
    p95LatencyMs: spreadOf(latencies.map((l) => l.p95)),
    ops: ops.length && ops.some((o) => o.count > 0) ? { count: median(ops.map((o) => o.count)), errors: median(ops.map((o) => o.errors)) } : null,
    drift: over(driftOf),
    fluctuation: over(fluctuationOf),
    threads: over((r) => maxTimeline(r, (s) => s.threads)),
    swap: over((r) => maxTimeline(r, (s) => s.swapBytes)),
    metrics,
    cycleRssBytes: cycleMedians(done),
    stages: stageFigures(done.length ? done : measuring.slice(0, 1)),
    heapSpaces: representative ? rf.heapSpacesAtPeakOf(representative) : null,
    representative,
    settings: scenario.settings,
    analysis: scenario.analysis,
  }
}

/** The completed repeat whose peak RSS is closest to the median: its timeline is a typical one. */
function pickRepresentative(done: readonly RepeatResult[]): RepeatResult | null {
  const peaks = done.map((r) => r.peakRssBytes).filter((p): p is number => p !== null)
  if (peaks.length === 0) return done[0] ?? null
  const m = median(peaks)
  let best: RepeatResult | null = null
  for (const r of done) {
    if (r.peakRssBytes === null) continue
    if (!best || Math.abs(r.peakRssBytes - m) < Math.abs(best.peakRssBytes! - m)) best = r
  }
  return best
}

function cycleMedians(done: readonly RepeatResult[]): number[] {
  const series = done.map(cycleRssOf)
  const n = Math.max(0, ...series.map((s) => s.length))
  return Array.from({ length: n }, (_, i) => med(series.map((s) => s[i])) ?? 0)
}

/** Per stage name, in the order of the first repeat, medians over `repeats`. */
function stageFigures(repeats: readonly RepeatResult[]): StageFigures[] {
  const first = repeats[0]
  if (!first) return []
  return first.stages.map((proto) => {
    const same = repeats.map((r) => r.stages.find((s) => s.name === proto.name)).filter((s): s is StageResult => s !== undefined)
    return {
      name: proto.name,
      kind: proto.kind,
      durationMs: med(same.map((s) => (s.endedAtMs === null ? null : s.endedAtMs - s.startedAtMs))),
      rssBeforeBytes: med(same.map((s) => s.before?.rssBytes)),
      rssAfterBytes: med(same.map((s) => s.after?.rssBytes)),
      peakRssBytes: med(same.map((s) => s.peakRssBytes)),
      heapUsedAfterBytes: med(same.map((s) => s.after?.heapUsedBytes)),
      ops: med(same.map((s) => s.ops.count)) ?? 0,
      errors: med(same.map((s) => s.ops.errors)) ?? 0,
      throughputPerSec: med(same.map((s) => (s.ops.count > 0 ? s.ops.throughputPerSec : null))),
      p95LatencyMs: med(same.map((s) => s.ops.latencyMs?.p95)),
    }
  })
}
