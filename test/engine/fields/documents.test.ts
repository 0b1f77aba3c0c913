import { describe, expect, it } from 'vitest'
import { extractFields } from '../../../src/engine/fields/index.js'
import type { Fields } from '../../../src/engine/types.js'
import { lines } from './lines.js'

/** The expected fields, without `source` (always the text of `line`). */
type Expected = Partial<Record<keyof Fields, { value: string; line: number; confidence: number; kind?: string }>>

function check(texts: readonly string[], expected: Expected): void {
  const fields = extractFields(lines(texts))
  expect(Object.keys(fields).sort()).toEqual(Object.keys(expected).sort())
  for (const [name, want] of Object.entries(expected)) {
    const got = fields[name as keyof Fields]
    expect(got, name).toMatchObject({ value: want.value, line: want.line, source: texts[want.line] })
    expect(got?.confidence, `${name} confidence`).toBeCloseTo(want.confidence, 4)
    if (want.kind) expect(got?.kind).toBe(want.kind)
  }
}

// Confidences are line confidence (1 here) × the documented certainties, worked out by hand.
describe('extractFields on whole documents', () => {
  it('es invoice', () => {
    check(
      [
        'Soluciones Ibéricas S.L.',
        'CIF: B12345674',
        'C/ Gran Vía 28, 28013 Madrid',
        'FACTURA Nº F-2024-00123',
        'Fecha de emisión: 15/03/2024',
        'Fecha de vencimiento: 14/04/2024',
        'Cliente: Comercial Norte S.A.',
        'NIF: A58818501',
        'Concepto Cantidad Precio Importe',
        'Consultoría 10 95,00 950,00',
        'Licencias 2 125,00 250,00',
        'Base imponible 1.200,00',
        'IVA 21% 252,00',
        'Total factura 1.452,00 €',
      ],
      {
        date: { value: '2024-03-15', line: 4, confidence: 0.95 },
        total: { value: '1452.00', line: 13, confidence: 0.95 },
        invoiceNumber: { value: 'F-2024-00123', line: 3, confidence: 0.95 },
        taxId: { value: 'B12345674', line: 1, confidence: 0.98, kind: 'CIF' },
        currency: { value: 'EUR', line: 13, confidence: 1 },
      },
    )
  })

  it('es invoice as a recogniser without ñ, º, é, € reads it, cells split into lines', () => {
    check(
      [
        'FERRETERIA LOPEZ S.L.',
        'CIF B-12345674',
        'FACTURA N 2024/0456',
        'Fecha emision',
        '02/05/2024',
        'Vencimiento 01/06/2024',
        'Cliente: Maria Nunez',
        'NIF 12345678-Z',
        'Subtotal 300,00',
        'IVA 21% 63,00',
        'T0TAL',
        '363,00 E',
      ],
      {
        // issue label above (× 0.95), 02/05 could be swapped (× 0.85)
        date: { value: '2024-05-02', line: 4, confidence: 0.95 * 0.95 * 0.85 },
        // plain total (0.9), value on the next line (× 0.9)
        total: { value: '363.00', line: 11, confidence: 0.81 },
        invoiceNumber: { value: '2024/0456', line: 2, confidence: 0.95 },
        taxId: { value: 'B-12345674', line: 1, confidence: 0.98, kind: 'CIF' },
        // `E` beside the amount (0.5) on the total line (× 1.25)
        currency: { value: 'EUR', line: 11, confidence: 0.625 },
      },
    )
  })

  it('pt nota fiscal (DANFE)', () => {
    check(
      [
        'DANFE',
        'Documento Auxiliar da Nota Fiscal Eletrônica',
        'COMERCIO DE ALIMENTOS BOM PRECO LTDA',
        'CNPJ: 12.345.678/0001-95',
        'NF-e Nº 000.004.521 Série 001',
        'Data de Emissão: 07/08/2024',
        'DESTINATÁRIO / REMETENTE',
        'CPF: 123.456.789-09',
        'VALOR TOTAL DOS PRODUTOS',
        '1.234,56',
        'VALOR DO FRETE 50,00',
        'VALOR TOTAL DA NOTA',
        'R$ 1.284,56',
        'Valor aproximado dos tributos R$ 210,00',
      ],
      {
        date: { value: '2024-08-07', line: 5, confidence: 0.95 * 0.85 },
        total: { value: '1284.56', line: 12, confidence: 0.95 * 0.9 },
        invoiceNumber: { value: '000.004.521', line: 4, confidence: 0.95 },
        taxId: { value: '12.345.678/0001-95', line: 3, confidence: 0.98, kind: 'CNPJ' },
        currency: { value: 'BRL', line: 12, confidence: 1 },
      },
    )
  })

  it('en receipt from a US café', () => {
    check(
      [
        'BLUE BOTTLE CAFE',
        '300 Webster St, Oakland, CA 94607',
        'Receipt #: 004512',
        '03/04/2024 08:15 AM',
        'Latte 2 @ 4.50 9.00',
        'Croissant 3.75',
        'Subtotal 12.75',
        'Sales Tax 1.18',
        'Tip 2.00',
        'Total $15.93',
        'Cash $20.00',
        'Change $4.07',
      ],
      {
        // unlabelled (0.7), month-first decided by the US address (× 0.95)
        date: { value: '2024-03-04', line: 3, confidence: 0.7 * 0.95 },
        total: { value: '15.93', line: 9, confidence: 0.9 },
        invoiceNumber: { value: '004512', line: 2, confidence: 0.95 },
        currency: { value: 'USD', line: 9, confidence: 1 },
      },
    )
  })

  it('en UK invoice', () => {
    check(
      [
        'Northwind Ltd',
        'VAT Reg No: GB 434 0314 94',
        'INVOICE',
        'Invoice No: NW-2024-118',
        'Invoice Date: 05/06/2024',
        'Payment due: 05/07/2024',
        'Bill to: Contoso plc',
        'Net total £1,000.00',
        'VAT 20% £200.00',
        'Total due £1,200.00',
      ],
      {
        date: { value: '2024-06-05', line: 4, confidence: 0.95 * 0.85 },
        total: { value: '1200.00', line: 9, confidence: 0.95 },
        invoiceNumber: { value: 'NW-2024-118', line: 3, confidence: 0.95 },
        taxId: { value: 'GB 434 0314 94', line: 1, confidence: 0.98, kind: 'VAT' },
        currency: { value: 'GBP', line: 9, confidence: 1 },
      },
    )
  })

  it('Mexican invoice: $ is MXN', () => {
    check(
      [
        'Comercializadora del Norte S.A. de C.V.',
        'RFC: AAA010101AA1',
        'Factura: A-1024',
        'Fecha: 12 de enero de 2024',
        'Receptor: Juan Pérez',
        'RFC: GODE561231GR8',
        'Subtotal $1,000.00',
        'IVA 16% $160.00',
        'Total $1,160.00',
      ],
      {
        date: { value: '2024-01-12', line: 3, confidence: 0.9 },
        total: { value: '1160.00', line: 8, confidence: 0.9 },
        invoiceNumber: { value: 'A-1024', line: 2, confidence: 0.85 },
        taxId: { value: 'AAA010101AA1', line: 1, confidence: 0.98, kind: 'RFC' },
        currency: { value: 'MXN', line: 8, confidence: 1 },
      },
    )
  })

  it('es supermarket receipt with cash and change', () => {
    check(
      [
        'SUPERMERCADOS EL SOL',
        'NIF B12345674',
        'FACTURA SIMPLIFICADA',
        'Nº: T-001-2024-000123',
        '25/12/2023 19:42',
        'PAN BARRA 0,85',
        'LECHE ENTERA 1L 2,38',
        'TOTAL (3 articulos) 3,23',
        'EFECTIVO 5,00',
        'CAMBIO 1,77',
        'IVA INCLUIDO',
        'Gracias por su visita',
      ],
      {
        date: { value: '2023-12-25', line: 4, confidence: 0.7 },
        total: { value: '3.23', line: 7, confidence: 0.9 },
        invoiceNumber: { value: 'T-001-2024-000123', line: 3, confidence: 0.75 },
        taxId: { value: 'B12345674', line: 1, confidence: 0.98, kind: 'CIF' },
        // nothing printed: the Spanish id's currency, weakly
        currency: { value: 'EUR', line: 1, confidence: 0.5 },
      },
    )
  })

  it('scales each field by its own line confidence', () => {
    const input = [
      { text: 'Invoice No. INV-7', confidence: 0.6 },
      { text: 'Total: 10.00 EUR', confidence: 0.8 },
    ]
    const fields = extractFields(input)
    expect(fields.invoiceNumber?.confidence).toBeCloseTo(0.6 * 0.95, 4)
    expect(fields.total?.confidence).toBeCloseTo(0.8 * 0.9, 4)
    expect(fields.currency?.confidence).toBeCloseTo(0.8 * 1, 4)
  })

  it('matches on normalised text but reports the source line as recognised', () => {
    const texts = ['SALES RECEIPT', 'Austin，TX 78701', 'Date: August 14， 2025', 'TOTAL：\u00a0$17.99']
    const fields = extractFields(lines(texts))
    expect(fields.date).toMatchObject({ value: '2025-08-14', source: 'Date: August 14， 2025' })
    expect(fields.total).toMatchObject({ value: '17.99', source: 'TOTAL：\u00a0$17.99' })
    expect(fields.currency?.value).toBe('USD')
  })

  it('leaves unreadable fields out instead of empty', () => {
    expect(extractFields([])).toEqual({})
    expect(extractFields(lines(['Gracias por su visita', 'Vuelva pronto']))).toEqual({})
  })
})

describe('extractFields on noise', () => {
  // Seeded LCG: the same 120 noisy documents on every run.
  function noiseLines(seed: number, count: number): string[] {
    let s = seed
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32
    const alphabet = 'abcdeNOTALFIC0123456789 .,:/-$€%#ºñçãR$S/ '
    const word = ['TOTAL', 'Fecha', 'Factura Nº', 'NIF', 'CNPJ', 'Vencimiento', '€', 'R$', 'de', 'marzo', 'Subtotal', 'IVA']
    return Array.from({ length: count }, () =>
      Array.from({ length: 1 + Math.floor(next() * 8) }, () =>
        next() < 0.3 ? word[Math.floor(next() * word.length)] : Array.from({ length: 1 + Math.floor(next() * 8) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
      ).join(' '),
    )
  }

  it('always returns well-formed fields that point at their source line', () => {
    const formats: Record<string, RegExp> = {
      date: /^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
      total: /^\d+\.\d{2}$/,
      currency: /^[A-Z]{3}$/,
      invoiceNumber: /\d/,
      taxId: /\S/,
    }
    let seen = 0
    for (let seed = 1; seed <= 120; seed++) {
      const texts = noiseLines(seed, 12)
      const input = lines(texts, 0.9)
      for (const [name, field] of Object.entries(extractFields(input))) {
        seen++
        expect(field.value, name).toMatch(formats[name]!)
        expect(field.confidence).toBeGreaterThanOrEqual(0)
        expect(field.confidence).toBeLessThanOrEqual(0.9)
        expect(field.source).toBe(texts[field.line])
      }
    }
    expect(seen).toBeGreaterThan(50) // the noise does trigger extractors
  })
})
