/**
 * Restores the Latin letters and symbols PP-OCRv4's alphabet lacks (ñ ç ã õ â ê ô € º ª ¿ ¡) and
 * the accents it drops, on the recognised lines of one page: detect the page's language and each
 * line's (a mixed page: a German line keeps its `ü`, a Portuguese one gets its `ã` and `ç`), then per
 * line fold fullwidth punctuation, fix `Nº` and ordinals, write accents back from the language's
 * lexicon, add `€` and the Spanish opening marks.
 */
import { detectLanguage, detectLineLanguage, type DetectedLang, type LatinLang, type LineLang } from './language.js'
import type { Lexicon } from './lexicon.js'
import { EditableLine, type CharEvidence } from './line.js'
import { loadLexicon } from './load.js'
import { restoreWords } from './words.js'
import { foldFullwidth, pageMoney, restoreSymbols } from './symbols.js'
import { restoreForeignWords } from './foreign.js'

/** A recognised line as the engine has it. */
export interface LatinLineInput {
  /** Raw decoded text, untrimmed: a trailing space can be the trace of a `€`. */
  text: string
  /** Mean character probability, 0..1. */
  confidence: number
  /** Per-character probabilities and runner-up classes (the CTC decoder's `chars`); optional. */
  chars?: readonly CharEvidence[]
}

/** A restored line. */
export interface LatinLine {
  text: string
  /** Mean character probability after restoration, 0..1 (see {@link EditableLine}). */
  confidence: number
  /** Characters written, replaced or removed. */
  changes: number
}

/** Options of {@link restoreLatin}. */
export interface RestoreLatinOptions {
  /** The page's language, or `auto` to detect it from the lines. @default 'auto' */
  lang?: LatinLang | 'auto'
  /** Folder of `es.lex.gz` / `pt.lex.gz`. @default the package's `src/engine/latin/data` */
  dataDir?: string
}

/** The restored page. */
export interface RestoreLatinResult {
  /** One per input line, in order. */
  lines: LatinLine[]
  /** The page's language; lines may be restored in their own (see {@link restoreLatin}); on an `unknown` page only lines whose own words name a language change. */
  lang: DetectedLang
  /** Characters changed on the page. */
  changes: number
}

/**
 * Restores one page's lines. Pure apart from loading a lexicon on first use of its language;
 * about 0.1 ms per line once loaded.
 * @example restoreLatin([{ text: 'Descripcion del servicio', confidence: 0.97 }, { text: 'Total: 1.234,56 ', confidence: 0.99 }]).lines.map((l) => l.text)
 * // ['Descripción del servicio', 'Total: 1.234,56 €']
 */
export function restoreLatin(lines: readonly LatinLineInput[], options: RestoreLatinOptions = {}): RestoreLatinResult {
  const pageText = lines.map((l) => l.text).join('\n')
  const auto = options.lang === undefined || options.lang === 'auto'
  const lang: DetectedLang = auto ? detectLanguage(pageText).lang : (options.lang as LatinLang)
  const money = pageMoney(pageText)
  const lexicons = new Map<LatinLang, Lexicon | undefined>()
  const lexiconOf = (l: LatinLang) => {
    if (!lexicons.has(l)) lexicons.set(l, l === 'en' ? undefined : loadLexicon(l, options.dataDir))
    return lexicons.get(l)
  }
  let changes = 0
  const out = lines.map((input) => {
    // Each line is restored in its own language when its words say so (a mixed page), else in
    // the page's; a line in a language without a lexicon (de, fr, it) gets fullwidth folding and
    // the few unambiguous words of `foreign.ts`.
    const own = auto ? detectLineLanguage(input.text) : 'unknown'
    const lineLang: LineLang = own === 'unknown' ? lang : own
    const line = new EditableLine(input.text, input.confidence, input.chars)
    if (lineLang === 'de' || lineLang === 'fr' || lineLang === 'it') {
      foldFullwidth(line)
      restoreForeignWords(line, lineLang)
    } else if (lineLang !== 'unknown') {
      restoreSymbols(line, lineLang, money)
      restoreWords(line, lineLang, lexiconOf(lineLang))
    }
    changes += line.changes
    return line.changes === 0 ? { text: input.text, confidence: input.confidence, changes: 0 } : { text: line.text, confidence: line.confidence, changes: line.changes }
  })
  return { lines: out, lang, changes }
}
