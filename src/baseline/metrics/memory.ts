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
 * RSS fluctuation: the largest transient rise within one work, cycle, bench or idle stage, that
 * is how far RSS went above both ends of the stage (its start, and its end after a full GC). A
 * level change between the ends is not fluctuation: warm-up growth (arenas sized on the first
 * page) and leaks show as drift or retained memory instead, so only the swing above them counts.
 * The high point is the stage's peak (VmHWM where available) or the timeline's maximum within it.
 * Null without such a stage.
 */
export function fluctuationOf(repeat: RepeatResult): number | null {
  let best: number | null = null
  for (const stage of repeat.stages) {
    if (!FLUCTUATING_KINDS.has(stage.kind)) continue
    const end = stage.endedAtMs ?? repeat.endedAtMs
    let hi = stage.peakRssBytes
    for (const s of repeat.timeline) {
      if (s.atMs < stage.startedAtMs || s.atMs > end || s.rssBytes === null) continue
      hi = hi === null ? s.rssBytes : Math.max(hi, s.rssBytes)
    }
    const ends = [stage.before?.rssBytes, stage.after?.rssBytes].filter((v): v is number => typeof v === 'number')
    if (hi === null || ends.length === 0) continue
    const swing = Math.max(0, hi - Math.max(...ends))
    if (best === null || swing > best) best = swing
  }
  return best
}
