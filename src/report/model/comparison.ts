/**
 * Before vs after: the headline figures of two runs with absolute and relative change, per-stage
 * peaks, and for a single run the changes the gate measured against its baseline. A change
 * smaller than the repeats' own noise is flagged, not hidden: the reader decides, with the figures.
 */
import type { MetricKey } from '../../baseline/metrics/catalogue.js'
import type { Verdict } from '../../baseline/verdict.js'
import type { ScenarioFigures } from './figures.js'
import { HEADLINE_KEYS, type Headline, type HeadlineKey, type HeadlineUnit } from './headline.js'
import type { Spread } from './spread.js'

/** One compared figure. */
export interface ChangeRow {
  key: HeadlineKey
  unit: HeadlineUnit
  better: 'lower' | 'higher'
  before: number | null
  after: number | null
  /** after − before, in the unit. */
  delta: number | null
  /** after / before − 1 (0.12 = +12%); null when either side is missing or before is 0. */
  ratio: number | null
  /** True when the change goes the better way, false the worse, null when none or unknown. */
  improved: boolean | null
  /** True when |ratio| < {@link NEGLIGIBLE_CHANGE}: too small to call better or worse, whatever the noise. */
  negligible: boolean
  /**
   * True when |delta| is within about two standard deviations of the noisier side (1.4826 × MAD
   * estimates σ); null with fewer than two repeats on a side.
   */
  withinNoise: boolean | null
  scenario: string | null
}

/** Peak RSS of one stage on both sides. */
export interface StageChange {
  scenario: string
  stage: string
  before: number | null
  after: number | null
  ratio: number | null
}

/** A change the gate measured against a committed baseline (relative budgets). */
export interface BaselineChange {
  scenario: string
  metric: MetricKey
  unit: NonNullable<Verdict['unit']>
  before: number
  after: number | null
  ratio: number
  kind: Verdict['kind']
}

/** Relative changes below this (1%) are shown but not called an improvement or a regression. */
export const NEGLIGIBLE_CHANGE = 0.01

const ratioOf = (before: number | null, after: number | null): number | null => (before !== null && after !== null && before !== 0 ? after / before - 1 : null)

function noise(b: Spread | null, a: Spread | null, delta: number | null): boolean | null {
  if (!b || !a || b.n < 2 || a.n < 2 || delta === null) return null
  return Math.abs(delta) <= 2 * 1.4826 * Math.max(b.mad, a.mad)
}

/** The headline rows of a comparison, in table order. */
export function compareHeadlines(before: Headline, after: Headline): ChangeRow[] {
  return HEADLINE_KEYS.map((key) => {
    const b = before[key]
    const a = after[key]
    const delta = b.value !== null && a.value !== null ? a.value - b.value : null
    const improved = delta === null || delta === 0 ? null : a.better === 'lower' ? delta < 0 : delta > 0
    const ratio = ratioOf(b.value, a.value)
    const negligible = ratio !== null && Math.abs(ratio) < NEGLIGIBLE_CHANGE
    return { key, unit: a.unit, better: a.better, before: b.value, after: a.value, delta, ratio, improved, negligible, withinNoise: noise(b.spread, a.spread, delta), scenario: a.scenario ?? b.scenario }
  })
}

/**
 * The change a reader should see first: the largest relative change that is not within noise,
 * memory figures winning ties (memgate is about memory).
 */
export function biggestChange(rows: readonly ChangeRow[]): ChangeRow | null {
  let best: ChangeRow | null = null
  for (const r of rows) {
    if (r.ratio === null || r.negligible || r.withinNoise === true) continue
    if (!best || Math.abs(r.ratio) > Math.abs(best.ratio!) + 1e-9 || (Math.abs(r.ratio - best.ratio!) < 1e-9 && r.unit === 'bytes' && best.unit !== 'bytes')) best = r
  }
  return best
}

/** Peak RSS per stage of the scenarios both runs have, stages in the after run's order. */
export function compareStages(before: readonly ScenarioFigures[], after: readonly ScenarioFigures[]): StageChange[] {
  const out: StageChange[] = []
  for (const a of after) {
    const b = before.find((s) => s.name === a.name)
    if (!b) continue
    for (const st of a.stages) {
      if (st.kind === 'setup' || st.kind === 'teardown') continue
      const bp = b.stages.find((x) => x.name === st.name)?.peakRssBytes ?? null
      out.push({ scenario: a.name, stage: st.name, before: bp, after: st.peakRssBytes, ratio: ratioOf(bp, st.peakRssBytes) })
    }
  }
  return out
}

/** The relative verdicts that had a baseline to compare with, as before/after figures. */
export function baselineChanges(verdicts: readonly Verdict[]): BaselineChange[] {
  const out: BaselineChange[] = []
  for (const v of verdicts) {
    if (!v.change || v.metric === null || v.unit === null) continue
    out.push({ scenario: v.scenario, metric: v.metric, unit: v.unit, before: v.change.baselineMedian, after: v.value, ratio: v.change.change, kind: v.kind })
  }
  return out
}
