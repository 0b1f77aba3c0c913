import { describe, expect, it } from 'vitest'
import { characterErrorRate, levenshtein, normalizeWhitespace, wordF1 } from '../../src/common/text-metrics.js'

describe('levenshtein', () => {
  it('counts edits over code points', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3)
    expect(levenshtein('', 'abc')).toBe(3)
    expect(levenshtein('España', 'Espana')).toBe(1)
    expect(levenshtein('a😀b', 'ab')).toBe(1)
  })
})

describe('characterErrorRate', () => {
  it('folds whitespace before comparing', () => {
    expect(normalizeWhitespace('  Total   a pagar \n\n 12,00 ')).toBe('Total a pagar\n12,00')
    expect(characterErrorRate('Total  a pagar', 'Total a pagar')).toBe(0)
  })
  it('divides edits by the reference length', () => {
    // 'Nota Fiscal' has 11 characters; one substitution.
    expect(characterErrorRate('Nota Fiscal', 'Nota Fiscol')).toBeCloseTo(1 / 11, 10)
    expect(characterErrorRate('', '')).toBe(0)
    expect(characterErrorRate('', 'x')).toBe(1)
  })
})

describe('wordF1', () => {
  it('scores token multisets', () => {
    const r = wordF1('total 10 total', 'total 10 extra')
    // matched: total×1, 10×1 = 2; precision 2/3, recall 2/3.
    expect(r.precision).toBeCloseTo(2 / 3, 10)
    expect(r.recall).toBeCloseTo(2 / 3, 10)
    expect(r.f1).toBeCloseTo(2 / 3, 10)
  })
})
