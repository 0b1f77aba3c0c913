/**
 * Generates the engine's restoration lexicons `src/engine/latin/data/{es,pt}.lex.gz` from the
 * Hunspell dictionaries `dictionary-es` / `dictionary-pt` (affixes expanded here) plus the small
 * curated lists `names-<lang>.txt` (proper names) and `keep-<lang>.txt` (words never overridden) in
 * the same folder. Deterministic: the same inputs give the same bytes.
 *
 *   npx tsx scripts/build-lexicon.ts [es] [pt]
 *
 * Which folded keys get an entry (the runtime restores exactly these):
 * - the bare spelling is a dictionary headword (`esta`, `como`, `publico` in pt) → no entry: a
 *   headword is never overridden without image evidence;
 * - the bare spelling is only an inflected form, and one accented headword with inflections of
 *   its own differs from it by a stress mark before the last syllable (`numero` ← numerar;
 *   `número`) → entry marked `~`: in documents the noun is the usual one. Keys shorter than 5
 *   letters are excluded (function words the dictionary lists only as inflections: pt `pela`);
 * - the `keep-<lang>.txt` words never get an entry (pt `aquilo`, `para`);
 * - otherwise every accented spelling, curated names first, then headwords by the number of
 *   forms they make, then inflected forms (`informacao` → `informação`); `~` when the bare
 *   spelling is only a capitalised name or a NOSUGGEST word.
 * NOSUGGEST forms rank last (dictionary-pt sets it on function words, so it says nothing about
 * rarity). Forms with hyphens, apostrophes, digits or letters that do not fold to a-z (ß, æ, ø)
 * are left out.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { writeFileAtomic } from '../src/common/fs.js'
import { foldKey } from '../src/engine/latin/fold.js'
import { encodeLexicon, type LexiconEntry, type LexiconHeader } from '../src/engine/latin/lexicon.js'
import { expandDic, parseAff, type WordForm } from './hunspell.js'

/** Most spellings kept per key; more are noise for a restorer. */
const MAX_FORMS = 4

/** How a bare (accent-free) spelling stands in the dictionary, weakest first. */
const enum Bare {
  Absent = 0,
  /** Only capitalised, as a name or an abbreviation (`Frances` blocks no `francês`). */
  Weak = 1,
  /** As an inflected form (`numero` ← numerar). */
  Inflected = 2,
  /** As a dictionary headword (`esta`, `como`). */
  Headword = 3,
}

/** Preference of a spelling: curated names, then headwords by family size, then inflected forms. */
interface Candidate {
  lemma: boolean
  rank: number
}

/** Rank of curated list words: above any dictionary headword. */
const CURATED_RANK = Number.MAX_SAFE_INTEGER

/** Shortest key restored over an inflected bare word: short ones are function words (`pela`). */
const MIN_OVERRIDE_LENGTH = 5

/**
 * A headword restored over an inflected bare spelling must differ from it by one stress mark
 * before the last syllable (a vowel follows it): the noun/verb pairs `número`/`numero`,
 * `página`/`pagina`, `crédito`/`credito`. Final-stress pairs (`leonés`/`leones`) and tilde or
 * cedilla changes (`macaça`/`macaca`) are real alternatives, left alone.
 */
function isPenultStressOverride(bare: string, form: string): boolean {
  let marks = 0
  for (let i = 0; i < form.length; i++) {
    if (form[i] === bare[i]) continue
    if (!/[áéíóúâêô]/.test(form[i]!) || !/[aeiou]/.test(form.slice(i + 1))) return false
    marks++
  }
  return marks === 1
}

/** Accumulates forms and decides the entries. Exported for tests. */
export class LexiconBuilder {
  private readonly bare = new Map<string, Bare>()
  private readonly accented = new Map<string, Map<string, Candidate>>()

  /**
   * @param keepBare Folded words that never get an entry: common words the dictionary lists
   *   only as inflections or names (pt `aquilo` would become the rare `áquilo`, `para` `Pará`).
   */
  constructor(private readonly keepBare: ReadonlySet<string> = new Set()) {}

  /** Adds one dictionary form; `curated` words outrank every dictionary spelling of their key. */
  add(form: WordForm, curated = false): void {
    if (!/^\p{L}+$/u.test(form.word)) return
    const lower = form.word.toLowerCase()
    const key = foldKey(lower)
    if (!/^[a-z]+$/.test(key) || [...key].length !== [...lower].length) return
    if (key === lower) {
      // Only a capitalised spelling is weak (`Frances` must not block `francês`); NOSUGGEST is
      // no sign of rarity here (dictionary-pt sets it on `do`, `dos`, `o`). A curated bare name
      // (`Paulo`) is a headword: it blocks rare accented homographs (`paúlo`).
      const weak = !curated && form.word !== lower
      const status = weak ? Bare.Weak : form.lemma ? Bare.Headword : Bare.Inflected
      if ((this.bare.get(key) ?? Bare.Absent) < status) this.bare.set(key, status)
      return
    }
    let forms = this.accented.get(key)
    if (!forms) this.accented.set(key, (forms = new Map()))
    // NOSUGGEST spellings rank last, with inflected forms.
    const rank = curated ? CURATED_RANK : form.lemma && !form.noSuggest ? 1 + form.family : 0
    const seen = forms.get(lower)
    if (!seen) forms.set(lower, { lemma: form.lemma, rank })
    else {
      seen.lemma ||= form.lemma
      seen.rank = Math.max(seen.rank, rank)
    }
  }

  /** The decided entries, sorted by folded key. */
  entries(): LexiconEntry[] {
    const out: LexiconEntry[] = []
    for (const key of [...this.accented.keys()].sort()) {
      const bare = this.bare.get(key) ?? Bare.Absent
      if (bare === Bare.Headword || this.keepBare.has(key)) continue
      const forms = [...this.accented.get(key)!].sort(([a, ca], [b, cb]) => cb.rank - ca.rank || (a < b ? -1 : a > b ? 1 : 0))
      if (bare === Bare.Inflected) {
        // Headwords with a family (rank >= 2): a lone headword form is often a rare word.
        const lemmas = forms.filter(([, c]) => c.lemma && c.rank >= 2)
        const top = lemmas[0]
        const override = top !== undefined && lemmas.length === 1 && key.length >= MIN_OVERRIDE_LENGTH && isPenultStressOverride(key, top[0])
        if (override) out.push({ forms: [top[0]], bareIsWord: true })
        continue
      }
      out.push({ forms: forms.slice(0, MAX_FORMS).map(([f]) => f), bareIsWord: bare === Bare.Weak })
    }
    return out
  }
}

/** Words of a curated list: separated by white space, `#` starts a comment to the line's end. */
export function parseWordList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .flatMap((l) => l.replace(/#.*/, '').split(/\s+/))
    .filter((w) => w !== '')
}

/** `node_modules/<name>/package.json` in `from` or an ancestor (the packages export no package.json). */
function findPackageJson(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json')
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) throw new Error(`Cannot find ${name}: install the dev dependencies (npm ci) to regenerate the lexicons.`)
  }
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

/** The engine's lexicon folder: the curated lists are read from it and the lexicons written to it. */
const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'engine', 'latin', 'data')

async function build(lang: 'es' | 'pt'): Promise<void> {
  const pkgPath = findPackageJson(DATA_DIR, `dictionary-${lang}`)
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { name: string; version: string; license: string }
  const affText = readFileSync(join(dirname(pkgPath), 'index.aff'), 'utf8')
  const dicText = readFileSync(join(dirname(pkgPath), 'index.dic'), 'utf8')
  const namesFile = `names-${lang}.txt`
  const namesText = readFileSync(join(DATA_DIR, namesFile), 'utf8')
  const keepFile = `keep-${lang}.txt`
  const keepText = readFileSync(join(DATA_DIR, keepFile), 'utf8')

  const started = Date.now()
  const builder = new LexiconBuilder(new Set(parseWordList(keepText).map(foldKey)))
  const aff = parseAff(affText)
  let forms = 0
  for (const form of expandDic(dicText, aff)) {
    builder.add(form)
    forms++
  }
  for (const word of parseWordList(namesText)) builder.add({ word, lemma: true, noSuggest: false, family: 0 }, true)
  const entries = builder.entries()

  const header: Omit<LexiconHeader, 'entries' | 'blockSize'> = {
    format: 'memgate-latin-lexicon',
    version: 1,
    lang,
    sources: [
      { name: pkg.name, version: pkg.version, license: pkg.license, sha256: sha256(affText + dicText) },
      { name: `memgate curated ${namesFile}`, version: '1', license: 'MIT', sha256: sha256(namesText) },
      { name: `memgate curated ${keepFile}`, version: '1', license: 'MIT', sha256: sha256(keepText) },
    ],
  }
  const gz = gzipSync(encodeLexicon(header, entries), { level: 9 })
  const outPath = join(DATA_DIR, `${lang}.lex.gz`)
  await writeFileAtomic(outPath, gz)
  console.log(`${lang}: ${forms} forms expanded, ${entries.length} entries, ${gz.length} bytes → ${outPath} (${Date.now() - started} ms)`)
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (isMain) {
  const langs = process.argv.slice(2).filter((a): a is 'es' | 'pt' => a === 'es' || a === 'pt')
  for (const lang of langs.length > 0 ? langs : (['es', 'pt'] as const)) await build(lang)
}
