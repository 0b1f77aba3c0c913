/** Figures of a repeat's operations and of the metrics its stages reported (`ctx.metric`). */
import type { RepeatResult, StageResult } from '../../scenario/schema.js'

/** Stage kinds whose operations are the workload (setup, startup and idle are not). */
const WORK_KINDS: ReadonlySet<StageResult['kind']> = new Set(['work', 'cycle', 'bench'])

/** Operations per second over all work, cycle and bench stages together; null without operations. */
export function throughputOf(repeat: RepeatResult): number | null {
  let count = 0
  let durationMs = 0
  for (const s of repeat.stages) {
    if (!WORK_KINDS.has(s.kind)) continue
    count += s.ops.count
    durationMs += s.ops.durationMs
  }
  return count > 0 && durationMs > 0 ? (count * 1000) / durationMs : null
}

/** The slowest work stage's p95 latency, ms; null when no work stage timed an operation. */
export function p95LatencyOf(repeat: RepeatResult): number | null {
  let worst: number | null = null
  for (const s of repeat.stages) {
    const p95 = WORK_KINDS.has(s.kind) ? s.ops.latencyMs?.p95 : undefined
    if (p95 !== undefined && (worst === null || p95 > worst)) worst = p95
  }
  return worst
}

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
