/**
 * Restoration of what PP-OCRv4 actually printed for es/pt text (the inputs are the recogniser's
 * outputs recorded in the confusion study: DejaVu Sans/Serif lines at height 48, clean and
 * degraded), and no-regression cases.
 */
import { describe, expect, it } from 'vitest'
import { restoreLatin, type LatinLineInput } from '../../../src/engine/latin/index.js'

const restore = (texts: string[], lang: 'es' | 'pt' | 'en' | 'auto' = 'auto') => restoreLatin(texts.map((text) => ({ text, confidence: 0.95 })), { lang })
const texts = (t: string[], lang: 'es' | 'pt' | 'en' | 'auto' = 'auto') => restore(t, lang).lines.map((l) => l.text)

describe('restoreLatin on Spanish recogniser output', () => {
  it.each([
    ['Espana', 'España'],
    ['senor', 'señor'],
    ['Descripcion', 'Descripción'],
    ['Direccion: Calle Mayor 3, 29', 'Dirección: Calle Mayor 3, 29'],
    ['Bogota', 'Bogotá'],
    ['Nunez', 'Núñez'],
    ['Munoz', 'Muñoz'],
    ['Compania', 'Compañía'],
    ['Manana', 'Mañana'],
    ['cancion', 'canción'],
    ['Numero de factura:', 'Número de factura:'],
    ['Pagina 1 de 2', 'Página 1 de 2'],
    ['Factura N9 2024-0157', 'Factura Nº 2024-0157'],
    ['Factura N? 2024-0157', 'Factura Nº 2024-0157'],
    ['Factura No 2024-0157', 'Factura Nº 2024-0157'],
    ['Factura N2024-001', 'Factura Nº 2024-001'],
    ['N 123', 'Nº 123'],
    ['Total: 1.234,56 ', 'Total: 1.234,56 €'],
    ['Total: 1.234,56 E', 'Total: 1.234,56 €'],
    ['45,90E', '45,90€'],
    ['iGracias por su compra!', '¡Gracias por su compra!'],
    ['jHola!', '¡Hola!'],
    ['EDonde está?', '¿Dónde está?'],
    ['Gracias. iPreguntas?', 'Gracias. ¿Preguntas?'],
    ['Gracias. Preguntas?', 'Gracias. Preguntas?'],
    ['Avda. de la Constitucion, 45, 2o B', 'Avda. de la Constitución, 45, 2º B'],
    ['C/ Nunez de Balboa, 89, 3a', 'C/ Núñez de Balboa, 89, 3ª'],
    ['Le atendi6: Guadalupe', 'Le atendió: Guadalupe'],
    ['C.P. 37000 Le6n, Gto.', 'C.P. 37000 León, Gto.'],
    ['1,527 kg × 2,65 ∈/kg 4,05', '1,527 kg × 2,65 €/kg 4,05'],
  ])('%j → %j', (input, expected) => {
    expect(texts([input], 'es')).toEqual([expected])
  })

  it('leaves words the dictionaries cannot settle', () => {
    // dictionary-es lacks pingüino; pt "peca" is a form of pecar, and a cedilla is no stress mark.
    expect(texts(['pinguino'], 'es')).toEqual(['pinguino'])
    expect(texts(['PECA'], 'pt')).toEqual(['PECA'])
  })

  it('leaves words whose bare spelling is a headword: the image gave no evidence', () => {
    // año/ano, caña/cana, peña/pena, esta/está: the dictionary headword stands.
    expect(texts(['Ano 2024', 'Cana de cerveza', 'Pena', 'esta'], 'es')).toEqual(['Ano 2024', 'Cana de cerveza', 'Pena', 'esta'])
  })

  it('changes nothing in correctly accented text', () => {
    const correct = ['Descripción', 'Dirección: Calle de Alcalá, 123', 'Factura Nº 2024-001', '¿Dónde está?', '¡Vuelva pronto!', 'Total: 1.234,56 €', 'Avda. de la Constitución, 45, 2º B']
    const out = restore(correct, 'es')
    expect(out.lines.map((l) => l.text)).toEqual(correct)
    expect(out.changes).toBe(0)
  })
})

describe('restoreLatin on Portuguese recogniser output', () => {
  it.each([
    ['Säo Paulo', 'São Paulo'],
    ['Sao Paulo', 'São Paulo'],
    ['acao', 'ação'],
    ['informacao', 'informação'],
    ['voce', 'você'],
    ['tres', 'três'],
    ['Rua Säo Joäo, n 45', 'Rua São João, nº 45'],
    ['Rua Sao Joao, n? 45', 'Rua São João, nº 45'],
    ['CONDICOES', 'CONDIÇÕES'],
    ['ACAO', 'AÇÃO'],
    ['ORCAMENTO', 'ORÇAMENTO'],
    ['Preco: R$ 45,90', 'Preço: R$ 45,90'],
    ['1a via', '1ª via'],
    ['2° andar', '2º andar'],
    ['Cartao de credito', 'Cartão de crédito'],
    ['Obrigado pela preferencia!', 'Obrigado pela preferência!'],
    ['Acucar cristal 1 kg', 'Açúcar cristal 1 kg'],
    ['Condic?es de pagamento', 'Condições de pagamento'],
    ['3xGalao 4,17', '3xGalão 4,17'],
    ['Nota Fiscal Nê 000.767.122', 'Nota Fiscal Nº 000.767.122'],
  ])('%j → %j', (input, expected) => {
    expect(texts([input], 'pt')).toEqual([expected])
  })

  it('leaves two-letter capitals (state codes) and short function words alone', () => {
    expect(texts(['Recife - PE, CEP 50030-230', 'Rua das Flores', 'Valor dos produtos', 'CPF do consumidor', 'O Cantinho'], 'pt')).toEqual([
      'Recife - PE, CEP 50030-230',
      'Rua das Flores',
      'Valor dos produtos',
      'CPF do consumidor',
      'O Cantinho',
    ])
  })

  it('adds no € on a page priced in reais, even after a trailing space', () => {
    expect(texts(['Preço: R$ 45,90', 'Total 45,90 '], 'pt')).toEqual(['Preço: R$ 45,90', 'Total 45,90 '])
  })

  it('keeps pt "no" before a number: it is a word, not Nº', () => {
    expect(texts(['no 2 andar'], 'pt')).toEqual(['no 2 andar'])
  })
})

describe('restoreLatin on English and unknown pages', () => {
  const english = ['INVOICE', 'Invoice N 123', 'Description  Qty  Price', 'Total due: $1,234.56', 'Thank you for your business', 'Cafe au lait 2a', 'Pinata 12,50 ']

  it('changes no letters on an English page, only fullwidth punctuation', () => {
    const out = restore([...english, 'Total：12.50'])
    expect(out.lang).toBe('en')
    expect(out.lines.map((l) => l.text)).toEqual([...english, 'Total:12.50'])
  })

  it('returns an unknown page untouched', () => {
    const out = restore(['发票号码 12345', '合计：１２'])
    expect(out.lang).toBe('unknown')
    expect(out.lines.map((l) => l.text)).toEqual(['发票号码 12345', '合计：１２'])
    expect(out.changes).toBe(0)
  })

  it('detects the page language when asked to', () => {
    expect(restore(['Descripcion del servicio', 'Fecha de emision', 'Gracias por su compra']).lang).toBe('es')
    expect(restore(['Descricao do servico', 'Data de emissao', 'Obrigado pela preferencia']).lang).toBe('pt')
  })
})

describe('restoreLatin confidence and evidence', () => {
  it('keeps unchanged lines exactly and caps restored characters at the rule certainty', () => {
    const out = restoreLatin([{ text: 'senor', confidence: 0.99 }, { text: 'de', confidence: 0.42 }], { lang: 'es' })
    expect(out.lines[0]).toMatchObject({ text: 'señor', changes: 1 })
    expect(out.lines[0]!.confidence).toBeCloseTo((4 * 0.99 + 0.9) / 5, 12)
    expect(out.lines[1]).toEqual({ text: 'de', confidence: 0.42, changes: 0 })
    expect(out.changes).toBe(1)
  })

  it('uses per-character probabilities when given, and the line mean otherwise', () => {
    const line: LatinLineInput = { text: 'senor', confidence: 0.8, chars: [...'senor'].map((char, i) => ({ char, prob: i === 2 ? 0.5 : 1 })) }
    // ñ replaces an n read at 0.5: it keeps 0.5 (never more sure than the evidence).
    expect(restoreLatin([line], { lang: 'es' }).lines[0]!.confidence).toBeCloseTo((4 + 0.5) / 5, 10)
  })

  it('picks among spellings by the accented runner-up classes the recogniser saw', () => {
    const chars = (altAtLast: string | undefined, altProb = 0.3) =>
      [...'diseno'].map((char, i) => ({ char, prob: 0.98, alternatives: i === 5 && altAtLast ? [{ char: altAtLast, prob: altProb }] : [] }))
    expect(restoreLatin([{ text: 'diseno', confidence: 0.98, chars: chars(undefined) }], { lang: 'es' }).lines[0]!.text).toBe('diseño')
    // The preferred spelling keeps a head start: a weak runner-up does not overturn it.
    expect(restoreLatin([{ text: 'diseno', confidence: 0.98, chars: chars('ó') }], { lang: 'es' }).lines[0]!.text).toBe('diseño')
    expect(restoreLatin([{ text: 'diseno', confidence: 0.98, chars: chars('ó', 0.6) }], { lang: 'es' }).lines[0]!.text).toBe('diseñó')
  })

  it('ignores per-character evidence that does not spell the text', () => {
    const out = restoreLatin([{ text: 'senor', confidence: 0.9, chars: [{ char: 'x', prob: 0.1 }] }], { lang: 'es' })
    expect(out.lines[0]).toEqual({ text: 'señor', confidence: 0.9, changes: 1 })
  })
})
