/**
 * Small-sample constants for robust comparisons of 3 to 10 repeats, where asymptotic formulas
 * are too optimistic: Student's t quantiles, and the consistency factors that make the median
 * absolute deviation an unbiased scale estimate for few values.
 */
import type { ConfidenceLevel } from '../config/policy.js'

/** Two-sided Student t quantiles for df = 1..30 (standard tables), by confidence level. */
const T_TABLE: Readonly<Record<ConfidenceLevel, readonly number[]>> = {
  0.9: [6.314, 2.92, 2.353, 2.132, 2.015, 1.943, 1.895, 1.86, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.74, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697],
  0.95: [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042],
  0.99: [63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.75],
}

/** Normal quantiles of the same levels. */
const Z: Readonly<Record<ConfidenceLevel, number>> = { 0.9: 1.6449, 0.95: 1.96, 0.99: 2.5758 }

/**
 * The two-sided Student t quantile: the half-width of a `level` interval in standard errors.
 * Beyond the table, the Cornish–Fisher expansion (error < 0.001 for df > 30).
 * @param df degrees of freedom, ≥ 1
 * @example tQuantile(0.95, 8) // 2.306
 */
export function tQuantile(level: ConfidenceLevel, df: number): number {
  const d = Math.max(1, Math.floor(df))
  const row = T_TABLE[level]
  if (d <= row.length) return row[d - 1]!
  const z = Z[level]
  return z + (z ** 3 + z) / (4 * d) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * d * d)
}

/** MAD small-sample correction factors for n = 2..9 (Croux & Rousseeuw, 1992). */
const MAD_FACTORS = [1.196, 1.495, 1.363, 1.206, 1.2, 1.14, 1.129, 1.107]

/**
 * Multiplier that turns the raw MAD of `n` values into an estimate of the standard deviation of
 * normal data: 1.4826 (the asymptotic factor) times the small-sample correction.
 */
export function madToSigma(n: number): number {
  const correction = n < 2 ? 1 : n <= 9 ? MAD_FACTORS[n - 2]! : n / (n - 0.8)
  return 1.4826 * correction
}
