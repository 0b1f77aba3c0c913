/**
 * Money amounts as printed in es, pt and en documents (`1.234,56`, `1,234.56`, `1 234,56`,
 * `1234.56`, `1.234`), normalised to `"1234.56"`. Currency symbols around the number are
 * ignored here; `currency.ts` reads them.
 */

/** One amount found in a line. */
export interface AmountMatch {
  /** Normalised: dot decimal, no thousands separator, two decimals (`"1234.56"`). */
  readonly value: string
  /** The same amount in hundredths, for comparisons. */
  readonly cents: number
  /** Start and end (exclusive) of the digits in the line, in UTF-16 code units. */
  readonly index: number
  readonly end: number
  /** True when printed with decimals (`45,60`); a bare `45` is less likely a money total. */
  readonly hasDecimals: boolean
  /**
   * True for one `.`/`,` group of exactly three digits and no decimals (`1.234`): read as
   * thousands, which is right in es/pt and usual in en, but worth less certainty.
   */
  readonly ambiguousThousands: boolean
  /** True when the separators disagree with any printed convention (`1.234.56`); read as best we can. */
  readonly malformed: boolean
  /** True when a minus sign precedes the number (discounts, refunds). */
  readonly negative: boolean
}

// Grouped digits (`1.234`, `1,234,567`, `1 234`) or a plain run, then optional decimals.
// A decimal part of one or two digits may be separated by a stray OCR space (`45, 60`).
// Lookbehinds keep the match from starting inside another number (`12.345.678/0001-95`).
const AMOUNT = /(?<!\d)(?<!\d[.,])(-\s?)?(\d{1,3}(?:[., ]\d{3})+(?!\d)|\d+)(?:\s?([.,])\s?(\d{1,2})(?!\d))?/g

/**
 * Undoes the OCR confusions that turn digits into letters inside a number: `O`/`o` for 0 and
 * `l`/`I`/`|` for 1, only when a digit or separator-after-digit touches them on both sides or the
 * number ends there (`45,6O` → `45,60`, `1O5,00` → `105,00`). Length-preserving.
 */
export function fixDigitConfusions(text: string): string {
  return text
    .replace(/(?<=\d|\d[.,])[Oo](?=[\d.,]|\s|$)/g, '0')
    .replace(/(?<=\d|\d[.,])[lI|](?=[\d.,])/g, '1')
}

function toMatch(m: RegExpExecArray): AmountMatch | undefined {
  const [whole, sign, integer, decimalSep, decimals] = m
  if (integer === undefined) return undefined
  const groups = integer.split(/[., ]/)
  const groupSeps = new Set(integer.replace(/\d/g, ''))
  let intDigits = groups.join('')
  let decDigits = decimals ?? ''
  // `0,123` is neither a grouped amount nor two decimals.
  if (groups.length > 1 && groups[0] === '0') return undefined
  let malformed = groupSeps.size > 1
  const groupSep = [...groupSeps][0]
  if (decimalSep !== undefined && groupSep === decimalSep) {
    // `1.234.56`: one separator kind for both roles is an OCR slip; the last one is the decimal.
    malformed = true
  }
  let ambiguousThousands = false
  if (decimalSep === undefined && groups.length === 2 && groupSep !== ' ') ambiguousThousands = true
  if (intDigits.length > 12) return undefined // no invoice total has 13 integer digits: an id or a phone
  intDigits = intDigits.replace(/^0+(?=\d)/, '')
  decDigits = decDigits.padEnd(2, '0')
  const cents = Number(intDigits) * 100 + Number(decDigits)
  const digitsStart = m.index + (sign?.length ?? 0)
  return {
    value: `${intDigits}.${decDigits}`,
    cents,
    index: digitsStart,
    end: m.index + whole.length,
    hasDecimals: decimalSep !== undefined,
    ambiguousThousands,
    malformed,
    negative: sign !== undefined,
  }
}

/**
 * All amounts in a line, left to right. Numbers followed by `%` are rates, not amounts, and
 * are skipped. Run `fixDigitConfusions` first when the text is OCR output.
 * @example findAmounts('TOTAL 1.234,56 €')[0]?.value // '1234.56'
 */
export function findAmounts(text: string): AmountMatch[] {
  const out: AmountMatch[] = []
  AMOUNT.lastIndex = 0
  for (let m = AMOUNT.exec(text); m; m = AMOUNT.exec(text)) {
    const after = text.slice(m.index + m[0].length)
    if (/^\s?%/.test(after)) continue
    const match = toMatch(m)
    if (match) out.push(match)
  }
  return out
}

/**
 * The first amount in a text, normalised to `"1234.56"`.
 * @example parseAmount('R$ 1.234,56') // '1234.56'
 * @example parseAmount('1 234,56 €') // '1234.56'
 */
export function parseAmount(text: string): string | undefined {
  return findAmounts(fixDigitConfusions(text))[0]?.value
}
