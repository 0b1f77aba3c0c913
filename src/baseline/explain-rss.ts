/**
 * Where the RSS growth lives: the gate's explanation names the smaps categories that grew ("glibc
 * malloc arenas +11.4 MiB, V8 heap +0.1 MiB") instead of only "native". Against the baseline's
 * composition when it has one (the end of the last work stage, median over repeats), else within
 * the run (each repeat's first stage's start to its last work stage's end, median over repeats).
 */
import { describeCategoryDeltas, diffCategoryRows, diffHeapClasses, heapDiffBasis, heapRowBytes, medianDeltas, medianRssCategories, type CategoryDelta, type HeapClassDelta, type HeapClassRow, type HeapDiffBasis } from '../run/composition.js'
import type { RepeatResult } from '../run/schema.js'
import { lastWorkStage, type BaselineLookup } from './baseline-file.js'

/** How the RSS growth splits by category, and against what. */
export interface RssGrowth {
  /** `baseline`: this run's composition minus the baseline's; `run`: first stage's start to the last work stage's end. */
  basis: 'baseline' | 'run'
  /** The stage whose end was compared. */
  stage: string
  /** Largest growth first. */
  deltas: CategoryDelta[]
  /** `glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB`; null when no category changed by 0.1 MiB. */
  summary: string | null
}

/**
 * The RSS categories that grew, or null when the run recorded none (older runs, non-Linux).
 * @param againstBaseline compare with the baseline's composition when it has one (a relative rule failed)
 */
export function rssGrowth(completed: readonly RepeatResult[], baseline: BaselineLookup, againstBaseline = true): RssGrowth | null {
  const stage = completed.map((r) => lastWorkStage(r.stages)?.name).find((n) => n !== undefined)
  if (stage === undefined) return null
  const ends = completed.map((r) => r.stages.find((s) => s.name === stage)?.rssCategories?.after).filter((a): a is NonNullable<typeof a> => a != null)
  const stored = baseline.state === 'found' ? baseline.baseline.composition?.rss : undefined
  if (againstBaseline && stored && ends.length > 0) {
    const deltas = diffCategoryRows(stored.categories, medianRssCategories(ends))
    return { basis: 'baseline', stage, deltas, summary: describeCategoryDeltas(deltas) }
  }
  const diffs: CategoryDelta[][] = []
  for (const r of completed) {
    const first = r.stages.find((s) => s.kind !== 'teardown')?.rssCategories?.before
    const last = r.stages.find((s) => s.name === stage)?.rssCategories?.after
    if (first && last) diffs.push(diffCategoryRows(first.categories, last.categories))
  }
  if (diffs.length === 0) return null
  const deltas = medianDeltas(diffs)
  return { basis: 'run', stage, deltas, summary: describeCategoryDeltas(deltas) }
}

/** Heap classes of this run against the baseline's, from the two snapshot passes' last work stage. */
export interface HeapVsBaseline {
  stage: string
  /**
   * What the classes are ranked by: `held` (the class that holds the growth first; every
   * `heldDeltaBytes` set), or `self` against a baseline written before held sizes were recorded.
   */
  basis: HeapDiffBasis
  /** Classes that grew most on `basis`, largest first. */
  classes: HeapClassDelta[]
}

/**
 * Classes that grew against the baseline's heap composition (at the end of the last work
 * stage), or null when either side has none. Ranked by held size when both record it, so the
 * class whose objects keep the new bytes comes first (`CachedResponse`, not the `(string)`s of
 * its bodies, nor the `Map` or `(array)` they sit in); else by self size, as the old baseline
 * allows.
 *
 * The baseline lists its top classes only. A class it does not list is compared (as if it had
 * none) only when it now has more than any unlisted class had then (`rest.max*Bytes`; for older
 * baselines, the smallest listed self size): growth below that cannot be told from a class that
 * was just below the list's cut.
 * @param current the current run's classes at the same point (from its snapshot pass)
 */
export function heapVsBaseline(current: { stage: string; classes: readonly HeapClassRow[] } | null, baseline: BaselineLookup, top = 5): HeapVsBaseline | null {
  const stored = baseline.state === 'found' ? baseline.baseline.composition?.heap : undefined
  if (!current || !stored) return null
  const basis = heapDiffBasis(stored.classes, current.classes)
  const known = new Set(stored.classes.map((c) => c.className))
  const floor = basis === 'held' ? (stored.rest.maxHeldBytes ?? Math.min(...stored.classes.map((c) => heapRowBytes(c, 'held')))) : (stored.rest.maxSelfBytes ?? stored.classes.at(-1)?.selfBytes ?? 0)
  const compared = current.classes.filter((c) => known.has(c.className) || heapRowBytes(c, basis) > floor)
  const grew = (d: HeapClassDelta) => (basis === 'held' ? (d.heldDeltaBytes ?? 0) : d.selfDeltaBytes) > 0
  return { stage: current.stage, basis, classes: diffHeapClasses(stored.classes, compared, basis).filter(grew).slice(0, top) }
}
