import { describe, expect, it } from 'vitest'
import { applyCase, foldChar, foldKey, hasDiacritic } from '../../../src/engine/latin/fold.js'

describe('foldKey', () => {
  it.each([
    ['Informação', 'informacao'],
    ['ESPAÑA', 'espana'],
    ['Säo', 'sao'],
    ['pingüino', 'pinguino'],
    ['Ibáñez', 'ibanez'],
    ['ǒō', 'oo'],
    ['abc', 'abc'],
  ])('%s → %s', (word, key) => expect(foldKey(word)).toBe(key))

  it('keeps one unit per unit, so indices line up with the source word', () => {
    for (const w of ['Descripción', 'condições', 'ÑANDÚ']) expect(foldKey(w)).toHaveLength(w.length)
  })

  it('leaves non-Latin characters alone apart from lower-casing', () => {
    expect(foldKey('1,5€')).toBe('1,5€')
    expect(foldChar('Ω')).toBe('ω')
  })
})

describe('hasDiacritic', () => {
  it('is true for precomposed accented Latin letters only', () => {
    expect([...'ñçãõâêôáéíóúàüÑÇ'].every(hasDiacritic)).toBe(true)
    expect([...'nAz09€º°ª¿'].some(hasDiacritic)).toBe(false)
  })
})

describe('applyCase', () => {
  it.each([
    ['Espana', 'españa', 'España'],
    ['ESPANA', 'españa', 'ESPAÑA'],
    ['espana', 'españa', 'españa'],
    ['INFORMACAO', 'informação', 'INFORMAÇÃO'],
    ['CONDICOEs', 'condições', 'CONDIÇÕES'], // one stray lower-case letter in a long capitalised word
    ['AnO', 'año', 'AñO'], // short words keep the case read letter by letter
  ])('%s + %s → %s', (observed, target, out) => expect(applyCase(observed, target)).toBe(out))
})
