import { describe, expect, it } from 'vitest'
import { coefficientOfVariation, mad, max, mean, median, min, percentile, slope, stddev, theilSen } from '../../src/common/stats.js'

describe('stats', () => {
  it('percentile interpolates between ranks (R-7)', () => {
    const xs = [15, 20, 35, 40, 50]
    expect(percentile(xs, 0)).toBe(15)
    expect(percentile(xs, 100)).toBe(50)
    expect(percentile(xs, 50)).toBe(35)
    // rank = 0.4 * 4 = 1.6 → 20 + 0.6 * 15 = 29
    expect(percentile(xs, 40)).toBeCloseTo(29, 12)
    expect(percentile([], 50)).toBeNaN()
    expect(median([3, 1, 2, 10])).toBe(2.5)
  })
  it('mean, stddev, cv, mad', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9]
    expect(mean(xs)).toBe(5)
    // sample variance = 32 / 7
    expect(stddev(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(coefficientOfVariation(xs)).toBeCloseTo(Math.sqrt(32 / 7) / 5, 12)
    // deviations from median 4.5: 2.5,0.5,0.5,0.5,0.5,0.5,2.5,4.5 → median 0.5
    expect(mad(xs)).toBe(0.5)
    expect(min(xs)).toBe(2)
    expect(max(xs)).toBe(9)
  })
  it('slope fits a least-squares line', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12)
    expect(slope([1, 1], [1, 2])).toBeNaN()
  })
  it('theilSen: median pairwise slope and median intercept, undisturbed by one outlier', () => {
    expect(theilSen([0, 1, 2, 3], [5, 7, 9, 11])).toEqual({ slope: 2, intercept: 5 })
    // y = 1 + x with y(2) = 40: slopes 1, 19.5, 1, 38, 1, −36 → median 1; intercepts 1, 1, 38, 1 → 1.
    expect(theilSen([0, 1, 2, 3], [1, 2, 40, 4])).toEqual({ slope: 1, intercept: 1 })
    // Least squares on the same points: Σ(x−1.5)(y−11.75) = 23.5 over Σ(x−1.5)² = 5 → 4.7, tilted by the outlier.
    expect(slope([0, 1, 2, 3], [1, 2, 40, 4])).toBeCloseTo(4.7, 12)
    expect(theilSen([2, 2], [1, 5]).slope).toBeNaN()
  })
})
