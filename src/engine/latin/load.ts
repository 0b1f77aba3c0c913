/**
 * Loads a language's lexicon on first use and keeps it for the life of the process (they are
 * read-only): Spanish holds ~1 MB, Portuguese ~5 MB (decompressed bytes outside the JS heap plus
 * one key per block), and an English or unknown page loads nothing. Reading is synchronous: the files are small (160 KB / 880 KB gzip) and
 * `restoreLatin` stays a plain function.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { ModelError } from '../../common/errors.js'
import { Lexicon } from './lexicon.js'

/** Languages that have a lexicon. */
export type LexiconLang = 'es' | 'pt'

const cache = new Map<string, Lexicon>()

/**
 * Where the lexicon files are: beside this module in the source tree; from compiled output
 * (`dist/src/engine/latin/`, a benchmark build) the source tree's copy found by walking up to the
 * package root (tsc does not copy data files).
 */
export function defaultDataDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const beside = join(here, 'data')
  if (existsSync(join(beside, 'es.lex.gz'))) return beside
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'src', 'engine', 'latin', 'data')
    if (existsSync(join(candidate, 'es.lex.gz'))) return candidate
    if (dirname(dir) === dir) return beside
  }
}

/**
 * The lexicon of `lang`, read from `dataDir` once per process.
 * @throws ModelError `MODEL_MISSING` when the file is absent, `MODEL_CORRUPT` when unreadable.
 */
export function loadLexicon(lang: LexiconLang, dataDir: string = defaultDataDir()): Lexicon {
  const path = join(dataDir, `${lang}.lex.gz`)
  const cached = cache.get(path)
  if (cached) return cached
  if (!existsSync(path)) {
    throw new ModelError('MODEL_MISSING', `The ${lang} accent lexicon ${path} is missing. Regenerate it with \`npx tsx scripts/build-lexicon.ts ${lang}\` or reinstall memgate.`)
  }
  let lexicon: Lexicon
  try {
    lexicon = Lexicon.parse(gunzipSync(readFileSync(path)), path)
  } catch (error) {
    throw new ModelError('MODEL_CORRUPT', `The ${lang} accent lexicon ${path} could not be read: ${error instanceof Error ? error.message : String(error)} Regenerate it with \`npx tsx scripts/build-lexicon.ts ${lang}\`.`, { cause: error })
  }
  cache.set(path, lexicon)
  return lexicon
}

/** Forgets loaded lexicons (for memory measurements and tests). */
export function unloadLexicons(): void {
  cache.clear()
}
