import { describe, expect, it } from 'vitest'
import { extractTotal, findTotalLabels } from '../../../src/engine/fields/index.js'
import { lines } from './lines.js'

describe('extractTotal', () => {
  it.each([
    // es
    ['subtotal and tax before the total', ['Subtotal 100,00', 'IVA 21% 21,00', 'Total 121,00'], '121.00', 2],
    ['cash and change after the total', ['TOTAL 45,60', 'EFECTIVO 50,00', 'CAMBIO 4,40'], '45.60', 0],
    ['entregado / cambio', ['Total 45,60', 'Entregado 50,00', 'Cambio 4,40'], '45.60', 0],
    ['cash and change on the total row', ['Total 45,60 Efectivo 50,00 Cambio 4,40'], '45.60', 0],
    ['total factura with thousands', ['Base imponible 1.000,00', 'IVA 21% 210,00', 'Total factura 1.210,00 €'], '1210.00', 2],
    ['tax total is not the total', ['Total IVA 21,00', 'Total factura 121,00'], '121.00', 1],
    ['total including tax', ['Base 100,00', 'Total (IVA incluido) 121,00'], '121.00', 1],
    ['total con IVA', ['Total sin IVA 100,00', 'Total con IVA: 121,00'], '121.00', 1],
    ['label on its own line', ['TOTAL A PAGAR', '1.210,00 €'], '1210.00', 1],
    ['label, currency line, value', ['TOTAL', 'EUR', '45,60'], '45.60', 2],
    ['column header row over values', ['Subtotal   IVA   Total', '100,00   21,00   121,00'], '121.00', 1],
    ['date on the total line', ['Total a pagar antes del 30.04.2024: 121,00'], '121.00', 0],
    ['a discount between two totals: the last', ['Total 50,00', 'Descuento -5,00', 'Total 45,00'], '45.00', 2],
    ['strongest label beats a later plain one', ['Total a pagar 121,00', 'Total 10,00'], '121.00', 0],
    ['item count after the total', ['TOTAL 45,60', 'TOTAL 3 ARTICULOS'], '45.60', 0],
    ['item count on the total row', ['TOTAL (3 articulos) 45,60'], '45.60', 0],
    ['es thousands without decimals', ['Total 1.234'], '1234.00', 0],
    ['importe total', ['Importe total: 2.500,00 EUR'], '2500.00', 0],
    // pt
    ['pt receipt', ['TOTAL R$ 45,60', 'DINHEIRO R$ 50,00', 'TROCO R$ 4,40'], '45.60', 0],
    [
      'pt nota fiscal totals',
      ['VALOR TOTAL DOS PRODUTOS 100,00', 'VALOR TOTAL DOS TRIBUTOS 12,00', 'VALOR TOTAL DA NOTA 112,00'],
      '112.00',
      2,
    ],
    ['pt valor a pagar', ['Desconto 5,00', 'Valor a pagar R$ 1.234,56'], '1234.56', 1],
    ['pt total da nota on next line', ['Total da nota', 'R$ 1.234,56'], '1234.56', 1],
    ['pt valor líquido after valor dos produtos', ['Valor dos produtos R$ 12.564,67', 'ICMS 12% R$ 1.507,76', 'Valor líquido R$ 14.072,43'], '14072.43', 2],
    ['pt total ilíquido is before tax', ['Total ilíquido 30,29', 'IVA 6% 1,82', 'TOTAL 32,11 €'], '32.11', 2],
    ['pt approximate taxes line', ['TOTAL R$ 45,60', 'Valor aprox. tributos R$ 5,12'], '45.60', 0],
    // en
    ['en receipt with tip, cash, change', ['Subtotal $100.00', 'Tax $8.00', 'Tip $15.00', 'Total $123.00', 'Cash $150.00', 'Change $27.00'], '123.00', 3],
    ['balance due', ['Subtotal 1,000.00', 'VAT 20% 200.00', 'Balance Due 1,200.00'], '1200.00', 2],
    ['amount due in euro', ['Amount due: €1,234.56'], '1234.56', 0],
    ['grand total', ['Total items: 4', 'Grand Total: 1,234.56'], '1234.56', 1],
    ['total due', ['Total due: $99.00'], '99.00', 0],
    ['tax total (en order)', ['Tax total 8.00', 'Total 108.00'], '108.00', 1],
    ['net total', ['Net total 100.00', 'Total 120.00'], '120.00', 1],
    ['PEN', ['OP. GRAVADA S/. 100.00', 'IGV S/. 18.00', 'TOTAL S/. 118.00'], '118.00', 2],
    // OCR noise
    ['T0TAL', ['T0TAL 12,50'], '12.50', 0],
    ['Tota1', ['Tota1: 9,99'], '9.99', 0],
    ['TOTAI', ['TOTAI 7,00'], '7.00', 0],
    ['spaces inside the number', ['TOTAL 1 234,56'], '1234.56', 0],
    ['O for zero', ['TOTAL 45,6O'], '45.60', 0],
    ['dotted leader', ['TOTAL.............45,60'], '45.60', 0],
  ])('%s', (_name, texts, value, line) => {
    const field = extractTotal(lines(texts))
    expect(field?.value).toBe(value)
    expect(field?.line).toBe(line)
  })

  it.each([
    ['only subtotal and tax', ['Subtotal 10,00', 'IVA 2,10']],
    ['a table header is not a total', ['Description Qty Price Total', 'Widget 2 10.00 20.00']],
    ['tax total alone', ['Total IVA 21,00']],
    ['total efectivo', ['TOTAL EFECTIVO 50,00']],
    ['label with nothing after it', ['TOTAL', 'Gracias por su visita']],
    ['no labels', ['PAN 1,20', 'LECHE 0,95']],
  ])('absent: %s', (_name, texts) => {
    expect(extractTotal(lines(texts))).toBeUndefined()
  })

  it('confidence reflects label strength, position and doubts', () => {
    expect(extractTotal(lines(['Total a pagar 121,00'], 0.9))?.confidence).toBeCloseTo(0.9 * 0.95, 4)
    expect(extractTotal(lines(['Total 121,00']))?.confidence).toBeCloseTo(0.9, 4)
    expect(extractTotal(lines(['TOTAL A PAGAR', '121,00']))?.confidence).toBeCloseTo(0.95 * 0.9, 4)
    expect(extractTotal(lines(['Total 45']))?.confidence).toBeCloseTo(0.9 * 0.85, 4)
    // Two plain totals that disagree.
    expect(extractTotal(lines(['Total 50,00', 'Total 45,00']))?.confidence).toBeCloseTo(0.9 * 0.9, 4)
  })
})

describe('findTotalLabels', () => {
  it.each([
    ['total a pagar: 12,10', [3]],
    ['total 12,10', [2]],
    ['importe 12,10', [1]],
    ['subtotal 10,00', []],
    ['sub-total 10,00', []],
    ['sub total 10,00', []],
    ['total iva 2,10', []],
    ['total de iva 2,10', []],
    ['total (iva incl.) 12,10', [3]],
    ['total efectivo 20,00', []],
    ['total troco 2,00', []],
    ['total tip 2,00', []],
    ['descripcion cantidad precio total', []],
  ])('%s → strengths %j', (folded, strengths) => {
    expect(findTotalLabels(folded).map((l) => l.strength)).toEqual(strengths)
  })
})
