import { describe, expect, it } from 'vitest'
import { detectLanguage } from '../../../src/engine/latin/index.js'

describe('detectLanguage', () => {
  it.each([
    ['es', 'FACTURA\nFecha de emision: 12/03/2024\nDescripcion Cant. Precio Importe\nGracias por su visita'],
    ['es', 'TICKET DE VENTA\nCafe con leche 1,50\nTOTAL 3,00\nLe atendio: Maria'],
    ['pt', 'NOTA FISCAL\nData de emissao: 12/03/2024\nDescricao Qtd. Valor unit.\nObrigado pela preferencia!'],
    ['pt', 'FATURA\nCondicoes de pagamento: pronto pagamento\nTotal a pagar 12,00'],
    ['en', 'INVOICE\nDate: March 5, 2024\nDescription Qty Price Amount\nThank you for your business'],
    ['es', 'Señor Ibáñez, ¿dónde está?'],
    ['pt', 'Informação e condições'],
  ])('%s: %j', (lang, text) => expect(detectLanguage(text).lang).toBe(lang))

  it('says unknown when there is too little or no Latin evidence', () => {
    expect(detectLanguage('').lang).toBe('unknown')
    expect(detectLanguage('TOTAL 12,00').lang).toBe('unknown')
    expect(detectLanguage('发票号码 12345 合计').lang).toBe('unknown')
  })

  it('says unknown when two languages score alike', () => {
    const guess = detectLanguage('el la the of')
    expect(guess.scores.es).toBe(guess.scores.en)
    expect(guess.lang).toBe('unknown')
  })
})
