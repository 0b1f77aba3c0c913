import { describe, expect, it } from 'vitest'
import { extractInvoiceNumber, readIdentifier } from '../../../src/engine/fields/index.js'
import { lines } from './lines.js'

describe('extractInvoiceNumber', () => {
  it.each([
    // es
    ['Factura Nº F-2024-00123', 'F-2024-00123'],
    ['Factura n.º 123', '123'],
    ['Nº Factura: 2024/0012', '2024/0012'],
    ['Número de factura: 7781', '7781'],
    ['FACTURA NUMERO 7781', '7781'],
    ['Factura simplificada Nº T001-2345', 'T001-2345'],
    ['Factura: A-77.', 'A-77'],
    ['FACTURA Nº 2024-001 FECHA 12/03/2024', '2024-001'],
    // pt
    ['Nota Fiscal Nº 000.123.456', '000.123.456'],
    ['NF-e Nº 123456 Série 1', '123456'],
    ['NFC-e nº 4521', '4521'],
    ['Fatura-Recibo Nº FR 2024/15', 'FR 2024/15'],
    ['Recibo Nº 12', '12'],
    // en
    ['Invoice No. INV-88412', 'INV-88412'],
    ['Invoice #12345', '12345'],
    ['Invoice Number: 2024-0042', '2024-0042'],
    ['Receipt No: 00045', '00045'],
    ['Ticket: T-0042', 'T-0042'],
    ['TAX INVOICE No. 55/2024', '55/2024'],
  ])('%s → %s', (text, value) => {
    const field = extractInvoiceNumber(lines([text]))
    expect(field?.value).toBe(value)
    expect(field?.line).toBe(0)
  })

  it.each([
    ['Factura N° 7781'],
    ['Factura No 7781'],
    ['Factura N9 7781'],
    ['Factura Nq 7781'],
    ['Factura N 7781'], // º dropped by the recogniser
    ['Factura Nº: 7781'],
    ['FACTURA N.7781'],
    ['Factura N? 7781'], // the recogniser's stand-in for a glyph it lacks
    ['Factura N2 7781'], // º read as 2
  ])('OCR variant of the number sign: %s', (text) => {
    expect(extractInvoiceNumber(lines([text]))?.value).toBe('7781')
  })

  it.each([
    ['bare Nº under a FACTURA title', ['FACTURA', 'Nº 0042'], '0042', 1],
    ['label closing the line, id below', ['Invoice No.', 'INV-88412'], 'INV-88412', 1],
    ['mark+doc label above', ['Nº Factura', '2024/0012'], '2024/0012', 1],
    ['order number loses to the invoice number', ['Pedido Nº 555', 'Factura Nº 777'], '777', 1],
    ['customer number ignored', ['FACTURA Nº 0042', 'Cliente Nº 5531'], '0042', 0],
  ])('%s', (_name, texts, value, line) => {
    const field = extractInvoiceNumber(lines(texts))
    expect(field?.value).toBe(value)
    expect(field?.line).toBe(line)
  })

  it.each([
    ['a total labelled factura', ['Total factura 121,00']],
    ['a date labelled factura', ['Fecha factura: 12/03/2024']],
    ['an invoice date', ['Invoice Date: 12/03/2024']],
    ['a street number under FACTURA', ['FACTURA', 'Calle Mayor Nº 12']],
    ['a customer number under FACTURA', ['FACTURA', 'Cliente Nº 5531']],
    ['an order number', ['Pedido Nº 123']],
    ['a bare Nº far from any document word', ['Nº 0042']],
    ['a title without a number', ['FACTURA', 'ACME S.L.']],
    ['bill to', ['Bill To: 123 Main St']],
  ])('absent: %s', (_name, texts) => {
    expect(extractInvoiceNumber(lines(texts))).toBeUndefined()
  })

  it('confidence: explicit sign > document word alone > bare sign; next line lower', () => {
    expect(extractInvoiceNumber(lines(['Factura Nº 12'], 0.9))?.confidence).toBeCloseTo(0.9 * 0.95, 4)
    expect(extractInvoiceNumber(lines(['Ticket: T-0042']))?.confidence).toBeCloseTo(0.85, 4)
    expect(extractInvoiceNumber(lines(['FACTURA', 'Nº 0042']))?.confidence).toBeCloseTo(0.75, 4)
    expect(extractInvoiceNumber(lines(['Invoice No.', 'INV-1']))?.confidence).toBeCloseTo(0.95 * 0.9, 4)
  })
})

describe('readIdentifier', () => {
  it('reads a series only when allowed', () => {
    expect(readIdentifier('Nº FT 2024/15', 2, true)).toBe('FT 2024/15')
    expect(readIdentifier('Invoice ACME 12', 7, false)).toBeUndefined()
  })

  it('rejects amounts, times and dates', () => {
    expect(readIdentifier(' 121,00', 0, false)).toBeUndefined()
    expect(readIdentifier(' 12:30', 0, false)).toBeUndefined()
    expect(readIdentifier(' 12/03/2024', 0, false)).toBeUndefined()
    expect(readIdentifier(' 12/03/2024-7', 0, false)).toBe('12/03/2024-7')
  })
})

describe('extractInvoiceNumber on generator-style labels', () => {
  it.each([
    [['Folio: FAC-110261'], 'FAC-110261'],
    [['Factura Folio Nº C39426'], 'C39426'],
    [['Número da nota: 000.524.791'], '000.524.791'],
    [['Nota N 815272'], '815272'],
    [['Documento: FR B/9811'], 'FR B/9811'],
    [['Fatura simplificada Nº FR A/8658'], 'FR A/8658'],
    [['Fra. simplificada N FS232359'], 'FS232359'],
    [['Trans. No. 38328'], '38328'],
    [['Extrato Nº 350246'], '350246'],
    [['FATURA SIMPLIFICADA', 'Contribuinte Nº 536181721', 'Documento: FR A/1'], 'FR A/1'],
    [['R.F.C. NFS971114AX4', 'Folio: A-4209'], 'A-4209'],
    // Read by the engine from generated documents:
    [['NFC-e N? 058385'], '058385'],
    [['Fatura N9FT2024/962'], 'FT2024/962'],
    [['Cupom NQ070904'], '070904'],
    [['NF-e N2 000.896.320'], '000.896.320'],
    [['Folio fiscal N? FAC-051849'], 'FAC-051849'],
    [['TICKET', 'DE VENTA', 'NoTicket:T-0235-442'], 'T-0235-442'],
    [['Fatura Ne FT 2023/777'], 'FT 2023/777'],
    [['Factura Folio Ng A-4183'], 'A-4183'],
  ])('%j → %s', (texts, value) => {
    expect(extractInvoiceNumber(lines(texts))?.value).toBe(value)
  })
})
