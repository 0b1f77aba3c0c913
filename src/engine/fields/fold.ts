/**
 * Text normalisation for matching. OCR output arrives with or without accents (the recogniser's
 * dictionary lacks some Latin letters), in any case, with typographic dashes and spaces, and
 * sometimes with full-width punctuation (`，`, `（`). Every function here is length-preserving, so
 * an index found in a normalised copy points at the same character in the original.
 */

/** Characters mapped to an ASCII look-alike beyond what Unicode decomposition gives. */
const EXTRA: Readonly<Record<string, string>> = {
  '\u00a0': ' ', // no-break space
  '\u2007': ' ', // figure space (some PDFs align amounts with it)
  '\u202f': ' ', // narrow no-break space (fr/pt thousands)
  '\u3000': ' ', // ideographic space
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-', // en dash
  '\u2014': '-', // em dash
  '\u2212': '-', // minus sign
}

/** The recogniser's dictionary includes full-width forms; U+FF01..U+FF5E mirror ASCII 0x21..0x7E. */
const FULL_WIDTH = /[\uff01-\uff5e]/g
const FULL_WIDTH_OFFSET = 0xfee0

/**
 * Maps typographic spaces and dashes and full-width ASCII (`，` `（` `：` `１`) to plain ASCII,
 * keeping case and accents.
 * @example normalizeForms('Austin，TX 78701') // 'Austin,TX 78701'
 */
export function normalizeForms(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text
  return text.replace(FULL_WIDTH, (ch) => String.fromCharCode(ch.charCodeAt(0) - FULL_WIDTH_OFFSET)).replace(/[\u00a0\u2007\u202f\u3000\u2010-\u2014\u2212]/g, (ch) => EXTRA[ch] ?? ch)
}

/**
 * Lowercases and strips diacritics one character at a time (`Emisión` → `emision`,
 * `MARÇO` → `marco`), after {@link normalizeForms}. A character whose folded form would change
 * the string length is kept (lowercased when that is length-safe), so indices stay aligned.
 * `º`, `°` and `ª` are kept: number-sign patterns match them explicitly.
 * @example foldText('Fecha de Emisión') // 'fecha de emision'
 */
export function foldText(text: string): string {
  // Most OCR lines are plain ASCII: nothing to decompose, and lowercasing keeps the length.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase()
  let out = ''
  for (const ch of normalizeForms(text)) {
    const lower = ch.toLowerCase()
    const bare = lower.normalize('NFD').replace(/\p{M}+/gu, '')
    if (bare.length === ch.length) out += bare
    else out += lower.length === ch.length ? lower : ch
  }
  return out
}

/**
 * Uppercases one character at a time, keeping accents (`ñ` → `Ñ`, needed by Mexican RFCs) and
 * keeping any character whose uppercase form would change the length (`ß`).
 * @example upperSameLength('esb12345674') // 'ESB12345674'
 */
export function upperSameLength(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text.toUpperCase()
  let out = ''
  for (const ch of normalizeForms(text)) {
    const upper = ch.toUpperCase()
    out += upper.length === ch.length ? upper : ch
  }
  return out
}

/** Collapses whitespace runs to one space and trims: "as printed, with normalised spacing". */
export function normalizeSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/**
 * Replaces every character of `text` in `[start, end)` with a space, keeping the length, so a
 * later pattern cannot match inside a span an earlier one already claimed.
 */
export function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(Math.max(0, end - start)) + text.slice(end)
}
