import { describe, expect, it } from 'vitest'
import { EditableLine } from '../../../src/engine/latin/line.js'
import { foldFullwidth, pageMoney, restoreEuro, restoreInvertedMarks, restoreNumero, restoreOrdinals } from '../../../src/engine/latin/symbols.js'

const run = (fn: (l: EditableLine) => void, text: string) => {
  const line = new EditableLine(text, 0.9)
  fn(line)
  return line.text
}

describe('restoreNumero', () => {
  it.each([
    ['Factura N9 2024-0157', 'Factura Nº 2024-0157'],
    ['N? 123', 'Nº 123'],
    ['N° 123', 'Nº 123'],
    ['NO 5', 'Nº 5'],
    ['Rua X, n 45', 'Rua X, nº 45'],
    ['Ticket N2024', 'Ticket Nº 2024'],
    ['Nota: N 7', 'Nota: Nº 7'],
    ['N de factura: F-2024-46642', 'Nº de factura: F-2024-46642'],
    ['Nota N de venta', 'Nota Nº de venta'],
    ['N da fatura:', 'Nº da fatura:'],
    ['Contribuinte N9', 'Contribuinte Nº'],
    ['Factura N', 'Factura Nº'],
    ['N Ticket:', 'Nº Ticket:'],
    ['Fra. simplificada No T-3615-526', 'Fra. simplificada Nº T-3615-526'],
    ['NFC-e N2 000.110.032', 'NFC-e Nº 000.110.032'],
    ['Nota Fiscal Nê 000.767.122', 'Nota Fiscal Nº 000.767.122'],
  ])('%j → %j', (input, out) => expect(run(restoreNumero, input)).toBe(out))

  it.each(['N123 is a code', 'Factura N92024-001', 'no 2 andar', 'NIF: N1234567A', 'MAN 3', 'Zona N', 'Fila N de la tabla', 'Vitamina N9'])('leaves %j', (input) => expect(run(restoreNumero, input)).toBe(input))
})

describe('restoreOrdinals', () => {
  it.each([
    ['1a via', '1ª via'],
    ['2o andar', '2º andar'],
    ['2° andar', '2º andar'],
    ['Planta 3@', 'Planta 3ª'],
    ['89, 3a', '89, 3ª'],
  ])('%j → %j', (input, out) => expect(run(restoreOrdinals, input)).toBe(out))

  it.each(['25°C', '12,5a', '0x1a2b', '2024a', 'A3a', 'N9 00o.767.122', '0a', '1o.5'])('leaves %j', (input) => expect(run(restoreOrdinals, input)).toBe(input))
})

describe('restoreEuro', () => {
  const euro = pageMoney('Total 12,00')
  it.each([
    ['Total: 1.234,56 ', 'Total: 1.234,56 €'],
    ['12,00  ', '12,00 €'],
    ['1.234,56 E', '1.234,56 €'],
    ['1.234,56 e', '1.234,56 €'],
    ['45,90E', '45,90€'],
    ['E 12,00', '€ 12,00'],
    ['e', '€'],
    [' E ', ' € '],
    ['2,65 ∈/kg', '2,65 €/kg'],
    ['20,09 ε/kg 47,79', '20,09 €/kg 47,79'],
  ])('%j → %j', (input, out) => expect(run((l) => restoreEuro(l, euro), input)).toBe(out))

  it.each(['Total: 1.234,56', '1.234,56 €', 'IVA 21% 12,00 EUR', 'Cerveza 2,50 y agua', 'Ref 12,5 ', '2024 ', 'ε-greedy'])('leaves %j', (input) => expect(run((l) => restoreEuro(l, euro), input)).toBe(input))

  it('does nothing on pages priced in another currency or without amounts', () => {
    expect(pageMoney('R$ 45,90').euro).toBe(false)
    expect(pageMoney('Total 45,90 MXN').euro).toBe(false)
    expect(pageMoney('Hola').euro).toBe(false)
    expect(run((l) => restoreEuro(l, pageMoney('R$ 1,00')), 'Total 45,90 ')).toBe('Total 45,90 ')
  })
})

describe('restoreInvertedMarks', () => {
  it.each([
    ['iGracias por su compra!', '¡Gracias por su compra!'],
    ['jHola!', '¡Hola!'],
    ['lHola!', '¡Hola!'],
    ['EDonde esta?', '¿Dónde esta?'],
    ['Gracias. iPreguntas?', 'Gracias. ¿Preguntas?'],
    ['Gracias. iPreguntas? lLame!', 'Gracias. ¿Preguntas? ¡Lame!'],
  ])('%j → %j', (input, out) => expect(run(restoreInvertedMarks, input)).toBe(out))

  // No glyph read where a mark would be: nothing is added (issue 16: no invented ¡ or ¿).
  it.each(['¿Dónde está?', '¡Hola!', 'y usted?', 'Total: 12', 'iPhone', 'Donde esta?', 'Vuelva pronto!', 'Gracias. Preguntas? Llame!'])('leaves %j', (input) => expect(run(restoreInvertedMarks, input)).toBe(input))
})

describe('foldFullwidth', () => {
  it('maps fullwidth ASCII and the ideographic space', () => {
    expect(run(foldFullwidth, '45，90：Ａ１\u3000x')).toBe('45,90:A1 x')
  })
})
