/** The relative rules' statistics against hand-worked values. */
import { describe, expect, it } from 'vitest'
import { compareSeries } from '../../src/baseline/compare.js'
import { madToSigma, tQuantile } from '../../src/baseline/small-sample.js'

describe('tQuantile', () => {
  it('reads the table for small df and follows the normal beyond it', () => {
    expect(tQuantile(0.95, 4)).toBe(2.776)
    expect(tQuantile(0.95, 8)).toBe(2.306)
    expect(tQuantile(0.9, 1)).toBe(6.314)
    expect(tQuantile(0.99, 30)).toBe(2.75)
    // Tabulated t(0.975, 40) = 2.021, t(0.975, 120) = 1.980.
    expect(tQuantile(0.95, 40)).toBeCloseTo(2.021, 3)
    expect(tQuantile(0.95, 120)).toBeCloseTo(1.98, 3)
    expect(tQuantile(0.95, 0)).toBe(12.706)
  })
})

describe('madToSigma', () => {
  it('scales the MAD to a standard deviation with small-sample factors', () => {
    expect(madToSigma(5)).toBeCloseTo(1.4826 * 1.206, 10)
    expect(madToSigma(3)).toBeCloseTo(1.4826 * 1.495, 10)
    expect(madToSigma(20)).toBeCloseTo((1.4826 * 20) / 19.2, 10)
  })
})

describe('compareSeries', () => {
  it('uses the noise floor when every repeat agrees', () => {
    const c = compareSeries([105, 105, 105], [100, 100, 100], { noiseFloor: 0.005 })
    expect(c).not.toBeNull()
    expect(c!.change).toBeCloseTo(0.05, 12)
    // se = √(π/2)·0.005·√(2/3) = 0.005117; half-width = 2.776·se = 0.014204 in log units.
    expect(c!.low).toBeCloseTo(0.035191, 5)
    expect(c!.high).toBeCloseTo(0.06502, 5)
    expect(c!.spread).toBe(0.005)
    expect(c).toMatchObject({ runMedian: 105, baselineMedian: 100, runRepeats: 3, baselineRepeats: 3, confidenceLevel: 0.95 })
  })

  it('widens the interval with the pooled robust spread of both groups', () => {
    const c = compareSeries([110, 100, 105, 103, 107], [100, 98, 102, 101, 99])!
    expect(c.change).toBeCloseTo(0.05, 12)
    expect(c.spread).toBeCloseTo(0.027435, 5)
    expect(c.low).toBeCloseTo(-0.001356, 5)
    expect(c.high).toBeCloseTo(0.103997, 5)
  })

  it('is not moved by one outlying repeat', () => {
    const clean = compareSeries([100, 101, 100, 99, 100], [100, 100, 101, 99, 100])!
    const outlier = compareSeries([100, 101, 100, 99, 160], [100, 100, 101, 99, 100])!
    expect(clean.change).toBe(0)
    expect(outlier.change).toBe(0)
    expect(outlier.high).toBeLessThan(0.05)
  })

  it('narrows with a higher floor relaxed and a lower confidence level', () => {
    const at95 = compareSeries([105, 105, 105], [100, 100, 100])!
    const at90 = compareSeries([105, 105, 105], [100, 100, 100], { confidenceLevel: 0.9 })!
    expect(at90.high - at90.low).toBeLessThan(at95.high - at95.low)
  })

  it('refuses fewer than two values or values that are not positive', () => {
    expect(compareSeries([1], [1, 2])).toBeNull()
    expect(compareSeries([0, 1], [1, 2])).toBeNull()
    expect(compareSeries([1, 2], [-1, 2])).toBeNull()
  })
})
