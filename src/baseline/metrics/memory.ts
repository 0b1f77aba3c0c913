/** Memory figures of one repeat that need more than one field: timeline maxima, stage swings. */
import type { MemorySampleRecord, RepeatResult, StageResult } from '../../scenario/schema.js'

/** Stage kinds whose RSS swing counts as fluctuation: startup stages grow on purpose. */
const FLUCTUATING_KINDS: ReadonlySet<StageResult['kind']> = new Set(['work', 'cycle', 'bench', 'idle'])

/** Largest non-null value of `pick` over the parent's timeline, or null. */
export function maxTimeline(repeat: RepeatResult, pick: (s: MemorySampleRecord) => number | null): number | null {
  let best: number | null = null
  for (const s of repeat.timeline) {
    const v = pick(s)
    if (v !== null && (best === null || v > best)) best = v
  }
  return best
}

/** Largest non-null value of `pick` over the stages' after-samples (taken after a full GC), or null. */
export function maxStageAfter(repeat: RepeatResult, pick: (s: MemorySampleRecord) => number | null): number | null {
  let best: number | null = null
  for (const stage of repeat.stages) {
    const v = stage.after ? pick(stage.after) : null
    if (v !== null && (best === null || v > best)) best = v
  }
  return best
}

/**
 * RSS fluctuation: the largest (highest − lowest RSS) within one work, cycle, bench or idle stage.
 * Highest is the stage's peak (VmHWM where available) or the timeline's maximum; lowest is the
 * least of the stage's before-sample and the timeline within it. Null without such a stage.
 */
export function fluctuationOf(repeat: RepeatResult): number | null {
  let best: number | null = null
  for (const stage of repeat.stages) {
    if (!FLUCTUATING_KINDS.has(stage.kind)) continue
    const end = stage.endedAtMs ?? repeat.endedAtMs
    let hi = stage.peakRssBytes
    let lo = stage.before?.rssBytes ?? null
    for (const s of repeat.timeline) {
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

