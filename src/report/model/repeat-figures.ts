/**
 * Figures of one measuring repeat, read from run.json, that only the report prints: startup
 * time, steady RSS, stage metrics, heap spaces. The figures the gate judges too (throughput,
 * latency, drift, fluctuation, timeline maxima), and the operation sums under throughput, come
 * from src/common/run-figures.ts, the one definition both use, so a report and `memgate check`
 * agree on the number.
 */
import type { RepeatResult } from '../../run/schema.js'

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
