/**
 * Compares a run's repeats with the baseline's under noise: the ratio of medians with an interval
 * whose width comes from both groups' robust spreads. Computed on logarithms, so a change is a
 * ratio (+5% means the same on 40 MB and on 4 GB) and spreads of groups at different levels pool.
 *
 * Medians, not means: one repeat disturbed by a noisy neighbour moves a mean, not a median. MAD,
 * not standard deviation, for the same reason, with small-sample factors since CI runs 3–5 repeats.
 */
import { mad, median } from '../common/stats.js'
import type { ConfidenceLevel } from '../config/policy.js'
import { madToSigma, tQuantile } from './small-sample.js'

/** Result of {@link compareSeries}. Changes are fractions: run median / baseline median − 1. */
export interface Comparison {
  runMedian: number
  baselineMedian: number
  change: number
  /** Bounds of the change at `confidenceLevel`. */
  low: number
  high: number
  /** Pooled per-repeat spread (robust standard deviation of the logarithms ≈ relative spread), floor applied. */
  spread: number
  runRepeats: number
  baselineRepeats: number
  confidenceLevel: ConfidenceLevel
}

/** Options of {@link compareSeries}. */
export interface CompareOptions {
  /** Smallest per-repeat relative spread assumed. @default 0.005 */
  noiseFloor?: number
  /** @default 0.95 */
  confidenceLevel?: ConfidenceLevel
}

/** Asymptotic standard error of a median relative to σ/√n for normal data: √(π/2). Slightly high for n ≤ 5, so on the safe side. */
const MEDIAN_SE_FACTOR = Math.sqrt(Math.PI / 2)

/**
 * Compares two series of positive figures (one value per repeat).
 * @returns null when a side has fewer than 2 values or a value ≤ 0 (a ratio means nothing then)
 */
export function compareSeries(run: readonly number[], baseline: readonly number[], options: CompareOptions = {}): Comparison | null {
  if (run.length < 2 || baseline.length < 2) return null
  if ([...run, ...baseline].some((v) => !(v > 0) || !Number.isFinite(v))) return null
  const level = options.confidenceLevel ?? 0.95
  const a = run.map(Math.log)
  const b = baseline.map(Math.log)
  const d = median(a) - median(b)
  const sa = madToSigma(a.length) * mad(a)
  const sb = madToSigma(b.length) * mad(b)
  const df = a.length + b.length - 2
  const pooled = Math.sqrt(((a.length - 1) * sa * sa + (b.length - 1) * sb * sb) / df)
  const spread = Math.max(pooled, options.noiseFloor ?? 0.005)
  const half = halfWidth(spread, a.length, b.length, level)
  return {
    runMedian: median(run),
    baselineMedian: median(baseline),
    change: Math.expm1(d),
    low: Math.expm1(d - half),
    high: Math.expm1(d + half),
    spread,
    runRepeats: run.length,
    baselineRepeats: baseline.length,
    confidenceLevel: level,
  }
}

/**
 * Half-width of the interval of a log ratio of medians, for a per-repeat spread (log units ≈
 * relative) and group sizes. Used to decide whether more repeats could settle a comparison.
 */
export function halfWidth(spread: number, runRepeats: number, baselineRepeats: number, level: ConfidenceLevel): number {
  const se = MEDIAN_SE_FACTOR * spread * Math.sqrt(1 / runRepeats + 1 / baselineRepeats)
  return tQuantile(level, runRepeats + baselineRepeats - 2) * se
}
