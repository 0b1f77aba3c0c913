/**
 * Memory figures of one repeat that only the gate budgets: the largest after-GC figure over the
 * stages. Fluctuation, drift and timeline maxima, which the report prints too, are defined once in
 * src/common/run-figures.ts.
 */
import type { MemorySampleRecord, RepeatResult } from '../../run/schema.js'

/**
 * Largest non-null value of `pick` over the stages' after-samples: taken after a full GC, so what
 * is counted is what the process holds, not garbage waiting for a collection.
 * @returns the maximum, or null when no stage has the figure
 */
export function maxStageAfter(repeat: RepeatResult, pick: (s: MemorySampleRecord) => number | null): number | null {
  let best: number | null = null
  for (const stage of repeat.stages) {
    const v = stage.after ? pick(stage.after) : null
    if (v !== null && (best === null || v > best)) best = v
  }
  return best
}
