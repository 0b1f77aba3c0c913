/**
 * Whether a scenario's repeats ran under contention, from the evidence the runner recorded per
 * repeat (src/run schema `contention`). A wall-clock verdict taken under contention is
 * inconclusive, never a failure: a gate that fails a clean change because a neighbour was busy
 * gets switched off.
 */
import type { RepeatResult } from '../run/schema.js'

/** Other processes busy on at least this share of one core, on average, is contention. */
export const CONTENDED_OTHERS_CORES = 0.35
/** CPU steal at or above this share of all CPU time is contention. */
export const CONTENDED_STEAL_SHARE = 0.05

/** The evidence, in words, when any repeat was contended; null when none was (or none recorded). */
export function contentionEvidence(repeats: readonly RepeatResult[]): string | null {
  const contended = repeats.filter((r) => {
    const c = r.contention
    return c !== undefined && ((c.othersCores ?? 0) >= CONTENDED_OTHERS_CORES || (c.stealShare ?? 0) >= CONTENDED_STEAL_SHARE)
  })
  if (contended.length === 0) return null
  const worst = contended.reduce((a, b) => ((b.contention?.othersCores ?? 0) > (a.contention?.othersCores ?? 0) ? b : a))
  const c = worst.contention
  if (!c) return null
  const parts = [`other processes kept ${(c.othersCores ?? 0).toFixed(2)} of ${c.cores} cores busy`]
  if (c.stealShare !== null && c.stealShare > 0) parts.push(`steal ${(c.stealShare * 100).toFixed(1)}%`)
  if (c.loadAvgEnd !== null) parts.push(`load ${c.loadAvgEnd.toFixed(2)}`)
  if (c.cpuWallRatio !== null) parts.push(`worker CPU/wall ${c.cpuWallRatio.toFixed(2)}`)
  if (c.involuntarySwitches !== null) parts.push(`${c.involuntarySwitches} involuntary context switches`)
  return `${contended.length} of ${repeats.length} repeats ran under contention (${parts.join(', ')})`
}
