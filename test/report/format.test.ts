import { describe, expect, it } from 'vitest'
import { formatterFor } from '../../src/report/format.js'

const MiB = 1024 * 1024

describe('formatterFor', () => {
  it('writes sizes in binary units with the language decimal mark', () => {
    expect(formatterFor('en').bytes(12.5 * MiB)).toBe('12.5 MiB')
    expect(formatterFor('es').bytes(12.5 * MiB)).toBe('12,5 MiB')
    expect(formatterFor('pt').bytes(1.25 * 1024 * MiB)).toBe('1,25 GiB')
    expect(formatterFor('en').bytes(421 * MiB)).toBe('421 MiB')
    expect(formatterFor('en').bytes(-38 * MiB, true)).toBe('-38.0 MiB')
    expect(formatterFor('en').bytes(38 * MiB, true)).toBe('+38.0 MiB')
    expect(formatterFor('en').bytes(null)).toBe('—')
  })

  it('writes times, rates, scores and percentages', () => {
    const en = formatterFor('en')
    expect(en.ms(830)).toBe('830 ms')
    expect(en.ms(2410)).toBe('2.41 s')
    expect(en.ms(90_000)).toBe('1.5 min')
    expect(en.rate(14.23)).toBe('14.2/s')
    expect(en.score(0.9123)).toBe('0.912')
    expect(en.percent(-0.284, 1, true)).toBe('-28.4%')
    expect(en.percent(0.12, 1, true)).toBe('+12.0%')
    expect(en.percent(0.00001, 1, true)).toBe('0.0%')
    expect(formatterFor('es').percent(0.026, 1)).toBe('2,6%')
    expect(en.points(0.006)).toBe('+0.6 pp')
    expect(en.num(1234567, 0)).toBe('1,234,567')
    expect(formatterFor('es').num(1234567, 0)).toBe('1.234.567')
  })

  it('writes dates in UTC, the same in every language', () => {
    expect(formatterFor('pt').dateTime('2025-03-01T12:34:56.000Z')).toBe('2025-03-01 12:34 UTC')
    expect(formatterFor('en').dateTime('not a date')).toBe('—')
  })
})
