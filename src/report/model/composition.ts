/**
 * What changed in the RSS composition (smaps categories at the end of the last stage before
 * teardown, medians over the measuring repeats) against something older: the committed
 * baseline's composition for a single run, the "before" run's for a comparison. Shown in
 * Before/After; old baselines and runs without categories simply have no row.
 */
import type { ScenarioBaseline } from '../input.js'
import { completedMeasuringRepeats } from '../../run/figures.js'
import { describeCategoryDeltas, diffCategoryRows, medianRssCategories, type CategoryDelta, type RssCategoryRow } from '../../run/composition.js'
import type { RunResult, ScenarioResult } from '../../run/schema.js'
import { median } from '../../common/stats.js'

/** A composition: where RSS lived at the end of `stage`. */
export interface RssComposition {
  stage: string
  rssBytes: number
  categories: RssCategoryRow[]
  repeats: number
}

/** One scenario's composition change. Sizes in bytes. */
export interface CompositionDiff {
  scenario: string
  /** `baseline`: the committed baseline's composition; `before`: the other run of a comparison. */
  against: 'baseline' | 'before'
  stage: string
  before: RssComposition
  after: RssComposition
  /** Per category, largest growth first. */
  deltas: CategoryDelta[]
  /** `glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB`; null when nothing changed by 0.05 MiB. */
  summary: string | null
}

/**
 * The median categories at the end of `stage` (default: the last stage before teardown) over the
 * completed measuring repeats, or null when none was read there.
 */
export function rssCompositionOf(scenario: ScenarioResult, stage?: string): RssComposition | null {
  const repeats = completedMeasuringRepeats(scenario.repeats)
  const name = stage ?? repeats.map((r) => r.stages.filter((s) => s.kind !== 'teardown').at(-1)?.name).find((n) => n !== undefined)
  if (name === undefined) return null
  const records = repeats.map((r) => r.stages.find((s) => s.name === name)?.rssCategories?.after).filter((a): a is NonNullable<typeof a> => a != null)
  if (records.length === 0) return null
  return { stage: name, rssBytes: median(records.map((r) => r.rssBytes)), categories: medianRssCategories(records), repeats: records.length }
}

function diffOf(scenario: string, against: CompositionDiff['against'], before: RssComposition, after: RssComposition): CompositionDiff {
  const deltas = diffCategoryRows(before.categories, after.categories)
  return { scenario, against, stage: after.stage, before, after, deltas, summary: describeCategoryDeltas(deltas) }
}

/**
 * The composition changes of `after`'s scenarios: against `before`'s same scenario when given (a
 * comparison), else against each scenario's baseline composition (only a comparable one: `found`).
 */
export function compositionDiffs(after: RunResult, before: RunResult | null, baselines: readonly ScenarioBaseline[]): CompositionDiff[] {
  const out: CompositionDiff[] = []
  for (const s of after.scenarios) {
    if (before) {
      const b = before.scenarios.find((x) => x.name === s.name)
      const bc = b ? rssCompositionOf(b) : null
      const ac = bc ? rssCompositionOf(s, bc.stage) : null
      if (bc && ac) out.push(diffOf(s.name, 'before', bc, ac))
      continue
    }
    const lookup = baselines.find((x) => x.scenario === s.name)?.baseline
    const stored = lookup?.state === 'found' ? lookup.baseline.composition : undefined
    if (!stored?.rss) continue
    const ac = rssCompositionOf(s, stored.stage)
    if (ac) out.push(diffOf(s.name, 'baseline', { stage: stored.stage, rssBytes: stored.rss.rssBytes, categories: stored.rss.categories, repeats: stored.rss.repeats }, ac))
  }
  return out
}
