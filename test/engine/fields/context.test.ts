import { describe, expect, it } from 'vitest'
import { analyzeDocument, detectLanguage, foldText, monthFromName, normalizeForms, normalizeSpaces, upperSameLength } from '../../../src/engine/fields/index.js'
import { lines } from './lines.js'

describe('foldText', () => {
  it('lowercases and strips accents without moving indices', () => {
    const text = 'Fecha de Emisión: MARÇO Nº 5 – Ñandú'
    const folded = foldText(text)
    expect(folded).toBe('fecha de emision: marco nº 5 - nandu')
    expect(folded.length).toBe(text.length)
  })

  it('keeps characters whose folded form would change the length', () => {
    expect(foldText('Straße')).toBe('straße')
    expect(foldText('İ').length).toBe(1)
  })

  it('maps full-width punctuation and typographic spaces to ASCII', () => {
    expect(normalizeForms('Austin，TX（1）\u00a01\u202f234–5')).toBe('Austin,TX(1) 1 234-5')
    expect(foldText('ＴＯＴＡＬ：')).toBe('total:')
  })

  it('upper-cases keeping Ñ for RFCs', () => {
    expect(upperSameLength('peña800101abc')).toBe('PEÑA800101ABC')
  })

  it('normalises spacing', () => {
    expect(normalizeSpaces('  GB 434   0314\t94 ')).toBe('GB 434 0314 94')
  })
})

describe('monthFromName', () => {
  it.each([
    ['jan', 1],
    ['ene', 1],
    ['fev', 2],
    ['marco', 3],
    ['abr', 4],
    ['mai', 5],
    ['ago', 8],
    ['set', 9],
    ['sept.', 9],
    ['out', 10],
    ['dic', 12],
    ['dez', 12],
    ['dec', 12],
  ])('%s → %i', (name, month) => {
    expect(monthFromName(name)).toBe(month)
  })

  it.each([
    ['abri', 4], // prefix
    ['dezemb', 12],
    ['juli', 7], // julio and julho agree
    ['novenbro', 11], // one letter wrong
    ['setembo', 9], // one letter missing
    ['fevereiro', 2],
  ])('OCR-damaged %s → %i', (name, month) => {
    expect(monthFromName(name)).toBe(month)
  })

  it('is undefined for other words and for damage that fits no single month', () => {
    expect(monthFromName('total')).toBeUndefined()
    expect(monthFromName('ju')).toBeUndefined()
    expect(monthFromName('ma')).toBeUndefined()
  })
})

describe('detectLanguage', () => {
  it.each([
    [['Factura', 'Fecha de emisión', 'Cliente'], 'es'],
    [['Nota fiscal', 'Data de emissão', 'Valor total'], 'pt'],
    [['Invoice', 'Amount due', 'Thank you'], 'en'],
    [['TOTAL 12,00'], 'unknown'],
    [['Factura', 'Invoice'], 'unknown'], // a tie leads nowhere
  ])('%j → %s', (texts, language) => {
    expect(detectLanguage(texts.map(foldText))).toBe(language)
  })
})

describe('analyzeDocument', () => {
  it.each([
    [['Invoice', 'Acme Inc, Austin, TX 78701-1234'], true],
    [['Invoice', 'EIN 12-3456789'], true],
    [['Invoice', 'Amount due $10.00 USD'], true],
    [['Invoice', 'Amount due $10.00'], false], // a $ alone is not enough
    [['Invoice', 'VAT No GB434031494'], false],
    [['Factura', 'Fecha', 'Total $10.00 USD'], false], // es documents read day-first
  ])('%j month-first: %s', (texts, monthFirst) => {
    expect(analyzeDocument(lines(texts)).monthFirstDates).toBe(monthFirst)
  })

  it('folds every line once, keeping order', () => {
    expect(analyzeDocument(lines(['ÁB', 'Çd'])).folded).toEqual(['ab', 'cd'])
  })
})
