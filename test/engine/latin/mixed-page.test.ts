/**
 * Mixed-language pages (issue 16, item 2): restoration decides per line, restores ü ç ã õ ñ on a
 * page mixing English, German, French, Italian, Spanish and Portuguese sentences, and never adds
 * letters or marks the image does not support (no `¡` before an English exclamation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine, type OcrEngine } from '../../../src/engine/index.js'
import { detectLineLanguage } from '../../../src/engine/latin/language.js'
import { restoreLatin } from '../../../src/engine/latin/restore.js'
import { multilingualPage, type MultilingualPage } from '../../../scenarios/fixtures/index.js'

/** Letters with a diacritic, and the inverted marks, in reading order. */
const marked = (text: string) => [...text.normalize('NFC')].filter((ch) => ch.normalize('NFD') !== ch || ch === '¡' || ch === '¿' || ch === 'ß')
const count = (chars: string[]) => chars.reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>())

describe('per-line language decisions', () => {
  it.each([
    ['The quick brown fox jumps over the lazy dog!', 'en'],
    ['Der schnelle braune Fuchs springt uber den faulen Hund.', 'de'],
    ['Voila un ete tres agreable au bord de la mer.', 'fr'],
    ['Perche il caffe della citta costa di piu?', 'it'],
    ['El nino pequeno come jamon con su compania.', 'es'],
    ['O cao preguicoso dorme na estacao.', 'pt'],
    ['Total 12,00', 'unknown'],
  ])('%j → %s', (text, lang) => expect(detectLineLanguage(text)).toBe(lang))

  it('restores each line in its own language on a mixed page, and adds no ¡ to English', () => {
    const out = restoreLatin(
      [
        'Thank you for shopping with us today!',
        'Wir danken Ihnen fur Ihren Einkauf bei uns.',
        'El nino pequeno come jamon con su compania.',
        'O cäo preguicoso dorme na estac?o.',
        'Gracias por su compra, vuelva pronto!',
      ].map((text) => ({ text, confidence: 0.95 })),
    ).lines.map((l) => l.text)
    expect(out).toEqual([
      'Thank you for shopping with us today!',
      'Wir danken Ihnen für Ihren Einkauf bei uns.',
      'El niño pequeño come jamón con su compañía.',
      'O cão preguiçoso dorme na estação.',
      'Gracias por su compra, vuelva pronto!',
    ])
  })

  it('keeps a German ü that the recogniser did read on a Spanish page', () => {
    const out = restoreLatin(['Factura simplificada', 'Gracias por su visita', 'Der Hund springt über den Zaun und die Katze.'].map((text) => ({ text, confidence: 0.95 })), { lang: 'auto' })
    expect(out.lines[2]!.text).toBe('Der Hund springt über den Zaun und die Katze.')
  })
})

describe('the five-language fixture page through the engine (lean)', () => {
  let engine: OcrEngine
  let page: MultilingualPage
  let lines: string[]

  beforeAll(async () => {
    page = await multilingualPage()
    engine = await openEngine({ profile: 'lean' })
    lines = (await engine.recognize(page.image)).lines.map((l) => l.text)
  }, 120_000)

  afterAll(async () => {
    await engine?.close()
  })

  it('reads one line per sentence', () => {
    expect(lines).toHaveLength(page.lines.length)
  })

  it('has every accented letter of every line, and invents none', () => {
    for (const [i, truth] of page.lines.entries()) {
      const want = count(marked(truth.text))
      const got = count(marked(lines[i] ?? ''))
      expect(Object.fromEntries(got), `${truth.lang}: ${lines[i]}`).toEqual(Object.fromEntries(want))
    }
  })

  it('adds no inverted mark to the English, Italian or Portuguese sentences', () => {
    for (const [i, truth] of page.lines.entries()) if (truth.lang !== 'es') expect(lines[i], truth.text).not.toMatch(/[¡¿]/)
  })
})
