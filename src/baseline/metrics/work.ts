/**
 * Figures of the metrics a repeat's stages reported (`ctx.metric`), as the gate budgets them.
 * Throughput and latency, which the report prints too, are defined once in src/common/run-figures.ts.
 */
import type { RepeatResult } from '../../run/schema.js'

/** Values of the first of `names` each stage reported (stages that reported none are skipped). */
function stageMetric(repeat: RepeatResult, names: readonly string[]): number[] {
  const out: number[] = []
  for (const s of repeat.stages) {
    const name = names.find((n) => Number.isFinite(s.metrics[n]))
    if (name !== undefined) out.push(s.metrics[name]!)
  }
  return out
}

/** Lowest value over stages of the first metric name present: a budget must hold in every stage. */
export function minStageMetric(repeat: RepeatResult, names: readonly string[]): number | null {
  const xs = stageMetric(repeat, names)
  return xs.length ? Math.min(...xs) : null
}

/** Highest value over stages of the first metric name present. */
export function maxStageMetric(repeat: RepeatResult, names: readonly string[]): number | null {
  const xs = stageMetric(repeat, names)
  return xs.length ? Math.max(...xs) : null
}
