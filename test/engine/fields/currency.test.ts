import { describe, expect, it } from 'vitest'
import { extractCurrency } from '../../../src/engine/fields/index.js'
import { lines } from './lines.js'

describe('extractCurrency', () => {
  it.each([
    // symbols
    ['€ after the amount', ['Total 121,00 €'], 'EUR', 0.95],
    ['R$', ['TOTAL R$ 45,60'], 'BRL', 0.95],
    ['£', ['Total £12.00'], 'GBP', 0.9],
    ['₹', ['Total ₹1,200.00'], 'INR', 0.95],
    ['S/.', ['TOTAL S/. 118.00'], 'PEN', 0.9],
    ['US$', ['Total US$ 50.00'], 'USD', 0.95],
    // codes
    ['code after the amount', ['Total: 100.00 USD'], 'USD', 1],
    ['code after a currency label', ['Moneda: EUR'], 'EUR', 1],
    ['pt currency label', ['Moeda: BRL'], 'BRL', 1],
    // words
    ['euros', ['Son: ciento veinte euros'], 'EUR', 0.8],
    ['reais', ['Valor: cem reais'], 'BRL', 0.8],
    ['soles', ['Son: cien soles'], 'PEN', 0.7],
    ['canadian dollars', ['Amount in Canadian dollars'], 'CAD', 0.8],
    // € lost by the recogniser
    ['€ read as E after the amount', ['Total 45,60 E'], 'EUR', 0.5],
    ['€ read as C before the amount', ['TOTAL C 45,60'], 'EUR', 0.5],
  ])('%s', (_name, texts, code, certainty) => {
    const field = extractCurrency(lines(texts))
    expect(field?.value).toBe(code)
    expect(field?.confidence).toBeCloseTo(certainty, 4)
  })

  it.each([
    ['bare $ defaults to USD, low', ['Total $100.00'], 'USD', 0.6],
    ['$ in a clearly US document', ['Acme Inc', 'Austin, TX 78701', 'Total $100.00'], 'USD', 0.85],
    ['$ in Mexico (RFC)', ['RFC: GODE561231GR8', 'Total $1,160.00'], 'MXN', 0.85],
    ['$ in Argentina (CUIT)', ['CUIT 20-12345678-9', 'Total $ 5.000,00'], 'ARS', 0.85],
    ['$ in Colombia (NIT)', ['NIT 900.123.456-7', 'Total $ 50.000'], 'COP', 0.85],
    ['$ in Chile (RUT)', ['RUT 76.123.456-7', 'Total $ 5.990'], 'CLP', 0.85],
    ['$ with a CAD code', ['Total $100.00 CAD'], 'CAD', 1],
    ['$ with a MXN code', ['Total $1,160.00 MXN'], 'MXN', 1],
    ['pesos, no country: Mexican guess, low', ['Total 500 pesos'], 'MXN', 0.35],
    ['pesos in Argentina', ['CUIT 20-12345678-9', 'Total 500 pesos'], 'ARS', 0.85],
    ['dollars word', ['Total: 100 dollars'], 'USD', 0.6],
  ])('ambiguous: %s', (_name, texts, code, certainty) => {
    const field = extractCurrency(lines(texts))
    expect(field?.value).toBe(code)
    expect(field?.confidence).toBeCloseTo(certainty, 4)
  })

  it('a code that is also a word counts little: PEN DRIVE priced in €', () => {
    const field = extractCurrency(lines(['PEN DRIVE 32GB 12,00 €']))
    expect(field?.value).toBe('EUR')
    // EUR 0.95 against PEN 0.4 (not beside an amount): 0.95 × 0.95 / 1.35.
    expect(field?.confidence).toBeCloseTo((0.95 * 0.95) / 1.35, 4)
  })

  it('competing currencies lower the confidence', () => {
    // USD code 1.0 and EUR code 1.0 on line 0, € 0.95 on line 1: EUR 1.95 of 2.95.
    const field = extractCurrency(lines(['Tipo de cambio: 1 USD = 0,92 EUR', 'Total 92,00 €']))
    expect(field).toMatchObject({ value: 'EUR', line: 0 })
    expect(field?.confidence).toBeCloseTo(1 * (1.95 / 2.95), 4)
  })

  it('evidence on the total line counts 1.25 times and wins a tie', () => {
    // USD 1.0 on line 0 against € 0.95 × 1.25 = 1.1875 on the total line.
    const field = extractCurrency(lines(['Precio en USD: 10', 'Total 9,20 €']), undefined, { totalLine: 1 })
    expect(field).toMatchObject({ value: 'EUR', line: 1 })
    expect(field?.confidence).toBeCloseTo(1 * (1.1875 / 2.1875), 4)
    expect(extractCurrency(lines(['Precio en USD: 10', 'Total 9,20 €']))?.value).toBe('USD')
  })

  it('falls back to the issuer tax id country only when nothing is printed', () => {
    const hints = { taxIdKind: 'CNPJ', taxIdValue: '11.222.333/0001-81', taxIdLine: 0 }
    expect(extractCurrency(lines(['CNPJ 11.222.333/0001-81', 'TOTAL 45,60']), undefined, hints)).toMatchObject({ value: 'BRL', confidence: 0.5, line: 0 })
    const vat = { taxIdKind: 'VAT', taxIdValue: 'GB434031494', taxIdLine: 0 }
    expect(extractCurrency(lines(['VAT GB434031494', 'Total 10.00']), undefined, vat)?.value).toBe('GBP')
    expect(extractCurrency(lines(['CNPJ 11.222.333/0001-81', 'TOTAL € 45,60']), undefined, hints)?.value).toBe('EUR')
  })

  it('is absent when nothing supports a currency', () => {
    expect(extractCurrency(lines(['TOTAL 12,00', 'GRACIAS']))).toBeUndefined()
  })
})
