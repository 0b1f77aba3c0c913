/**
 * Month names in English, Spanish and Portuguese, full and abbreviated, folded (no accents,
 * lowercase), so `MARÇO`, `Marco` and `mar.` all resolve.
 */
import { levenshtein } from '../../common/text-metrics.js'

// Each list is indexed by month - 1. Abbreviations collide across languages only when they
// mean the same month (`mar`, `ago`, `set`), so one flat table is safe.
const NAMES: readonly (readonly string[])[] = [
  ['january', 'jan', 'enero', 'ene', 'janeiro'],
  ['february', 'feb', 'febrero', 'fevereiro', 'fev'],
  ['march', 'mar', 'marzo', 'marco'],
  ['april', 'apr', 'abril', 'abr'],
  ['may', 'mayo', 'maio', 'mai'],
  ['june', 'jun', 'junio', 'junho'],
  ['july', 'jul', 'julio', 'julho'],
  ['august', 'aug', 'agosto', 'ago'],
  ['september', 'sep', 'sept', 'septiembre', 'setiembre', 'set', 'setembro'],
  ['october', 'oct', 'octubre', 'outubro', 'out'],
  ['november', 'nov', 'noviembre', 'novembro'],
  ['december', 'dec', 'diciembre', 'dic', 'dezembro', 'dez'],
]

const MONTH_BY_NAME: ReadonlyMap<string, number> = new Map(NAMES.flatMap((names, i) => names.map((n) => [n, i + 1] as const)))
/** Full names only (five letters or more): the ones a misread letter can be recovered from. */
const FULL_NAMES: readonly (readonly [string, number])[] = [...MONTH_BY_NAME].filter(([name]) => name.length >= 5)

/** The one month a predicate picks among full names, or undefined when none or several do. */
function unique(test: (name: string) => boolean): number | undefined {
  const months = new Set(FULL_NAMES.filter(([name]) => test(name)).map(([, month]) => month))
  return months.size === 1 ? [...months][0] : undefined
}

/**
 * The month number (1..12) for a folded month name or abbreviation, a trailing dot allowed.
 * Tolerates what OCR does to long names: a truncation of four letters or more (`abri`, `dezemb`)
 * and, for words of five letters or more, one wrong, missing or extra letter (`novenbro`,
 * `setembo`), as long as only one month fits.
 * @example monthFromName('dic.') // 12
 * @example monthFromName('marco') // 3
 * @example monthFromName('abri') // 4
 */
export function monthFromName(word: string): number | undefined {
  const w = word.replace(/\.$/, '')
  const exact = MONTH_BY_NAME.get(w)
  if (exact !== undefined || w.length < 4) return exact
  return unique((name) => name.startsWith(w)) ?? (w.length >= 5 ? unique((name) => levenshtein(name, w) <= 1) : undefined)
}
