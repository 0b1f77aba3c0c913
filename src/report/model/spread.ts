/**
 * A figure over repeats: the median and how much the repeats disagree. The report shows the noise
 * next to every figure the Phase 3 report gave as one number (DESIGN.md: "Noise is normal").
 */
import { coefficientOfVariation, mad, median } from '../../common/stats.js'

/** Median and spread of one figure over a scenario's completed measuring repeats. */
export interface Spread {
  median: number
  /** Median absolute deviation (unscaled), in the figure's unit. */
  mad: number
  /** Coefficient of variation (stddev / mean); null with one value or a zero mean. */
  cv: number | null
  min: number
  max: number
  /** Repeats that gave the figure. */
  n: number
}

/** The spread of the finite values of `xs`, or null when there are none. */
export function spreadOf(xs: readonly (number | null | undefined)[]): Spread | null {
  const v = xs.filter((x): x is number => x != null && Number.isFinite(x))
  if (v.length === 0) return null
  const cv = v.length > 1 ? coefficientOfVariation(v) : Number.NaN
  return { median: median(v), mad: mad(v), cv: Number.isFinite(cv) ? cv : null, min: Math.min(...v), max: Math.max(...v), n: v.length }
}
