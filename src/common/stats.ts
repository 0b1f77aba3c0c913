/**
 * Small, exact statistics over number series. Callers pass non-empty arrays (the type says so);
 * medians and MAD rather than means because one GC pause or noisy neighbour skews a mean.
 */

/** An array with at least one element. */
export type NonEmpty<T> = [T, ...T[]]

export function isNonEmpty<T>(xs: readonly T[]): xs is NonEmpty<T> {
  return xs.length > 0
}

/** Sorted copy, ascending. */
export function sorted(xs: readonly number[]): number[] {
  return Float64Array.from(xs).sort() as unknown as number[]
}

/**
 * Percentile with linear interpolation between closest ranks (the "R-7" method, as numpy's default).
 * @param p in [0, 100]
 */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN
  const s = Float64Array.from(xs).sort()
  if (s.length === 1) return s[0]!
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (s.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo)
}

export const median = (xs: readonly number[]): number => percentile(xs, 50)

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN
  let sum = 0
  for (const x of xs) sum += x
  return sum / xs.length
}

/** Sample standard deviation (n − 1). Zero for a single value. */
export function stddev(xs: readonly number[]): number {
  if (xs.length < 2) return xs.length === 1 ? 0 : Number.NaN
  const m = mean(xs)
  let ss = 0
  for (const x of xs) ss += (x - m) ** 2
  return Math.sqrt(ss / (xs.length - 1))
}

/** Coefficient of variation: stddev / mean. */
export function coefficientOfVariation(xs: readonly number[]): number {
  const m = mean(xs)
  return m === 0 ? Number.NaN : stddev(xs) / m
}

/** Median absolute deviation (unscaled). */
export function mad(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN
  const m = median(xs)
  return median(xs.map((x) => Math.abs(x - m)))
}

export function min(xs: readonly number[]): number {
  let v = Number.POSITIVE_INFINITY
  for (const x of xs) if (x < v) v = x
  return xs.length ? v : Number.NaN
}

export function max(xs: readonly number[]): number {
  let v = Number.NEGATIVE_INFINITY
  for (const x of xs) if (x > v) v = x
  return xs.length ? v : Number.NaN
}

/** Least-squares slope of y over x (e.g. bytes per ms). NaN with fewer than two distinct x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length)
  if (n < 2) return Number.NaN
  const mx = mean(xs.slice(0, n))
  const my = mean(ys.slice(0, n))
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my)
    den += (xs[i]! - mx) ** 2
  }
  return den === 0 ? Number.NaN : num / den
}

/**
 * Theil–Sen line through (x, y): the slope is the median of the slopes between every pair of
 * points, the intercept the median of y − slope·x. Up to ~29% of the points can be anything
 * without moving it much, where one outlier tilts a least-squares line; a level that steps once
 * and stays flat gives the small slope of the flat part, not the step spread over the whole line.
 * NaN slope with fewer than two distinct x.
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const n = Math.min(xs.length, ys.length)
  const slopes: number[] = []
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (xs[j] !== xs[i]) slopes.push((ys[j]! - ys[i]!) / (xs[j]! - xs[i]!))
  }
  if (slopes.length === 0) return { slope: Number.NaN, intercept: Number.NaN }
  const slope = median(slopes)
  return { slope, intercept: median(Array.from({ length: n }, (_, i) => ys[i]! - slope * xs[i]!)) }
}
