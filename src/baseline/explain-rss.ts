/**
 * Where the RSS growth lives: the gate's explanation names the smaps categories that grew ("glibc
 * malloc arenas +11.4 MiB, V8 heap +0.1 MiB") instead of only "native". Against the baseline's
 * composition when it has one (the end of the last work stage, median over repeats), else within
 * the run (each repeat's first stage's start to its last work stage's end, median over repeats).
 */
import { describeCategoryDeltas, diffCategoryRows, diffHeapClasses, medianDeltas, medianRssCategories, type CategoryDelta, type HeapClassDelta, type HeapClassRow } from '../run/composition.js'
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
  /** Classes that grew most in self size, largest first. */
  classes: HeapClassDelta[]
}

/**
 * Classes that grew against the baseline's heap composition (self sizes at the end of the last
 * work stage), or null when either side has none.
 * @param current the current run's classes at the same point (from its snapshot pass)
 */
export function heapVsBaseline(current: { stage: string; classes: readonly HeapClassRow[] } | null, baseline: BaselineLookup, top = 5): HeapVsBaseline | null {
  const stored = baseline.state === 'found' ? baseline.baseline.composition : undefined
  if (!current || !stored?.heap) return null
  // Only the baseline's top classes are known one by one: compare those (and what grew into them).
  const known = new Set(stored.heap.classes.map((c) => c.className))
  const classes = diffHeapClasses(stored.heap.classes, current.classes.filter((c) => known.has(c.className) || c.selfBytes > (stored.heap?.classes.at(-1)?.selfBytes ?? 0)))
  return { stage: current.stage, classes: classes.filter((c) => c.selfDeltaBytes > 0).slice(0, top) }
}
