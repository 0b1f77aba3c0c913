import { gzipSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { foldKey } from '../../../src/engine/latin/fold.js'
import { BLOCK_SIZE, encodeLexicon, Lexicon, type LexiconEntry } from '../../../src/engine/latin/lexicon.js'

const header = { format: 'memgate-latin-lexicon', version: 1, lang: 'xx', sources: [{ name: 'test', version: '0', license: 'MIT', sha256: '0' }] } as const

/** `n` distinct accented words in key order: 'aá' + base-26 suffix, some with a second spelling. */
function entries(n: number): LexiconEntry[] {
  const out: LexiconEntry[] = []
  for (let i = 0; i < n; i++) {
    let suffix = ''
    for (let v = i, k = 0; k < 3; k++, v = Math.floor(v / 26)) suffix = String.fromCharCode(97 + (v % 26)) + suffix
    const forms = i % 7 === 0 ? [`cã${suffix}`, `câ${suffix}`] : [`cã${suffix}`]
    out.push({ forms, bareIsWord: i % 5 === 0 })
  }
  return out
}

const parse = (list: readonly LexiconEntry[]) => Lexicon.parse(Buffer.from(encodeLexicon(header, list)), 'test')

describe('lexicon format', () => {
  it('finds every entry across block boundaries and nothing else', () => {
    const list = entries(5 * BLOCK_SIZE + 3)
    const lex = parse(list)
    expect(lex.size).toBe(list.length)
    for (const e of list) expect(lex.lookup(foldKey(e.forms[0]!))).toEqual(e)
    expect(lex.lookup('caaaab')).toBeUndefined() // between two keys
    expect(lex.lookup('a')).toBeUndefined() // before the first
    expect(lex.lookup('zzz')).toBeUndefined() // after the last
  })

  it('front-codes: the text is much smaller than the entries written out', () => {
    const list = entries(2000)
    const plain = list.map((e) => e.forms.join('|')).join('\n').length
    expect(encodeLexicon(header, list).length).toBeLessThan(plain * 0.75)
  })

  it('survives gzip and keeps the header', () => {
    const lex = Lexicon.parse(gunzipSync(gzipSync(encodeLexicon(header, entries(40)))), 'test')
    expect(lex.header).toMatchObject({ format: 'memgate-latin-lexicon', lang: 'xx', entries: 40, blockSize: BLOCK_SIZE })
  })

  it('rejects unsorted entries, mixed keys and separators', () => {
    expect(() => encodeLexicon(header, [{ forms: ['ñu'], bareIsWord: false }, { forms: ['ál'], bareIsWord: false }])).toThrow(/sorted/)
    expect(() => encodeLexicon(header, [{ forms: ['ñu', 'ál'], bareIsWord: false }])).toThrow(/mixes keys/)
  })

  it('rejects text that is not a lexicon, naming the source', () => {
    expect(() => Lexicon.parse(Buffer.from('hello\n'), 'x.lex.gz')).toThrow(/x\.lex\.gz does not start with a lexicon header/)
    expect(() => Lexicon.parse(Buffer.from('{"format":"other"}\n'), 'x.lex.gz')).toThrow(/not a version 1/)
    const truncated = encodeLexicon(header, entries(3 * BLOCK_SIZE)).split('\n').slice(0, 2).join('\n') + '\n'
    expect(() => Lexicon.parse(Buffer.from(truncated), 'x.lex.gz')).toThrow(/ends after 1 of 3 blocks/)
  })
})
