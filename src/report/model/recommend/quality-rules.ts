/** Rules about the evidence itself and the accuracy it shows. */
import type { Recommendation } from '../recommendation.js'
import type { RecommendationRule } from './context.js'

/** Degraded pages may read this much worse than clean ones before it is worth a look... */
const DEGRADED_FACTOR = 2
/** ...and only when their CER is above this (2%: about one wrong character in a word of fifty). */
const DEGRADED_MIN_CER = 0.02

/** Degraded inputs read much worse than clean ones. */
export const precisionDegraded: RecommendationRule = ({ after }) =>
  after.scenarios.flatMap((s): Recommendation[] => {
    const clean = s.metrics.cerClean?.median
    const degraded = s.metrics.cerDegraded?.median
    if (clean === undefined || degraded === undefined) return []
    if (degraded < DEGRADED_MIN_CER || degraded < DEGRADED_FACTOR * clean) return []
    return [{ id: 'precision-degraded', severity: 'medium', scenario: s.name, cerClean: clean, cerDegraded: degraded }]
  })

/** Relative budgets need this many repeats (the gate's default `minRepeats`). */
const MIN_REPEATS = 3
/** Peak RSS varying more than this between repeats hides changes of that size. */
const MAX_CV = 0.05

/** The scenario with the weakest evidence: too few repeats, else the most spread. */
export const noise: RecommendationRule = ({ after }) => {
  const weak = after.scenarios.filter((s) => s.completed > 0 && (s.completed < MIN_REPEATS || (s.peakRss?.cv ?? 0) > MAX_CV))
  if (weak.length === 0) return []
  const worst = [...weak].sort((a, b) => a.completed - b.completed || (b.peakRss?.cv ?? 0) - (a.peakRss?.cv ?? 0))[0]!
  return [{ id: 'noise', severity: 'low', scenario: worst.name, repeats: worst.completed, cv: worst.peakRss?.cv ?? null }]
}
