import { describe, expect, it } from 'vitest'
import {
  extractTaxId,
  findTaxIds,
  isValidCnpj,
  isValidCpf,
  isValidDeVat,
  isValidEin,
  isValidFrVat,
  isValidGbVat,
  isValidGstin,
  isValidItVat,
  isValidPtNif,
  isValidRfc,
  spanishId,
} from '../../../src/engine/fields/index.js'
import { lines } from './lines.js'

// Every "valid" id below was checked by hand against its algorithm (see checks.ts); each
// "invalid" one differs from a valid id in its check character only.
describe('check digits', () => {
  it.each([
    ['CNPJ', isValidCnpj, '12345678000195', true],
    ['CNPJ', isValidCnpj, '11222333000181', true],
    ['CNPJ', isValidCnpj, '12345678000196', false],
    ['CNPJ', isValidCnpj, '00000000000000', false],
    ['CPF', isValidCpf, '12345678909', true],
    ['CPF', isValidCpf, '52998224725', true],
    ['CPF', isValidCpf, '12345678900', false],
    ['CPF', isValidCpf, '11111111111', false],
    ['PT NIF', isValidPtNif, '123456789', true],
    ['PT NIF', isValidPtNif, '500000000', true],
    ['PT NIF', isValidPtNif, '123456780', false],
    ['DE VAT', isValidDeVat, '123456788', true],
    ['DE VAT', isValidDeVat, '123456789', false],
    ['GB VAT', isValidGbVat, '434031494', true],
    ['GB VAT', isValidGbVat, '123456789', false],
    ['FR VAT', isValidFrVat, '44732829320', true],
    ['FR VAT', isValidFrVat, '45732829320', false],
    ['IT VAT', isValidItVat, '00743110157', true],
    ['IT VAT', isValidItVat, '00743110158', false],
    ['RFC 13', isValidRfc, 'GODE561231GR8', true],
    ['RFC 13', isValidRfc, 'GODE561231GR9', false],
    ['RFC 12', isValidRfc, 'AAA010101AA1', true],
    ['RFC 12', isValidRfc, 'AAA010101AA2', false],
    ['GSTIN', isValidGstin, '27AAPFU0939F1ZV', true],
    ['GSTIN', isValidGstin, '27AAPFU0939F1ZX', false],
    ['EIN', isValidEin, '123456789', true],
    ['EIN', isValidEin, '071234567', false], // 07 is no IRS prefix
  ] as const)('%s %s → %s', (_name, check, id, valid) => {
    expect(check(id)).toBe(valid)
  })

  it.each([
    ['12345678Z', 'NIF', true],
    ['12345678A', 'NIF', false],
    ['X1234567L', 'NIE', true],
    ['X1234567T', 'NIE', false],
    ['B12345674', 'CIF', true],
    ['B12345678', 'CIF', false],
    ['A58818501', 'CIF', true],
    ['Q2826000H', 'CIF', true], // letter control required for Q
    ['Q28260008', 'CIF', false], // digit form not accepted for Q
  ] as const)('Spanish %s → %s %s', (id, kind, valid) => {
    expect(spanishId(id)).toEqual({ kind, valid })
  })

  it('rejects shapes that are no Spanish id', () => {
    expect(spanishId('1234567Z')).toBeUndefined()
    expect(spanishId('I12345674')).toBeUndefined()
  })
})

describe('findTaxIds', () => {
  it.each([
    ['CNPJ: 12.345.678/0001-95', 'CNPJ', '12.345.678/0001-95', true],
    ['CPF 123.456.789-09', 'CPF', '123.456.789-09', true],
    ['CIF B-12345674', 'CIF', 'B-12345674', true],
    ['NIF 12345678-Z', 'NIF', '12345678-Z', true],
    ['NIE: X1234567L', 'NIE', 'X1234567L', true],
    ['RFC: GODE561231GR8', 'RFC', 'GODE561231GR8', true],
    ['RFC AAA010101AA1', 'RFC', 'AAA010101AA1', true],
    ['VAT No: ESB12345674', 'VAT', 'ESB12345674', true],
    ['NIF: PT123456789', 'VAT', 'PT123456789', true],
    ['USt-IdNr.: DE123456788', 'VAT', 'DE123456788', true],
    ['VAT Reg No: GB 434  0314 94', 'VAT', 'GB 434 0314 94', true],
    ['TVA FR44732829320', 'VAT', 'FR44732829320', true],
    ['P.IVA IT00743110157', 'VAT', 'IT00743110157', true],
    ['EIN: 12-3456789', 'EIN', '12-3456789', true],
    ['GSTIN: 27AAPFU0939F1ZV', 'GST', '27AAPFU0939F1ZV', true],
  ])('%s', (text, kind, value, valid) => {
    expect(findTaxIds(text)).toEqual([expect.objectContaining({ kind, value, valid })])
  })

  it.each([
    ['NIPC608024678', 'NIF', '608024678', true],
    ['NIFB12345674', 'CIF', 'B12345674', true],
    ['CNPJ11.222.333/0001-81', 'CNPJ', '11.222.333/0001-81', true],
    ['R.F.C.UKQ880202VM0', 'RFC', 'UKQ880202VM0', true], // 1639 = 11 × 149: check '0'
  ])('label glued to its value by OCR: %s', (text, kind, value, valid) => {
    expect(findTaxIds(text, { labels: text.toLowerCase() })).toEqual([expect.objectContaining({ kind, value, valid })])
  })

  it('repairs OCR digits in the letter positions of an RFC only when the check then holds', () => {
    // EVO100408594: 37·13 + 14·12 + 32·11 + 25·10 + 1·9 + 4·6 + 8·4 + 5·3 + 9·2 = 1349; 1349 mod 11 = 7 → '4'.
    expect(findTaxIds('RFC: EV0100408594')).toEqual([expect.objectContaining({ kind: 'RFC', value: 'EVO100408594', valid: true })])
    expect(findTaxIds('RFC: EV0100408595')).toEqual([])
  })

  it('finds a CNPJ once, with no CPF or EIN inside it', () => {
    expect(findTaxIds('12.345.678/0001-95')).toHaveLength(1)
  })

  it('needs a label for shapes that phone numbers share', () => {
    expect(findTaxIds('Tel: 11987654321')).toEqual([])
    expect(findTaxIds('Tel 912345678')).toEqual([])
    expect(findTaxIds('11222333000181')).toEqual([])
    expect(findTaxIds('11222333000181', { labels: 'cnpj' })[0]?.kind).toBe('CNPJ')
    expect(findTaxIds('NIF: 123456789', { labels: 'nif: 123456789' })[0]).toMatchObject({ kind: 'NIF', valid: true })
  })

  it('reads a VAT prefix only in capitals: "de" is a Spanish word', () => {
    expect(findTaxIds('Pedido de 123456788')).toEqual([])
  })

  it('skips RFC shapes whose date is impossible and the generic customer RFC', () => {
    expect(findTaxIds('ABCD991331XY1')).toEqual([])
    expect(findTaxIds('RFC XAXX010101000')).toEqual([])
  })
})

describe('extractTaxId', () => {
  it.each([
    ['es issuer CIF', ['ACME S.L.', 'CIF: B12345674'], 'B12345674', 'CIF', 1],
    ['NIF', ['NIF: 12345678Z'], '12345678Z', 'NIF', 0],
    ['CNPJ', ['CNPJ: 12.345.678/0001-95'], '12.345.678/0001-95', 'CNPJ', 0],
    ['RFC', ['RFC: GODE561231GR8'], 'GODE561231GR8', 'RFC', 0],
    ['GSTIN', ['GSTIN: 27AAPFU0939F1ZV'], '27AAPFU0939F1ZV', 'GST', 0],
    ['issuer before customer', ['ACME S.L. CIF B12345674', 'Cliente: Juan', 'NIF: 12345678Z'], 'B12345674', 'CIF', 0],
    ['customer printed first, issuer heading later', ['Cliente:', 'NIF 12345678Z', 'Emisor:', 'CIF A58818501'], 'A58818501', 'CIF', 3],
    ['pt emitente vs destinatário', ['Emitente', 'CNPJ 11.222.333/0001-81', 'Destinatário', 'CPF 123.456.789-09'], '11.222.333/0001-81', 'CNPJ', 1],
    ['pt customer block first', ['DESTINATARIO', 'CPF 123.456.789-09', 'ACME LTDA', 'CNPJ 11.222.333/0001-81'], '11.222.333/0001-81', 'CNPJ', 3],
    ['valid beats an earlier misread', ['CIF: B12345678', 'NIF: 12345678Z'], '12345678Z', 'NIF', 1],
    ['label on the line above', ['CNPJ', '11222333000181'], '11222333000181', 'CNPJ', 1],
    ['unlabelled EIN shape ranks last', ['Ref 12-3456789', 'CIF B12345674'], 'B12345674', 'CIF', 1],
    ['pt NIF under its label', ['Contribuinte Nº: 123 456 789'], '123 456 789', 'NIF', 0],
  ])('%s', (_name, texts, value, kind, line) => {
    const field = extractTaxId(lines(texts))
    expect(field).toMatchObject({ value, kind, line, source: texts[line] })
  })

  it('keeps an id whose check fails, with low confidence', () => {
    expect(extractTaxId(lines(['CIF: B12345678']))).toMatchObject({ value: 'B12345678', kind: 'CIF', confidence: 0.5 })
    expect(extractTaxId(lines(['B12345678']))?.confidence).toBeCloseTo(0.35, 4)
    expect(extractTaxId(lines(['GSTIN: 27AAPFU0939F1ZX']))?.confidence).toBeCloseTo(0.5, 4)
    expect(extractTaxId(lines(['EIN: 07-1234567']))?.confidence).toBeCloseTo(0.5, 4)
  })

  it('confidence: labelled valid id, unlabelled, EIN, customer only', () => {
    expect(extractTaxId(lines(['CIF: B12345674'], 0.9))?.confidence).toBeCloseTo(0.9 * 0.98, 4)
    expect(extractTaxId(lines(['B12345674']))?.confidence).toBeCloseTo(0.9, 4)
    expect(extractTaxId(lines(['EIN: 12-3456789']))?.confidence).toBeCloseTo(0.9, 4)
    expect(extractTaxId(lines(['Bill to: Jane Roe', 'EIN 12-3456789']))?.confidence).toBeCloseTo(0.9 * 0.8, 4)
  })

  it('is absent without any id', () => {
    expect(extractTaxId(lines(['Tel: 11987654321', 'TOTAL 12,00']))).toBeUndefined()
  })
})
