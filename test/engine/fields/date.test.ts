import { describe, expect, it } from 'vitest'
import { extractDate, findDates, parseDate } from '../../../src/engine/fields/index.js'
import { lines } from './lines.js'

describe('parseDate', () => {
  it.each([
    ['25/12/2018', '2018-12-25'],
    ['25-12-2018', '2018-12-25'],
    ['25.12.2018', '2018-12-25'],
    ['25-12-18', '2018-12-25'],
    ['25/12/18', '2018-12-25'],
    ['2018-12-25', '2018-12-25'],
    ['2018/12/25', '2018-12-25'],
    ['25 / 12 / 2018', '2018-12-25'],
    ['25 DEC 2018', '2018-12-25'],
    ['25 Dec 2018', '2018-12-25'],
    ['25-Dec-18', '2018-12-25'],
    ['December 25, 2018', '2018-12-25'],
    ['Dec. 25th, 2018', '2018-12-25'],
    ['25th December 2018', '2018-12-25'],
    ['25 de diciembre de 2018', '2018-12-25'],
    ['25 de Diciembre del 2018', '2018-12-25'],
    ['25 de dezembro de 2018', '2018-12-25'],
    ['3 ene 2024', '2024-01-03'],
    ['14 fev 2024', '2024-02-14'],
    ['1 abr. 2024', '2024-04-01'],
    ['15 ago 2023', '2023-08-15'],
    ['9 dic 2022', '2022-12-09'],
    ['24 dez 2021', '2021-12-24'],
    ['30 set 2020', '2020-09-30'],
    ['31 out 2024', '2024-10-31'],
    ['2 mai 2024', '2024-05-02'],
    ['10 de março de 2024', '2024-03-10'],
    ['10 de marco de 2024', '2024-03-10'],
    ['10 DE MARÇO DE 2024', '2024-03-10'],
    ['1º de janeiro de 2024', '2024-01-01'],
    ['Madrid, a 7 de septiembre de 2023', '2023-09-07'],
    ['Emitida em 5 de Fevereiro de 2024 às 10:30', '2024-02-05'],
    ['12/25/2018', '2018-12-25'], // only the month-first reading is a date
    ['01/01/70', '1970-01-01'], // 70..99 are 19xx
    ['29/02/2024', '2024-02-29'],
    ['Data de emissao:6de fevereirode2020', '2020-02-06'], // spaces dropped by OCR
    ['25dec2018', '2018-12-25'],
    ['Data de emissao: 2 de abri de 2024', '2024-04-02'], // a letter lost
    ['15 de novenbro de 2023', '2023-11-15'], // a letter misread
    ['3 de dezemb de 2022', '2022-12-03'], // truncated
    ['Datadeemisso26dejunhode2020', '2020-06-26'], // ã lost and every space dropped
    ['Date: August 14， 2025', '2025-08-14'], // full-width comma
    ['Fecha: 28 de 0ctubre de 2019', '2019-10-28'], // zero for the letter o
    ['Fecha factura:17OCT2023', '2023-10-17'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso)
  })

  it.each([
    ['31/04/2024'], // April has 30 days
    ['29/02/2023'], // not a leap year
    ['29/02/1900'], // century, not a leap year
    ['2024-13-01'],
    ['32 dic 2024'],
    ['13/13/2024'],
    ['12.345.678/0001-95'], // a CNPJ
    ['F-2024-00123'], // an invoice number
    ['1.234,56'], // an amount
    ['25 units 2018'], // not a month
  ])('%s is not a date', (text) => {
    expect(parseDate(text)).toBeUndefined()
  })

  it('reads an ambiguous date day-first unless told the document is US', () => {
    expect(parseDate('05/03/2024')).toBe('2024-03-05')
    expect(parseDate('05/03/2024', { monthFirst: true })).toBe('2024-05-03')
    expect(parseDate('25/03/2024', { monthFirst: true })).toBe('2024-03-25')
  })

  it('flags only swappable numeric dates as ambiguous', () => {
    expect(findDates('05/03/2024')[0]?.ambiguous).toBe(true)
    expect(findDates('05/05/2024')[0]?.ambiguous).toBe(false)
    expect(findDates('25/03/2024')[0]?.ambiguous).toBe(false)
    expect(findDates('2024-03-05')[0]?.ambiguous).toBe(false)
  })

  it('finds every date of a line with its position', () => {
    const text = 'fecha: 01/02/2024 vencimiento: 01/03/2024'
    expect(findDates(text).map((d) => [d.iso, d.index, d.end])).toEqual([
      ['2024-02-01', 7, 17],
      ['2024-03-01', 31, 41],
    ])
  })
})

describe('extractDate', () => {
  it.each([
    ['issue date after a due date', ['Vencimiento: 15/04/2024', 'Fecha de emisión: 15/03/2024'], '2024-03-15', 1],
    ['issue and due on one line', ['Fecha: 01/02/2024 Vencimiento: 01/03/2024'], '2024-02-01', 0],
    ['pt due first on one line', ['Vencimento 10/05/2024 Emissão 10/04/2024'], '2024-04-10', 0],
    ['en due before invoice date', ['Due date: 2024-05-01', 'Invoice date: 2024-04-01'], '2024-04-01', 1],
    ['accents lost by OCR', ['Data de Emissao: 10/03/2024', 'Data de Vencimento: 10/04/2024'], '2024-03-10', 0],
    ['upper case labels', ['FECHA DE VENCIMIENTO 30/06/2024', 'FECHA DE EMISION 31/05/2024'], '2024-05-31', 1],
    ['label on the line above', ['Fecha de emisión', '25/03/2024'], '2024-03-25', 1],
    ['header row over value row', ['Fecha de emisión   Fecha de vencimiento', '15/03/2024   15/04/2024'], '2024-03-15', 1],
    ['header row, due first', ['Vencimiento   Fecha', '15/04/2024   15/03/2024'], '2024-03-15', 1],
    ['unlabelled receipt timestamp', ['SUPERMERCADO', '25/12/2018 14:32', 'TOTAL 2,15'], '2018-12-25', 1],
    ['delivery date loses to an unlabelled one', ['Fecha de entrega: 20/03/2024', '15/03/2024'], '2024-03-15', 1],
    ['invalid calendar date skipped', ['Fecha: 31/02/2024', 'Fecha: 28/02/2024'], '2024-02-28', 1],
    ['unambiguous month-first in es', ['Fecha: 12/25/2018'], '2018-12-25', 0],
    ['month name date', ['Invoice date: 5 March 2024'], '2024-03-05', 0],
    ['glued label and date', ['Datadeemisso26dejunhode2020', 'Vencimento: 26/07/2020'], '2020-06-26', 0],
    ['only a due date is still a date', ['Due date: 20/05/2024'], '2024-05-20', 0],
    ['date wrapped over two lines', ['Data de emissão: 23 de novembro de', '2024', '18:04'], '2024-11-23', 0],
  ])('%s', (_name, texts, iso, line) => {
    const field = extractDate(lines(texts))
    expect(field?.value).toBe(iso)
    expect(field?.line).toBe(line)
    expect(field?.source).toBe(texts[line])
  })

  it.each([
    ['US address', ['Acme Inc', '500 Market St, San Francisco, CA 94105', 'Invoice Date: 03/04/2024'], '2024-03-04'],
    ['EIN', ['Acme Inc', 'EIN: 12-3456789', 'Invoice Date: 03/04/2024'], '2024-03-04'],
    ['$ and USD', ['Invoice', 'Date: 03/04/2024', 'Amount due: $100.00 USD'], '2024-03-04'],
    ['UK invoice (VAT, no US signs)', ['Acme Ltd', 'VAT No GB434031494', 'Invoice Date: 03/04/2024'], '2024-04-03'],
    ['es invoice priced in $ USD', ['Factura', 'Fecha: 03/04/2024', 'Cliente: ACME', 'Total $ 100.00 USD'], '2024-04-03'],
    ['pt document with a US-like address', ['Nota fiscal', 'Data de emissão 03/04/2024', 'CA 94105'], '2024-04-03'],
    ['US address with a full-width comma', ['Receipt', 'Austin，TX 78701', 'Date: 03/04/2024'], '2024-03-04'],
  ])('day/month order: %s', (_name, texts, iso) => {
    expect(extractDate(lines(texts))?.value).toBe(iso)
  })

  it('confidence is line confidence × certainty, lower for due dates and ambiguous orders', () => {
    expect(extractDate(lines(['Fecha de emisión: 25/12/2018'], 0.8))?.confidence).toBeCloseTo(0.8 * 0.95, 4)
    expect(extractDate(lines(['Fecha: 25/12/2018']))?.confidence).toBeCloseTo(0.9, 4)
    expect(extractDate(lines(['25/12/2018']))?.confidence).toBeCloseTo(0.7, 4)
    expect(extractDate(lines(['Due date: 25/12/2018']))?.confidence).toBeCloseTo(0.4, 4)
    expect(extractDate(lines(['Fecha: 05/03/2024']))?.confidence).toBeCloseTo(0.9 * 0.85, 4)
  })

  it('is absent when no line holds a date', () => {
    expect(extractDate(lines(['TOTAL 12,00', 'CIF B12345674']))).toBeUndefined()
    expect(extractDate([])).toBeUndefined()
  })
})
