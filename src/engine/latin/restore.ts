/**
 * Restores the Latin letters and symbols PP-OCRv4's alphabet lacks (ñ ç ã õ â ê ô € º ª ¿ ¡) and
 * the accents it drops, on the recognised lines of one page: detect the page's language, then per
 * line fold fullwidth punctuation, fix `Nº` and ordinals, write accents back from the language's
 * lexicon, add `€` and the Spanish opening marks.
 */
import { detectLanguage, type DetectedLang, type LatinLang } from './language.js'
import { EditableLine, type CharEvidence } from './line.js'
import { loadLexicon } from './load.js'
import { restoreWords } from './words.js'
import { pageMoney, restoreSymbols } from './symbols.js'

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
  /** The language used; `unknown` pages are returned unchanged. */
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
  const lang: DetectedLang = options.lang === undefined || options.lang === 'auto' ? detectLanguage(pageText).lang : options.lang
  if (lang === 'unknown') return { lines: lines.map((l) => ({ text: l.text, confidence: l.confidence, changes: 0 })), lang, changes: 0 }
  const lexicon = lang === 'en' ? undefined : loadLexicon(lang, options.dataDir)
  const money = pageMoney(pageText)
  let changes = 0
  const out = lines.map((input) => {
    const line = new EditableLine(input.text, input.confidence, input.chars)
    restoreSymbols(line, lang, money)
    restoreWords(line, lang, lexicon)
    changes += line.changes
    return line.changes === 0 ? { text: input.text, confidence: input.confidence, changes: 0 } : { text: line.text, confidence: line.confidence, changes: line.changes }
  })
  return { lines: out, lang, changes }
}
