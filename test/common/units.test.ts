import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { formatBytes, formatMs, formatPercent, GiB, MiB, parseBytes, parseRatio } from '../../src/common/units.js'

describe('parseBytes', () => {
  it('reads decimal and binary units', () => {
    expect(parseBytes('500 MB')).toBe(500_000_000)
    expect(parseBytes('1.5 GiB')).toBe(1.5 * GiB)
    expect(parseBytes('300MiB')).toBe(300 * MiB)
    expect(parseBytes(1234)).toBe(1234)
    expect(parseBytes('10')).toBe(10)
  })
  it('rejects nonsense with a message naming the field', () => {
    expect(() => parseBytes('lots', 'budgets.peakRss')).toThrow(ConfigError)
    expect(() => parseBytes('lots', 'budgets.peakRss')).toThrow("Expected a size like '500 MB' or '1.5 GiB' for budgets.peakRss but received 'lots'")
    expect(() => parseBytes(-1)).toThrow(/non-negative/)
    expect(() => parseBytes('5 parsecs')).toThrow(ConfigError)
  })
})

describe('parseRatio', () => {
  it('reads percentages and fractions', () => {
    expect(parseRatio('2%')).toBeCloseTo(0.02, 12)
    expect(parseRatio('+5%')).toBeCloseTo(0.05, 12)
    expect(parseRatio('-10%')).toBeCloseTo(-0.1, 12)
    expect(parseRatio(0.85)).toBe(0.85)
    expect(() => parseRatio('two percent', 'drift')).toThrow("Expected a ratio like '2%' or 0.02 for drift but received 'two percent'")
  })
})

describe('formatting', () => {
  it('formats bytes with binary units', () => {
    expect(formatBytes(440 * MiB)).toBe('440 MiB')
    expect(formatBytes(1.5 * GiB)).toBe('1.50 GiB')
    expect(formatBytes(12.34 * MiB)).toBe('12.3 MiB')
    expect(formatBytes(-2 * MiB, true)).toBe('-2.00 MiB')
    expect(formatBytes(2 * MiB, true)).toBe('+2.00 MiB')
    expect(formatBytes(null)).toBe('—')
    expect(formatBytes(512)).toBe('512 B')
  })
  it('formats milliseconds and percentages', () => {
    expect(formatMs(12.345)).toBe('12.3 ms')
    expect(formatMs(2500)).toBe('2.50 s')
    expect(formatMs(90_000)).toBe('1.5 min')
    expect(formatPercent(0.123)).toBe('+12.3%')
    expect(formatPercent(-0.015)).toBe('-1.50%')
  })
})
