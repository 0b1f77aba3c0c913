/** The `budgets` section: human units, switching budgets off, layering defaults and scenarios. */
import { describe, expect, it } from 'vitest'
import { budgetsConfigSchema, DEFAULT_BUDGETS, parseDurationMs, parseRate, resolveScenarioBudgets } from '../../src/config/budgets.js'

const MB = 1_000_000
const MiB = 1024 * 1024

describe('budgets', () => {
  it('resolves the built-in defaults when the config has none', () => {
    expect(resolveScenarioBudgets(undefined, 'load')).toEqual({
      limits: {
        peakRss: { limit: 500 * MB, explicit: false },
        fluctuation: { limit: 50 * MB, explicit: false },
        swap: { limit: 10 * MB, explicit: false },
        drift: { limit: 0.02, explicit: false },
        confidence: { limit: 0.85, explicit: false },
      },
      regressions: { peakRss: { allowed: 0.05, explicit: false }, retainedRss: { allowed: 0.05, explicit: false } },
    })
    expect(DEFAULT_BUDGETS.peakRss).toBe('500 MB')
  })

  it('parses human units and layers top level over defaults, then the scenario over both', () => {
    const parsed = budgetsConfigSchema.parse({
      peakRss: '1.5 GiB',
      swap: false,
      p95Latency: '1.5 s',
      throughput: '2/s',
      regression: { throughput: '-20%', p95Latency: '+15%' },
      scenarios: { precision: { cer: '5%', fieldAccuracy: 0.9, peakRss: 600 * MiB, regression: { peakRss: false } } },
    })
    const load = resolveScenarioBudgets(parsed, 'load')
    expect(load.limits.peakRss).toEqual({ limit: 1.5 * 1024 * MiB, explicit: false })
    expect(load.limits.swap).toBeUndefined()
    expect(load.limits.p95Latency).toEqual({ limit: 1500, explicit: false })
    expect(load.limits.throughput).toEqual({ limit: 2, explicit: false })
    expect(load.regressions).toEqual({ peakRss: { allowed: 0.05, explicit: false }, retainedRss: { allowed: 0.05, explicit: false }, throughput: { allowed: 0.2, explicit: false }, p95Latency: { allowed: 0.15, explicit: false } })
    const precision = resolveScenarioBudgets(parsed, 'precision')
    expect(precision.limits.cer).toEqual({ limit: 0.05, explicit: true })
    expect(precision.limits.fieldAccuracy).toEqual({ limit: 0.9, explicit: true })
    expect(precision.limits.peakRss).toEqual({ limit: 600 * MiB, explicit: true })
    expect(precision.regressions.peakRss).toBeUndefined()
  })

  it('rejects unknown keys, bad units and signs that point the wrong way', () => {
    const issue = (raw: unknown) => budgetsConfigSchema.safeParse(raw).error?.issues[0]
    expect(issue({ peakRSS: '1 GB' })).toMatchObject({ code: 'unrecognized_keys', keys: ['peakRSS'] })
    expect(issue({ peakRss: '500 MBs' })).toMatchObject({ path: ['peakRss'], message: "expected a size like '500 MB' or '1.5 GiB' or a number of bytes (or false to switch the budget off) but received \"500 MBs\"" })
    expect(issue({ confidence: 1.2 })?.message).toBe("expected a fraction like 0.85 or '85%' (or false to switch the budget off) but received 1.2")
    expect(issue({ regression: { peakRss: '-5%' } })?.path).toEqual(['regression', 'peakRss'])
    expect(issue({ regression: { throughput: '+10%' } })?.path).toEqual(['regression', 'throughput'])
    expect(issue({ regression: { fluctuation: '+10%' } })).toMatchObject({ code: 'unrecognized_keys', keys: ['fluctuation'] })
    expect(issue({ drift: true })?.message).toMatch(/^expected a ratio like '2%' or 0\.02/)
    expect(issue({ scenarios: { Load: {} } })?.path).toEqual(['scenarios', 'Load'])
  })

  it('parses durations and rates', () => {
    expect(parseDurationMs('250 ms')).toBe(250)
    expect(parseDurationMs('2s')).toBe(2000)
    expect(parseDurationMs(40)).toBe(40)
    expect(() => parseDurationMs('soon')).toThrow()
    expect(parseRate('12/s')).toBe(12)
    expect(() => parseRate(0)).toThrow()
  })
})
