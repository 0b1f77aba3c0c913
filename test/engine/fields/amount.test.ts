import { describe, expect, it } from 'vitest'
import { findAmounts, fixDigitConfusions, parseAmount } from '../../../src/engine/fields/index.js'

describe('parseAmount', () => {
  it.each([
    ['1.234,56', '1234.56'],
    ['1,234.56', '1234.56'],
    ['1 234,56', '1234.56'],
    ['1 234.56', '1234.56'],
    ['1234.56', '1234.56'],
    ['1234,56', '1234.56'],
    ['1.234', '1234.00'], // thousands (es/pt)
    ['1,234', '1234.00'],
    ['1.234.567,89', '1234567.89'],
    ['1,234,567.89', '1234567.89'],
    ['R$ 1.234,56', '1234.56'],
    ['€1,234.56', '1234.56'],
    ['1.234,56 €', '1234.56'],
    ['S/. 118.00', '118.00'],
    ['S/.118.00', '118.00'],
    ['USD 99.9', '99.90'],
    ['45,6', '45.60'],
    ['0,99', '0.99'],
    ['007,50', '7.50'],
    ['12', '12.00'],
    ['45, 60', '45.60'], // OCR space after the decimal comma
    ['45,6O', '45.60'], // OCR letter O for zero
    ['1O5,00', '105.00'],
    ['1l2,00', '112.00'], // OCR letter l for one
    ['1.234.56', '1234.56'], // thousands dot misread for the decimal comma
  ])('%s → %s', (text, value) => {
    expect(parseAmount(text)).toBe(value)
  })

  it.each([['21%'], ['IVA 21 %'], ['no digits'], ['0,123']])('%s has no amount', (text) => {
    expect(parseAmount(text)).toBeUndefined()
  })
})

describe('findAmounts', () => {
  it('finds each amount of a line with position and flags', () => {
    const found = findAmounts('Dto -5,00 Total 1.234 y 45,60')
    expect(found.map((a) => [a.value, a.index, a.end, a.negative, a.hasDecimals, a.ambiguousThousands])).toEqual([
      ['5.00', 5, 9, true, true, false],
      ['1234.00', 16, 21, false, false, true],
      ['45.60', 24, 29, false, true, false],
    ])
  })

  it('compares amounts in cents', () => {
    expect(findAmounts('1.234,56')[0]?.cents).toBe(123456)
    expect(findAmounts('0,05')[0]?.cents).toBe(5)
  })

  it('marks separators that fit no convention as malformed', () => {
    expect(findAmounts('1.234.56')[0]?.malformed).toBe(true)
    expect(findAmounts('1.234,56')[0]?.malformed).toBe(false)
  })

  it('does not start inside a longer number', () => {
    expect(findAmounts('12.345.678/0001-95').map((a) => a.value)).not.toContain('345.67')
  })

  it('rejects absurdly long digit runs (ids, phone numbers)', () => {
    expect(findAmounts('35240112345678000195550010000001231000001234')).toEqual([])
  })
})

describe('fixDigitConfusions', () => {
  it('only touches letters inside numbers', () => {
    expect(fixDigitConfusions('TOTAL 1O5,0O')).toBe('TOTAL 105,00')
    expect(fixDigitConfusions('TOTAL ORO 10')).toBe('TOTAL ORO 10')
    expect(fixDigitConfusions('1I2,5O')).toBe('112,50')
  })
})
