/**
 * The amount payable (issue 16, item 1): after tax and rounding; never a subtotal, a pre-tax
 * total, a tax line, cash tendered, change or an item count, whatever the language and however
 * the labels say "with" or "without" tax.
 */
import { describe, expect, it } from 'vitest'
import { extractTotal } from '../../../src/engine/fields/index.js'
import { lines } from './lines.js'

describe('extractTotal: the amount payable', () => {
  it.each([
    // Tax-exclusive: pre-tax total, tax, total with tax.
    ['es s/IVA then c/IVA', ['Total s/IVA 6,76 €', 'IVA 10% 0,68', 'Total c/IVA 7,44 €'], '7.44'],
    ['es sin IVA after con IVA', ['TOTAL CON IVA 121,00', 'Total sin IVA 100,00'], '121.00'],
    ['es importe neto', ['Importe neto 100,00', 'I.V.A. 21% 21,00', 'TOTAL 121,00'], '121.00'],
    ['pt s/ICMS', ['Total s/ICMS 50,00', 'ICMS 18% 9,00', 'Total c/ICMS 59,00'], '59.00'],
    ['pt sem impostos', ['Valor sem impostos R$ 50,00', 'TOTAL R$ 59,00'], '59.00'],
    ['en excl. then incl. VAT', ['Total excl. VAT 10.00', 'VAT 20% 2.00', 'Total incl. VAT 12.00'], '12.00'],
    ['en incl. first, excl. after', ['TOTAL INC GST $11.00', 'Total ex GST $10.00', 'GST $1.00'], '11.00'],
    ['en pre-tax total', ['Pre-tax total 10.00', 'Tax (6%) 0.60', 'Total 10.60'], '10.60'],
    ['en total before tax', ['Total before tax 10.00', 'Sales Tax 0.89', 'Amount due 10.89'], '10.89'],
    ['en (incl. GST)', ['Subtotal (ex GST) 20.00', 'GST 2.00', 'Total (incl. GST) 22.00'], '22.00'],
    // Tax-inclusive: the total, then the tax it includes.
    ['en GST included in total', ['TOTAL $48.96', 'GST included in total $4.45'], '48.96'],
    ['en total includes GST of', ['Total $48.96', 'Total includes GST of $4.45'], '48.96'],
    ['es IVA incluido', ['TOTAL 12,10 €', 'IVA incluido 2,10'], '12.10'],
    ['pt ICMS incluído', ['TOTAL R$ 60,17', 'ICMS incluído 6,45', 'Valor sem ICMS 53,72'], '60.17'],
    ['es tax table after the total', ['TOTAL 12,10', 'IVA 21% Base 10,00 Total 2,10'], '12.10'],
    // Rounding.
    ['en rounding then amount due', ['TOTAL 55.34', 'Rounding 0.01', 'Amount due 55.35'], '55.35'],
    ['en rounding down, total twice', ['Total 55.32', 'Rounding -0.02', 'Total 55.30'], '55.30'],
    ['es redondeo', ['Total 12,12', 'Redondeo -0,02', 'Total a pagar 12,10'], '12.10'],
    ['pt arredondamento', ['TOTAL 9,98', 'Arredondamento 0,02', 'TOTAL 10,00'], '10.00'],
    // Tendered and change.
    ['es efectivo y cambio', ['TOTAL 9,67 EUR', 'Efectivo recibido 10,00', 'Su cambio 0,33'], '9.67'],
    ['pt dinheiro e troco', ['Valor a pagar R$ 41,87', 'Dinheiro 45,00', 'Troco 3,13'], '41.87'],
    ['en cash tendered', ['Amount due 23.40', 'Cash tendered 50.00', 'Change due 26.60'], '23.40'],
    // Item counts.
    ['en count on the total row', ['TOTAL 5 ITEMS 23.40'], '23.40'],
    ['es count in the quantity column', ['TOTAL 5 23,40'], '23.40'],
    ['es count read on its own line', ['TOTAL 5', '23,40 €'], '23.40'],
    ['pt label, count cell, amount cell', ['IVA 13%', '7,74', 'Total', '14', '67,24 EUR'], '67.24'],
    ['pt itens after the total', ['TOTAL R$ 23,40', 'Qtd. total de itens: 5'], '23.40'],
    ['en qty after the total', ['Total 23.40', 'Total qty 5'], '23.40'],
    // Printed twice.
    ['total twice around payment', ['TOTAL 12,10', 'Tarjeta **** 1234 12,10', 'TOTAL EUR 12,10'], '12.10'],
    // Other Latin-script receipts: currency codes, symbols, or none at all.
    ['fr TTC', ['Total HT 10,00', 'TVA 20% 2,00', 'Total TTC 12,00 €'], '12.00'],
    ['fr net à payer', ['Sous-total 12,00', 'NET A PAYER 12,00 EUR', 'Espèces 20,00', 'Rendu 8,00'], '12.00'],
    ['it totale complessivo', ['Imponibile 10,00', 'IVA 22% 2,20', 'TOTALE COMPLESSIVO 12,20', 'Contanti 20,00', 'Resto 7,80'], '12.20'],
    ['de Summe', ['Summe EUR 12,10', 'Bar 20,00', 'Rückgeld 7,90', 'MwSt 19% 1,93 Netto 10,17'], '12.10'],
    ['de zu zahlen', ['Netto 10,17', 'MwSt 19% 1,93', 'Zu zahlen 12,10'], '12.10'],
    ['ar pesos with symbol', ['Subtotal $ 1.000,00', 'IVA 21% $ 210,00', 'TOTAL $ 1.210,00', 'Su vuelto $ 90,00'], '1210.00'],
    ['au no currency mark', ['TOTAL 22.05', 'ROUNDING -0.05', 'AMOUNT DUE 22.00', 'CASH 50.00', 'CHANGE 28.00'], '22.00'],
  ])('%s', (_name, texts, value) => {
    expect(extractTotal(lines(texts))?.value).toBe(value)
  })
})
