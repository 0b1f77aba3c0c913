/**
 * Contextual rules for the symbols PP-OCRv4's alphabet lacks, each written from what the
 * recogniser was measured to print instead (bench/latin.ts, confusion study):
 * - `Nº 123` → `N9 123`, `N? 123`, `N 123`, `N123`; `nº 45` → `n45`, `n 45`;
 * - ordinals `1º`, `2ª` → `1°`, `2o`, `1a`, `1@`;
 * - `1.234,56 €` → `1.234,56 ` (the glyph becomes a space) or `1.234,56 E`; a lone `€` → `e`;
 *   `€/kg` → `∈/kg`, `ε/kg`;
 * - `¡Hola!`, `¿Dónde?` → `iHola!`, `jHola!`, `EDonde?`, or the mark vanishes;
 * - fullwidth ASCII (`，`, `：`) the recogniser picks from its Chinese classes.
 * Each rule needs the page's language; none fires on `unknown` pages.
 */
import type { DetectedLang } from './language.js'
import type { EditableLine } from './line.js'

/** Probability given to a symbol a rule wrote. */
export const SYMBOL_CERTAINTY = { fullwidth: 1, numero: 0.8, ordinal: 0.7, euro: 0.7, inverted: 0.75 } as const

/** A comma-decimal amount: `1.234,56`, `12,00`. */
const AMOUNT = String.raw`\d{1,3}(?:\.\d{3})+,\d{2}|\d+,\d{2}`

/** What the page says about money, decided once per page. */
export interface PageMoney {
  /** The page has comma-decimal amounts and no other currency mark: a missing mark is `€`. */
  euro: boolean
}

const HAS_AMOUNT = new RegExp(AMOUNT)
// An amount ending the line, then what the € left: a space, an e/E, or both.
const EURO_AFTER = new RegExp(String.raw`(?<=(?:^|[^\d.,])(?:${AMOUNT}))( ?)([eE€]?)(\s*)$`, 'g')
const EURO_BEFORE = new RegExp(String.raw`^(\s*)[eE](?= ?(?:${AMOUNT})(?:\s|$))`, 'g')

/** Looks at a page's text for amounts and currency marks other than the euro. */
export function pageMoney(pageText: string): PageMoney {
  const hasAmount = HAS_AMOUNT.test(pageText)
  const otherCurrency = /R\$|\$|US\$|\bUSD\b|\bBRL\b|\bMXN\b|£|\bGBP\b|\bINR\b/.test(pageText)
  return { euro: hasAmount && !otherCurrency }
}

/** Applies `fn` to every match of `re` in the line's current text, right to left. */
function rewrite(line: EditableLine, re: RegExp, fn: (m: RegExpExecArray) => { start: number; end: number; text: string } | undefined, certainty: number): void {
  const edits: { start: number; end: number; text: string }[] = []
  for (const m of line.text.matchAll(re)) {
    const edit = fn(m as RegExpExecArray)
    if (edit) edits.push(edit)
  }
  for (const e of edits.reverse()) line.replace(e.start, e.end, e.text, certainty)
}

/** Fullwidth ASCII and the ideographic space to ASCII (any Latin-script page). */
export function foldFullwidth(line: EditableLine): void {
  rewrite(line, /[\uff01-\uff5e\u3000]/g, (m) => ({ start: m.index, end: m.index + 1, text: m[0] === '\u3000' ? ' ' : String.fromCharCode(m[0].charCodeAt(0) - 0xfee0) }), SYMBOL_CERTAINTY.fullwidth)
}

/** Words that name a numbered document or record in es/pt, after which `N` is `Nº`. */
const NUMBERED_DOCUMENTS = 'factura|fatura|ticket|nota|fiscal|cupom|cup[oó]n|recibo|documento|contribuinte|pedido|albar[aá]n|folio|cliente|extrato|simplificada|refer[eê]ncia|encomenda|orden|ordem|conta|cuenta|processo|expediente|NF-e|NFC-e'

// After a document word the mark may also be read `e`, `ê`, or `2` before a spaced number.
const NUMERO_AFTER_DOCUMENT = new RegExp(String.raw`(?<=\b(?:${NUMBERED_DOCUMENTS})\.? )N(?:[9oO0°º?eê]|2(?= \d))?(?=\s|$)`, 'giu')

/**
 * `Nº` before a number: a standalone `N`/`n` whose `º` was read as `9`, `o`, `0`, `°`, `?` or
 * nothing (`no` + number is Portuguese "in the"). A glued `N123` is only taken right after a
 * word (`Factura N123`), never at a line start or after a colon, where it may be a code or a
 * tax id; a glued `N9123` is left alone (the 9 may be a digit). A label `N` with no number
 * after it is taken at a line start (`N de factura:`, `N Ticket:`) or after a word naming a
 * numbered document (`Factura N`, `Contribuinte N9`, `Nota Fiscal Nê 000.767.122`,
 * `Fra. simplificada No T-3615`).
 */
export function restoreNumero(line: EditableLine): void {
  const spaced = /(?<=^|[\s(:])([Nn])([9oO0°º?]?)( +)(?=\d)/g
  rewrite(line, spaced, (m) => {
    const [, n, mark] = m as unknown as [string, string, string]
    if (n === 'n' && (mark === 'o' || mark === 'O' || mark === '0')) return undefined // pt "no 2º andar"
    return { start: m.index, end: m.index + 1 + mark.length, text: `${n}º` }
  }, SYMBOL_CERTAINTY.numero)
  // After a word (no colon: `NIF: N1234567A` is a tax id), digits not running into letters and
  // not starting with 9 (`N9123` may be `Nº 123` or `Nº 9123`).
  const glued = /(?<=\p{L}{2}\.? )([Nn])(?=[0-8][\d\-/.]*(?![\d\-/.\p{L}]))/gu
  rewrite(line, glued, (m) => ({ start: m.index, end: m.index + 1, text: `${m[1]}º ` }), SYMBOL_CERTAINTY.numero)
  // `N` as a label without a number after it: at a line start before de/da/do/del or a
  // capitalised word (`Nº de factura:`, `Nº Ticket:`), or after a document word (`Factura N`,
  // `Contribuinte N9`, `Nota N de venta`).
  const atStart = /^(\s*)N([9oO0°º?]?)(?= (?:de|da|do|del) | \p{Lu}\p{Ll})/gu
  rewrite(line, atStart, (m) => ({ start: m.index + m[1]!.length, end: m.index + m[0].length, text: 'Nº' }), SYMBOL_CERTAINTY.numero)
  rewrite(line, NUMERO_AFTER_DOCUMENT, (m) => (m[0].startsWith('N') ? { start: m.index, end: m.index + m[0].length, text: 'Nº' } : undefined), SYMBOL_CERTAINTY.numero)
}

/** Ordinals: `1°` (not a temperature), `2o`, `3a`, `3@` after one or two digits → `1º`, `2º`, `3ª`. */
export function restoreOrdinals(line: EditableLine): void {
  // Not after a comma (`12,5a` is a decimal with a unit), not from 0 (`00o.767` is a misread
  // number), not before `.digit`.
  const re = /(?<=(?:^|[\s(;:/-])[1-9]\d?)([°oa@])(?=$|[\s,;:)]|\.(?!\d))/g
  rewrite(line, re, (m) => ({ start: m.index, end: m.index + 1, text: m[1] === 'a' || m[1] === '@' ? 'ª' : 'º' }), SYMBOL_CERTAINTY.ordinal)
}

/**
 * The euro sign on a page whose amounts carry no other currency: an amount that ends the line
 * followed by the space the glyph left, or by an `e`/`E` read for it; an `E` before a leading
 * amount; a line that is only `e`/`E`; a lone `∈` or `ε` (`2,65 ∈/kg`). Needs the line's raw
 * text (trailing spaces kept).
 */
export function restoreEuro(line: EditableLine, money: PageMoney): void {
  if (!money.euro) return
  if (/^\s*[eE€]\s*$/.test(line.text)) {
    const at = line.text.search(/[eE€]/)
    line.replace(at, at + 1, '€', SYMBOL_CERTAINTY.euro)
    return
  }
  rewrite(line, EURO_AFTER, (m) => {
    const [, space, mark, rest] = m as unknown as [string, string, string, string]
    if (mark === '' && space === '' && rest === '') return undefined // a bare amount: no sign of a symbol
    if (mark === '€') return undefined
    return { start: m.index, end: m.index + m[0].length, text: `${space === '' && mark !== '' ? '' : ' '}€` }
  }, SYMBOL_CERTAINTY.euro)
  rewrite(line, EURO_BEFORE, (m) => ({ start: m.index + m[1]!.length, end: m.index + m[0].length, text: '€' }), SYMBOL_CERTAINTY.euro)
  // ∈ and ε, which Latin text never holds, standing alone or before a unit: `2,65 ∈/kg`.
  rewrite(line, /(?<=^|[\s\d])[∈ε](?=[\s/]|$)/g, (m) => ({ start: m.index, end: m.index + 1, text: '€' }), SYMBOL_CERTAINTY.euro)
}

// Spanish interrogatives take an accent when they open a question.
const INTERROGATIVES = new Map(
  ['que:qué', 'quien:quién', 'quienes:quiénes', 'cual:cuál', 'cuales:cuáles', 'cuando:cuándo', 'cuanto:cuánto', 'cuanta:cuánta', 'cuantos:cuántos', 'cuantas:cuántas', 'donde:dónde', 'adonde:adónde', 'como:cómo'].map((p) => p.split(':') as [string, string]),
)

/** A capital after one of these letters is an opening mark the recogniser misread. */
const MISREAD_OPENER = /^[iIjlEe](?=[A-ZÁÉÍÓÚÑ])/

/**
 * Spanish opening marks. For each clause that ends in `?` or `!` (it starts at the line start
 * or after `.`, `:`, `;`, `?`, `!`) and has no opening mark: a leading `i`, `j`, `l`, `E` or `e`
 * glued to a capital is the mark misread and is replaced. A clause with nothing before its
 * capital keeps it so: a mark is never added without a glyph in the image to stand for it. A
 * question's first word, if an interrogative, gets its accent (`Donde` → `Dónde`).
 */
export function restoreInvertedMarks(line: EditableLine): void {
  const text = line.text
  const edits: { start: number; end: number; text: string }[] = []
  for (const m of text.matchAll(/[?!]/g)) {
    const opener = m[0] === '?' ? '¿' : '¡'
    let boundary = m.index - 1
    while (boundary >= 0 && !/[.:;?!¿¡]/.test(text[boundary]!)) boundary--
    if (boundary >= 0 && (text[boundary] === '¿' || text[boundary] === '¡')) continue
    let start = boundary + 1
    while (start < m.index && text[start] === ' ') start++
    const clause = text.slice(start, m.index)
    // Only where the image holds a glyph read as a letter: a vanished mark is not guessed back.
    if (!MISREAD_OPENER.test(clause)) continue
    edits.push({ start, end: start + 1, text: opener })
    if (opener !== '¿') continue
    const skip = 1
    const word = /^\p{L}+/u.exec(clause.slice(skip))?.[0]
    const accented = word ? INTERROGATIVES.get(word.toLowerCase()) : undefined
    if (word && accented) {
      const cased = word[0] !== word[0]!.toLowerCase() ? accented[0]!.toUpperCase() + accented.slice(1) : accented
      edits.push({ start: start + skip, end: start + skip + word.length, text: cased })
    }
  }
  // Right to left; at one index the word edit goes before the insertion in front of it.
  edits.sort((a, b) => b.start - a.start || b.end - a.end)
  for (const e of edits) line.replace(e.start, e.end, e.text, SYMBOL_CERTAINTY.inverted)
}

/** Runs the symbol rules a language needs, in order. */
export function restoreSymbols(line: EditableLine, lang: DetectedLang, money: PageMoney): void {
  if (lang === 'unknown') return
  foldFullwidth(line)
  if (lang === 'en') return
  restoreNumero(line)
  restoreOrdinals(line)
  restoreEuro(line, money)
  if (lang === 'es') restoreInvertedMarks(line)
}
