import { describe, expect, it } from 'vitest'
import { LexiconBuilder, parseWordList } from '../../../scripts/build-lexicon.js'
import { expandDic, parseAff, type WordForm } from '../../../scripts/hunspell.js'

// A tiny Spanish-like dictionary: plural S, verb endings V (with a continuation), prefix R
// that combines with suffixes, FORBIDDENWORD X, NOSUGGEST Z.
const AFF = `SET UTF-8
FLAG UTF-8
FORBIDDENWORD X
NOSUGGEST Z
SFX S Y 3
SFX S 0 s [aeiouáéíóú]
SFX S 0 es [^aeiouáéíóún]
SFX S ón ones ón
SFX V Y 3
SFX V ar o ar
SFX V ar ó ar
SFX V r ción/S ar
PFX R Y 1
PFX R 0 re .
`
const DIC = `8
canción/S
numerar/VR
número/S
esta
papel/S
malo/X
Frances/Z
dos palabras
`

const forms = () => [...expandDic(DIC, parseAff(AFF))]

describe('expandDic', () => {
  it('expands suffixes with conditions, continuations and cross-product prefixes', () => {
    const words = new Set(forms().map((f) => f.word))
    for (const w of ['canción', 'canciones', 'numerar', 'numero', 'numeró', 'numeración', 'numeraciones', 'renumerar', 'renumero', 'renumeración', 'número', 'números', 'papel', 'papeles']) {
      expect(words, w).toContain(w)
    }
    expect(words).not.toContain('canciónes')
    expect(words).not.toContain('malo') // FORBIDDENWORD
    expect(words).not.toContain('dos palabras') // multi-word entries are skipped
  })

  it('marks headwords with the size of their family, and NOSUGGEST words', () => {
    const byWord = new Map<string, WordForm>(forms().map((f) => [f.word, f]))
    expect(byWord.get('número')).toEqual({ word: 'número', lemma: true, noSuggest: false, family: 1 })
    expect(byWord.get('numero')).toMatchObject({ lemma: false })
    expect(byWord.get('Frances')).toMatchObject({ lemma: true, noSuggest: true })
  })

  it('rejects long or numeric flags, which the lexicons do not use', () => {
    expect(() => parseAff('FLAG long\n')).toThrow(/Unsupported FLAG long/)
  })
})

describe('LexiconBuilder', () => {
  const build = (keep: string[] = [], extra: WordForm[] = []) => {
    const b = new LexiconBuilder(new Set(keep))
    for (const f of forms()) b.add(f)
    for (const f of extra) b.add(f, true)
    return new Map(b.entries().map((e) => [e.forms[0]!.normalize('NFD').replace(/\p{M}/gu, ''), e]))
  }

  it('restores words whose bare spelling is not a word', () => {
    expect(build().get('cancion')).toEqual({ forms: ['canción'], bareIsWord: false })
    expect(build().get('numeracion')).toEqual({ forms: ['numeración'], bareIsWord: false })
  })

  it('prefers a noun headword over a bare verb form only for a stress mark before the last syllable', () => {
    expect(build().get('numero')).toEqual({ forms: ['número'], bareIsWord: true })
    expect(build(['numero']).get('numero')).toBeUndefined() // the keep list wins
  })

  it('never overrides a bare headword', () => {
    const b = new LexiconBuilder()
    for (const f of forms()) b.add(f)
    b.add({ word: 'está', lemma: true, noSuggest: false, family: 3 })
    expect(b.entries().some((e) => e.forms.includes('está'))).toBe(false)
  })

  it('lets a capitalised name not block the common word, marking the entry', () => {
    const entries = build([], [{ word: 'francés', lemma: true, noSuggest: false, family: 0 }])
    expect(entries.get('frances')).toEqual({ forms: ['francés'], bareIsWord: true })
  })

  it('orders several spellings: curated first, then headwords by family size', () => {
    const b = new LexiconBuilder()
    b.add({ word: 'paó', lemma: true, noSuggest: false, family: 1 })
    b.add({ word: 'pão', lemma: true, noSuggest: false, family: 6 })
    b.add({ word: 'paô', lemma: false, noSuggest: false, family: 0 })
    expect(b.entries()).toEqual([{ forms: ['pão', 'paó', 'paô'], bareIsWord: false }])
    b.add({ word: 'Paô', lemma: true, noSuggest: false, family: 0 }, true)
    expect(b.entries()[0]!.forms[0]).toBe('paô')
  })
})

describe('parseWordList', () => {
  it('reads white-space separated words and drops comments', () => {
    expect(parseWordList('# names\nJosé  María # common\n\nÍñigo\n')).toEqual(['José', 'María', 'Íñigo'])
  })
})
