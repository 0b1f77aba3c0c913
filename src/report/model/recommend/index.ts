/**
 * Recommendations from rules over the data (memlab's ordered rule list, STYLE.md §9): each rule
 * fires on figures that call for it and on nothing else; the list is sorted most urgent first.
 */
import type { Recommendation, Severity } from '../recommendation.js'
import type { RecommendationRule, RuleContext } from './context.js'
import { arenaRetained, budgetFailed, crashed, drift, stageRegression, swapped } from './memory-rules.js'
import { noise, precisionDegraded } from './quality-rules.js'
import { mallocArena, settingEffect, sharpCache, threads } from './settings-rules.js'
import { workerGrowth } from './service-rules.js'

export type { RuleContext, RecommendationRule } from './context.js'

/** Every rule, in the order their findings are listed within one severity. */
export const RECOMMENDATION_RULES: readonly RecommendationRule[] = [crashed, budgetFailed, stageRegression, drift, workerGrowth, settingEffect, arenaRetained, swapped, precisionDegraded, threads, sharpCache, mallocArena, noise]

const ORDER: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2 }

/** The recommendations for `ctx`, most urgent first. */
export function recommend(ctx: RuleContext): Recommendation[] {
  const all = RECOMMENDATION_RULES.flatMap((rule) => rule(ctx))
  // A stable sort keeps the rule order within a severity.
  return all.map((r, i) => [r, i] as const).sort((a, b) => ORDER[a[0].severity] - ORDER[b[0].severity] || a[1] - b[1]).map(([r]) => r)
}
