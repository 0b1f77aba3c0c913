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

/**
 * Peak PSS of the repeat: for a service, the peak of the tree's summed PSS (every tick counted,
 * decimated or not); otherwise the largest PSS the timeline read.
 */
export function peakPssOf(repeat: RepeatResult): number | null {
  if (repeat.service) return repeat.service.peakPssBytes
  let best: number | null = null
  for (const s of repeat.timeline) if (s.pssBytes !== null && (best === null || s.pssBytes > best)) best = s.pssBytes
  return best
}

/**
 * Highest peak RSS of one worker: over the processes with role `worker` (every process when none
 * has it). Null for a repeat without a process tree.
 */
export function workerPeakRssOf(repeat: RepeatResult): number | null {
  const all = repeat.processes ?? []
  const workers = all.some((p) => p.role === 'worker') ? all.filter((p) => p.role === 'worker') : all
  let best: number | null = null
  for (const p of workers) {
    for (const s of p.timeline) {
      const v = Math.max(s.rssBytes ?? 0, s.peakRssBytes ?? 0)
      if (v > 0 && (best === null || v > best)) best = v
    }
  }
  return best
}
