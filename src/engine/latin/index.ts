/**
 * Latin restoration for PP-OCRv4 output: the letters and symbols its alphabet lacks (ñ ç ã õ â ê
 * ô € º ª ¿ ¡) and the accents it drops, restored from a per-language lexicon generated from
 * Hunspell dictionaries and from contextual rules. A part of the engine leaf: imports only
 * `src/common`.
 */
export { restoreLatin, type LatinLine, type LatinLineInput, type RestoreLatinOptions, type RestoreLatinResult } from './restore.js'
export { detectLanguage, detectLineLanguage, type DetectedLang, type ForeignLang, type LanguageGuess, type LatinLang, type LineLang } from './language.js'
export { restoreForeignWords } from './foreign.js'
export type { CharAlternative, CharEvidence } from './line.js'
export { loadLexicon, unloadLexicons, type LexiconLang } from './load.js'
