/** Rules about memory: failed budgets, crashes, stage regressions, retained arenas, drift, swap. */
import type { Verdict } from '../../../baseline/verdict.js'
import { FLUCTUATING_STAGE_KINDS } from '../../../run/figures.js'
import type { ScenarioFigures } from '../figures.js'
import type { Recommendation } from '../recommendation.js'
import { settingValue } from '../settings.js'
import { MiB, type RecommendationRule } from './context.js'

/**
 * The stage that adds the most memory, where a memory budget is spent: its peak over its
 * before-sample; for `fluctuation`, only the stages it is measured on, by its definition (the rise
 * above both ends, src/common/run-figures.ts), so the stage named is the one the budget judged.
 */
function heaviestStage(s: ScenarioFigures | undefined, swingOnly: boolean): { stage: string; bytes: number } | null {
  let best: { stage: string; bytes: number } | null = null
  for (const st of s?.stages ?? []) {
    if (st.kind === 'teardown' || (swingOnly && !FLUCTUATING_STAGE_KINDS.has(st.kind)) || st.peakRssBytes === null || st.rssBeforeBytes === null) continue
    const bytes = st.peakRssBytes - (swingOnly ? Math.max(st.rssBeforeBytes, st.rssAfterBytes ?? st.rssBeforeBytes) : st.rssBeforeBytes)
    if (!best || bytes > best.bytes) best = { stage: st.name, bytes }
  }
  return best
}

/** Each failed absolute memory budget, once per metric: the scenario furthest over it and the stage that spends the most. */
export const budgetFailed: RecommendationRule = ({ after }) => {
  const byMetric = new Map<string, Verdict[]>()
  for (const v of after.verdicts) {
    if (v.kind !== 'fail' || v.category !== 'memory' || v.metric === null || v.unit === null || v.value === null || v.limit === null) continue
    byMetric.set(v.metric, [...(byMetric.get(v.metric) ?? []), v])
  }
  return [...byMetric.values()].map((vs): Recommendation => {
    const worst = [...vs].sort((a, b) => (b.kind === 'fail' ? b.over : 0) - (a.kind === 'fail' ? a.over : 0))[0]!
    const heavy = heaviestStage(after.scenarios.find((s) => s.name === worst.scenario), worst.metric === 'fluctuation')
    return {
      id: 'budget-failed',
      severity: 'high',
      scenario: worst.scenario,
      metric: worst.metric!,
      unit: worst.unit!,
      value: worst.value!,
      limit: worst.limit!,
      stage: heavy?.stage ?? null,
      stageBytes: heavy?.bytes ?? null,
      alsoIn: vs.filter((v) => v !== worst).map((v) => v.scenario),
    }
  })
}

/** The first failure of each scenario whose measuring repeats did not all complete. */
export const crashed: RecommendationRule = ({ after }) =>
  after.scenarios.flatMap((s): Recommendation[] => {
    const f = s.failures[0]
    return f ? [{ id: 'crash', severity: 'high', scenario: s.name, kind: f.kind, stage: f.stage, message: f.message }] : []
  })

/** A stage's peak must grow by both this share and this many bytes to be called a regression (below is noise on a shared machine). */
const STAGE_GROWTH_RATIO = 0.05
const STAGE_GROWTH_BYTES = 8 * MiB

/** The (at most three) stages whose peak grew most against the before run. */
export const stageRegression: RecommendationRule = ({ stageChanges }) =>
  stageChanges
    .filter((c) => c.before !== null && c.after !== null && c.ratio !== null && c.ratio >= STAGE_GROWTH_RATIO && c.after - c.before >= STAGE_GROWTH_BYTES)
    .sort((a, b) => b.after! - b.before! - (a.after! - a.before!))
    .slice(0, 3)
    .map((c) => ({ id: 'stage-regression', severity: 'high', scenario: c.scenario, stage: c.stage, before: c.before!, after: c.after!, ratio: c.ratio! }))

/**
 * Peak minus after-GC RSS within a work stage, above both figures, means memory was used and kept:
 * with ONNX Runtime's CPU arena on, that is the arena's high-water mark.
 */
const RETAINED_MIN_BYTES = 64 * MiB
const RETAINED_MIN_SHARE = 0.15

/** The scenario where the arena keeps the most, when the arena is on. */
export const arenaRetained: RecommendationRule = ({ after }) => {
  if (settingValue(after.settings, 'engine.options.enableCpuMemArena') !== true) return []
  let best: Extract<Recommendation, { id: 'arena-retained' }> | null = null
  for (const s of after.scenarios) {
    for (const st of s.stages) {
      if (st.kind !== 'work' && st.kind !== 'cycle') continue
      if (st.peakRssBytes === null || st.rssAfterBytes === null) continue
      const retained = st.peakRssBytes - st.rssAfterBytes
      if (retained >= RETAINED_MIN_BYTES && retained >= RETAINED_MIN_SHARE * st.peakRssBytes && (!best || retained > best.retainedBytes)) {
        best = { id: 'arena-retained', severity: 'medium', scenario: s.name, retainedBytes: retained, peakBytes: st.peakRssBytes }
      }
    }
  }
  return best ? [best] : []
}

/** Drift worth a look without a budget: 1% per run of cycles is above what warm-up leaves on this engine. */
const DRIFT_WARN = 0.01

/** Drift above half its budget (or above 1% without one), pointing at the largest suspect class. */
export const drift: RecommendationRule = ({ after }) =>
  after.scenarios.flatMap((s): Recommendation[] => {
    const d = s.drift?.median
    if (d === undefined) return []
    const verdict = after.verdicts.find((v) => v.scenario === s.name && v.metric === 'drift' && v.limit !== null)
    const threshold = verdict?.limit != null ? verdict.limit / 2 : DRIFT_WARN
    if (d < threshold) return []
    const suspect = [...after.leaks.classes].sort((a, b) => b.sizeBytes - a.sizeBytes)[0] ?? null
    return [{ id: 'drift', severity: verdict?.kind === 'fail' ? 'high' : 'medium', scenario: s.name, drift: d, suspect: suspect?.name ?? null, retainer: suspect?.retainers[0] ?? null }]
  })

/** The scenario that swapped the most. */
export const swapped: RecommendationRule = ({ after }) => {
  const worst = after.scenarios.filter((s) => (s.swap?.median ?? 0) > 0).sort((a, b) => b.swap!.median - a.swap!.median)[0]
  return worst ? [{ id: 'swap', severity: 'medium', scenario: worst.name, swapBytes: worst.swap!.median }] : []
}
