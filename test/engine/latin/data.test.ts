/** The committed lexicons: provenance, size and what they restore. */
import { describe, expect, it } from 'vitest'
import { loadLexicon } from '../../../src/engine/latin/index.js'

describe.each([
  ['es', 'dictionary-es', '(GPL-3.0 OR LGPL-3.0 OR MPL-1.1)', 100_000, { espana: 'españa', descripcion: 'descripción', telefono: 'teléfono', nunez: 'núñez', numero: 'número' }, ['esta', 'como', 'ano', 'pena']],
  ['pt', 'dictionary-pt', '(LGPL-3.0 OR MPL-2.0)', 500_000, { informacao: 'informação', condicoes: 'condições', sao: 'são', joao: 'joão', credito: 'crédito' }, ['para', 'pela', 'aquilo', 'paulo', 'esta']],
] as const)('%s.lex.gz', (lang, pkg, license, minEntries, hits, misses) => {
  const lex = loadLexicon(lang)

  it('names its source package, version and licence', () => {
    expect(lex.header.lang).toBe(lang)
    expect(lex.header.sources[0]).toMatchObject({ name: pkg, version: '4.0.0', license })
    expect(lex.header.sources[0]!.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(lex.size).toBeGreaterThan(minEntries)
  })

  it('restores known words', () => {
    for (const [key, form] of Object.entries(hits)) expect(lex.lookup(key)?.forms[0], key).toBe(form)
  })

  it('has no entry for common words written without accents', () => {
    for (const key of misses) expect(lex.lookup(key), key).toBeUndefined()
  })
})
