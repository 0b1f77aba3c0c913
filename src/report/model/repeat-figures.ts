/**
 * Figures of one measuring repeat, read from run.json. Where the gate judges the same figure
 * (throughput, drift, fluctuation), the definition here is the gate's (src/baseline/metrics), so
 * a report and `memgate check` agree on the number; `report` may not import baseline code at run
 * time (DESIGN.md), hence the restatement.
 */
import { slope } from '../../common/stats.js'
import type { RepeatResult, StageResult } from '../../scenario/schema.js'

/** Stage kinds whose operations are the workload. */
export const WORK_KINDS: ReadonlySet<StageResult['kind']> = new Set(['work', 'cycle', 'bench'])
/** Stage kinds whose RSS swing is fluctuation (startup stages grow on purpose). */
const SWING_KINDS: ReadonlySet<StageResult['kind']> = new Set(['work', 'cycle', 'bench', 'idle'])

/** Operations per second over all work, cycle and bench stages together; null without operations. */
export function throughputOf(r: RepeatResult): number | null {
  let count = 0
  let durationMs = 0
  for (const s of r.stages) {
    if (!WORK_KINDS.has(s.kind)) continue
    count += s.ops.count
    durationMs += s.ops.durationMs
  }
  return count > 0 && durationMs > 0 ? (count * 1000) / durationMs : null
}

/** The latency of the work stage with the slowest p95 (the one a user waits on), ms. */
export function worstLatencyOf(r: RepeatResult): { p50: number; p95: number; p99: number } | null {
  let worst: { p50: number; p95: number; p99: number } | null = null
  for (const s of r.stages) {
    const l = WORK_KINDS.has(s.kind) ? s.ops.latencyMs : null
    if (l && (worst === null || l.p95 > worst.p95)) worst = { p50: l.p50, p95: l.p95, p99: l.p99 }
  }
  return worst
}

/** Operations and failed operations over the work stages. */
export function opsOf(r: RepeatResult): { count: number; errors: number } {
  let count = 0
  let errors = 0
  for (const s of r.stages) {
    if (!WORK_KINDS.has(s.kind)) continue
    count += s.ops.count
    errors += s.ops.errors
  }
  return { count, errors }
}

/** After-GC RSS of each completed cycle stage, in order. */
export function cycleRssOf(r: RepeatResult): number[] {
  return r.stages.filter((s) => s.kind === 'cycle' && s.state === 'completed' && s.after?.rssBytes != null).map((s) => s.after!.rssBytes!)
}

/**
 * Relative RSS growth across cycles (the gate's `drift`): the least-squares slope of after-GC RSS
 * per cycle, times the cycles spanned, over the fitted first value; from three cycles on the first
 * (warm-up) is left out. Null with fewer than two usable cycles.
 */
export function driftOf(r: RepeatResult): number | null {
  const all = cycleRssOf(r)
  const ys = all.length >= 3 ? all.slice(1) : all
  if (ys.length < 2) return null
  const perCycle = slope(
    ys.map((_, i) => i),
    ys,
  )
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length
  const first = meanY - perCycle * ((ys.length - 1) / 2)
  if (!Number.isFinite(perCycle) || first <= 0) return null
  return (perCycle * (ys.length - 1)) / first
}

/** The gate's `fluctuation`: the largest RSS swing (peak − lowest) within one work, cycle, bench or idle stage. */
export function fluctuationOf(r: RepeatResult): number | null {
  let best: number | null = null
  for (const stage of r.stages) {
    if (!SWING_KINDS.has(stage.kind)) continue
    const end = stage.endedAtMs ?? r.endedAtMs
    let hi = stage.peakRssBytes
    let lo = stage.before?.rssBytes ?? null
    for (const s of r.timeline) {
      if (s.atMs < stage.startedAtMs || s.atMs > end || s.rssBytes === null) continue
      hi = hi === null ? s.rssBytes : Math.max(hi, s.rssBytes)
      lo = lo === null ? s.rssBytes : Math.min(lo, s.rssBytes)
    }
    if (hi === null || lo === null) continue
    const swing = Math.max(0, hi - lo)
    if (best === null || swing > best) best = swing
  }
  return best
}

/** Largest non-null value of `pick` over the parent's timeline. */
export function timelineMax(r: RepeatResult, pick: (s: RepeatResult['timeline'][number]) => number | null): number | null {
  let best: number | null = null
  for (const s of r.timeline) {
    const v = pick(s)
    if (v !== null && (best === null || v > best)) best = v
  }
  return best
}

/**
 * Time to ready: from the worker's start to the end of its leading setup and startup stages
 * (loading runtimes and models), ms. Null when the scenario starts with work.
 */
export function startupMsOf(r: RepeatResult): number | null {
  let end: number | null = null
  for (const s of r.stages) {
    if (s.kind !== 'setup' && s.kind !== 'startup') break
    if (s.endedAtMs === null) return null
    end = s.endedAtMs
  }
  return end === null ? null : end - r.startedAtMs
}

/** After-GC RSS once the workload is done (the gate's `retainedRss`): after the last completed stage before teardown. */
export function steadyRssOf(r: RepeatResult): number | null {
  const body = r.stages.filter((s) => s.kind !== 'teardown' && s.state === 'completed')
  return body.at(-1)?.after?.rssBytes ?? null
}

/** Metric names where a higher value is worse; every other accuracy-like metric is better higher. */
const HIGHER_IS_WORSE = /^cer/i
const LOWER_IS_WORSE = /confidence|accuracy|^field\./i

/**
 * The stage metrics of a repeat (`ctx.metric`), one value per name: for accuracy figures reported
 * by several stages the worst (a budget must hold in every stage, as the gate reads it), else the
 * last stage's.
 */
export function metricsOf(r: RepeatResult): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of r.stages) {
    for (const [name, v] of Object.entries(s.metrics)) {
      if (!Number.isFinite(v)) continue
      const prev = out[name]
      if (prev === undefined) out[name] = v
      else if (HIGHER_IS_WORSE.test(name)) out[name] = Math.max(prev, v)
      else if (LOWER_IS_WORSE.test(name)) out[name] = Math.min(prev, v)
      else out[name] = v
    }
  }
  return out
}

/** V8 heap spaces (used bytes) at the after-sample with the most heap used, or null without heap figures. */
export function heapSpacesAtPeakOf(r: RepeatResult): { stage: string; heapUsedBytes: number; spaces: Record<string, number> } | null {
  let best: { stage: string; heapUsedBytes: number; spaces: Record<string, number> } | null = null
  for (const s of r.stages) {
    const a = s.after
    if (!a || a.heapUsedBytes === null || !a.heapSpaces) continue
    if (best && a.heapUsedBytes <= best.heapUsedBytes) continue
    const spaces: Record<string, number> = {}
    for (const [name, v] of Object.entries(a.heapSpaces)) if (v.usedBytes > 0) spaces[name] = v.usedBytes
    best = { stage: s.name, heapUsedBytes: a.heapUsedBytes, spaces }
  }
  return best
}
