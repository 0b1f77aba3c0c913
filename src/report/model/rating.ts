/**
 * The efficiency rating: one word for how much room the run leaves under its budgets. It is the
 * smallest headroom over the absolute budgets that passed, so the tightest budget decides (a run
 * 60% under its memory budget but 5% over its confidence floor is not "excellent"):
 *
 * | rating     | es         | pt         | condition                               |
 * | ---------- | ---------- | ---------- | --------------------------------------- |
 * | EXCELLENT  | EXCELENTE  | EXCELENTE  | every budget holds, min headroom ≥ 50%  |
 * | VERY GOOD  | MUY BUENO  | MUITO BOM  | ≥ 30%                                   |
 * | GOOD       | BUENO      | BOM        | ≥ 15%                                   |
 * | FAIR       | REGULAR    | REGULAR    | ≥ 0%                                    |
 * | CRITICAL   | CRÍTICO    | CRÍTICO    | any budget failed or a repeat crashed   |
 *
 * Headroom is the share of the distance from the budget to the ideal that the figure keeps: for a
 * ceiling (limit − value) / limit (ideal 0); for a floor on a 0..1 score (value − limit) /
 * (1 − limit) (ideal 1: confidence 0.97 over a 0.85 floor keeps 80%); for another floor
 * (value − limit) / limit, at most 100%. Relative budgets and inconclusive verdicts do not set the
 * rating (their figures depend on a baseline's noise); a failed one still makes it CRITICAL.
 */
import type { MetricKey } from '../../baseline/metrics/catalogue.js'
import type { Verdict } from '../../baseline/verdict.js'

/** Ratings, best first. `unrated`: no absolute budget gave a verdict. */
export const RATINGS = ['excellent', 'very-good', 'good', 'fair', 'critical', 'unrated'] as const
export type Rating = (typeof RATINGS)[number]

/** Smallest headroom for each passing rating, best first. */
export const RATING_THRESHOLDS: readonly { rating: Rating; minHeadroom: number }[] = [
  { rating: 'excellent', minHeadroom: 0.5 },
  { rating: 'very-good', minHeadroom: 0.3 },
  { rating: 'good', minHeadroom: 0.15 },
  { rating: 'fair', minHeadroom: 0 },
]

/** Metrics whose budget is a floor (the gate's catalogue: better higher). */
const FLOORS: ReadonlySet<MetricKey> = new Set<MetricKey>(['confidence', 'fieldAccuracy', 'throughput'])

/** The rating and what decided it. */
export interface RatingResult {
  rating: Rating
  /** Smallest headroom over the passing absolute budgets (0.42 = 42%); null when none. */
  minHeadroom: number | null
  /** The verdict that decided: the first failure, else the passing budget with the least headroom. */
  binding: Verdict | null
  failed: number
  /** Verdicts that set or could set the rating (every pass and fail). */
  judged: number
}

/**
 * Headroom of a passing absolute verdict (see the module comment), or null for relative,
 * non-passing and figure-less verdicts.
 */
export function headroomOf(v: Verdict): number | null {
  if (v.kind !== 'pass' || v.metric === null || v.limit === null || v.value === null || v.change) return null
  const { value, limit } = v
  if (FLOORS.has(v.metric)) {
    const bounded = (v.unit === 'ratio' || v.unit === 'score') && limit < 1
    const room = bounded ? (value - limit) / (1 - limit) : limit > 0 ? (value - limit) / limit : 1
    return Math.min(1, Math.max(0, room))
  }
  return limit > 0 ? Math.min(1, Math.max(0, (limit - value) / limit)) : 1
}

/** The rating of a set of verdicts. */
export function rate(verdicts: readonly Verdict[]): RatingResult {
  const fails = verdicts.filter((v) => v.kind === 'fail')
  const judged = verdicts.filter((v) => v.kind !== 'inconclusive').length
  if (fails.length) return { rating: 'critical', minHeadroom: null, binding: fails[0] ?? null, failed: fails.length, judged }
  let binding: Verdict | null = null
  let min: number | null = null
  for (const v of verdicts) {
    const h = headroomOf(v)
    if (h !== null && (min === null || h < min)) [min, binding] = [h, v]
  }
  if (min === null) return { rating: 'unrated', minHeadroom: null, binding: null, failed: 0, judged }
  const rating = RATING_THRESHOLDS.find((t) => min >= t.minHeadroom)?.rating ?? 'fair'
  return { rating, minHeadroom: min, binding, failed: 0, judged }
}
