/**
 * Finds calendar dates inside one line of folded text and normalises them to ISO `yyyy-mm-dd`.
 * Labels and document-level choices (which date is the invoice date) live in `date.ts`.
 */
import { foldText } from './fold.js'
import { monthFromName } from './months.js'

/** One date found in a line. */
export interface DateMatch {
  /** ISO `yyyy-mm-dd`, a real calendar day. */
  readonly iso: string
  /** Start and end (exclusive) of the match in the line, in UTF-16 code units. */
  readonly index: number
  readonly end: number
  /** True for a numeric date whose day and month could be swapped (both ≤ 12 and different). */
  readonly ambiguous: boolean
}

/** How to read numeric dates. */
export interface DateParseOptions {
  /** Read an ambiguous `aa/bb/yyyy` as month/day (US). @default false (day/month) */
  readonly monthFirst?: boolean
}

/** Earliest and latest year accepted: OCR digit noise often produces impossible years. */
const MIN_YEAR = 1900
const MAX_YEAR = 2099

/** ISO date for a validated calendar day, or undefined (31/04, 29/02 of a common year, ...). */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return undefined
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth) return undefined
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Two-digit years: 00..69 are 20xx, 70..99 are 19xx (invoices are recent; birth dates are not our field). */
export function expandYear(digits: string): number {
  const n = Number(digits)
  if (digits.length !== 2) return n
  return n < 70 ? 2000 + n : 1900 + n
}

// All patterns run on folded text (lowercase, no accents). The guards keep them out of longer
// digit runs such as CNPJs (`12.345.678/0001-95`) and ids (`F-2024-00123`).
const BEFORE = String.raw`(?<![\d.,/-])`
const AFTER = String.raw`(?!\d|[./-]\d)`
const ISO = new RegExp(String.raw`${BEFORE}(\d{4})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{1,2})${AFTER}`, 'g')
const NUMERIC = new RegExp(String.raw`${BEFORE}(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})${AFTER}`, 'g')
/**
 * `25 dic 2018`, `25-DEC-18`, `25 de diciembre de 2018`, `1º de março de 2024`, `25th December, 2018`,
 * and with the spaces OCR drops (`6de fevereirode2020`): the month word is matched lazily so a
 * `de` glued to the year is not taken as part of it. A `de` before the month needs its space, or
 * `25 december` would read as `de` + `cember`.
 */
const DAY_MONTH_YEAR = new RegExp(
  String.raw`(?<!\d)(\d{1,2})(?:st|nd|rd|th|º|°|o)?\.?[\s./-]*(?:(?:de|of)\s+)?([a-z]{3,10}?\.?)[\s./,-]*(?:(?:del|de)\s*)?(\d{4}|\d{2})(?!\d)`,
  'g',
)
/** The same with `de` glued to the month (`26dejunhode2020`); tried second, so `25 december` stays December. */
const DAY_MONTH_YEAR_GLUED = new RegExp(
  String.raw`(?<!\d)(\d{1,2})(?:º|°|o)?\.?[\s./-]*(?:de|of)([a-z]{3,10}?\.?)[\s./,-]*(?:(?:del|de)\s*)?(\d{4}|\d{2})(?!\d)`,
  'g',
)
/** `December 25, 2018`, `Dec. 25 2018`, `dec 25th, 2018`. */
const MONTH_DAY_YEAR = /(?<![a-z])([a-z]{3,10}\.?)\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})(?!\d)/g

type Found = Omit<DateMatch, 'index' | 'end'> | undefined

/** Runs one global pattern, retrying one character later when a match is not a date. */
function scan(re: RegExp, text: string, read: (m: RegExpExecArray) => Found, out: DateMatch[]): void {
  re.lastIndex = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const found = read(m)
    if (found) out.push({ ...found, index: m.index, end: m.index + m[0].length })
    else re.lastIndex = m.index + 1
  }
}

function readNumeric(first: string, second: string, yearDigits: string, monthFirst: boolean): Found {
  const a = Number(first)
  const b = Number(second)
  const year = expandYear(yearDigits)
  const dayFirst = isoDate(year, b, a)
  const monthFirstIso = isoDate(year, a, b)
  if (dayFirst && monthFirstIso) {
    if (a === b) return { iso: dayFirst, ambiguous: false }
    return { iso: monthFirst ? monthFirstIso : dayFirst, ambiguous: true }
  }
  // Only one reading is a real date (e.g. 12/25/2018): that settles the order.
  const only = dayFirst ?? monthFirstIso
  return only ? { iso: only, ambiguous: false } : undefined
}

/**
 * All dates in a line of folded text, in order, without overlaps.
 * @param text the line after `foldText` (month names must be lowercase and unaccented).
 * @example findDates('fecha: 25/12/2018')[0]?.iso // '2018-12-25'
 */
export function findDates(text: string, options: DateParseOptions = {}): DateMatch[] {
  const monthFirst = options.monthFirst ?? false
  // A zero that starts or sits inside a word is the letter o (`28 de 0ctubre`); same length.
  const folded = text.replace(/(?<=[a-z]|\s|^)0(?=[a-z]{2})/g, 'o')
  const found: DateMatch[] = []
  scan(ISO, folded, (m) => {
    const iso = isoDate(Number(m[1]), Number(m[3]), Number(m[4]))
    return iso ? { iso, ambiguous: false } : undefined
  }, found)
  scan(NUMERIC, folded, (m) => readNumeric(m[1]!, m[3]!, m[4]!, monthFirst), found)
  for (const re of [DAY_MONTH_YEAR, DAY_MONTH_YEAR_GLUED]) {
    scan(re, folded, (m) => {
      const month = monthFromName(m[2]!)
      const iso = month ? isoDate(expandYear(m[3]!), month, Number(m[1])) : undefined
      return iso ? { iso, ambiguous: false } : undefined
    }, found)
  }
  scan(MONTH_DAY_YEAR, folded, (m) => {
    const month = monthFromName(m[1]!)
    const iso = month ? isoDate(Number(m[3]), month, Number(m[2])) : undefined
    return iso ? { iso, ambiguous: false } : undefined
  }, found)
  found.sort((x, y) => x.index - y.index || y.end - x.end)
  const result: DateMatch[] = []
  for (const d of found) {
    const last = result[result.length - 1]
    if (!last || d.index >= last.end) result.push(d)
  }
  return result
}

/**
 * The first date in any text, accents and case as printed.
 * @returns ISO `yyyy-mm-dd`, or undefined when the text holds no valid date.
 * @example parseDate('25 de Março de 2024') // '2024-03-25'
 */
export function parseDate(text: string, options: DateParseOptions = {}): string | undefined {
  return findDates(foldText(text), options)[0]?.iso
}
