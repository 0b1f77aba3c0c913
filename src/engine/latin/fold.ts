/**
 * Folding Latin letters to their bare lower-case base (`Ñ` → `n`, `ç` → `c`, `ä` → `a`) and
 * carrying case back: the lexicon is keyed by folded words, and a restored word keeps the case
 * pattern the recogniser read (`INFORMACAO` → `INFORMAÇÃO`).
 */

/** Last code point of the folding table (end of Latin Extended-B). */
const TABLE_END = 0x24f

/** Folded form of every code point up to {@link TABLE_END}; `undefined` past it. */
const TABLE: string[] = []
/** Precomposed Latin letters U+00C0..U+024F that decompose to a-z plus marks. */
const ACCENTED = new Set<string>()
for (let code = 0; code <= TABLE_END; code++) {
  const ch = String.fromCharCode(code)
  const base = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
  const accented = code >= 0xc0 && /^[a-z]$/.test(base)
  if (accented) ACCENTED.add(ch)
  TABLE.push(accented ? base : ch.toLowerCase())
}

/** The bare lower-case base of one character (`É` → `e`); other characters lower-cased. */
export function foldChar(ch: string): string {
  const code = ch.charCodeAt(0)
  return ch.length === 1 && code <= TABLE_END ? TABLE[code]! : ch.toLowerCase()
}

/**
 * Folds a word to its lexicon key: lower case, diacritics dropped, one character per UTF-16
 * unit (table look-ups: the lexicon folds ~40 keys per look-up).
 * @example foldKey('Informação') // 'informacao'
 */
export function foldKey(word: string): string {
  let out = ''
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i)
    out += code <= TABLE_END ? TABLE[code]! : word[i]!.toLowerCase()
  }
  return out
}

/** Whether `ch` carries a diacritic (a precomposed Latin letter other than a-z/A-Z). */
export function hasDiacritic(ch: string): boolean {
  return ACCENTED.has(ch)
}

/**
 * `target` (lower case, same length as `observed`) written with the case of each observed
 * character. An all-capitals word stays all capitals even where one letter was read lower-case.
 * @example applyCase('ESPANA', 'españa') // 'ESPAÑA'
 */
export function applyCase(observed: string, target: string): string {
  const obs = [...observed]
  const tgt = [...target]
  const letters = obs.filter((c) => c.toLowerCase() !== c.toUpperCase())
  // One stray lower-case letter in a long capitalised word is a misread, not a case pattern.
  const upperCount = letters.filter((c) => c === c.toUpperCase()).length
  const allUpper = letters.length > 1 && (upperCount === letters.length || (letters.length >= 4 && upperCount >= letters.length - 1))
  let out = ''
  for (let i = 0; i < tgt.length; i++) {
    const o = obs[i] ?? ''
    const t = tgt[i]!
    const upper = allUpper || (o !== o.toLowerCase() && o === o.toUpperCase())
    out += upper ? t.toUpperCase() : t
  }
  return out
}
