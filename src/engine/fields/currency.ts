/**
 * The document currency as an ISO 4217 code, weighed from symbols (`€`, `R$`, `S/.`), printed
 * codes (`EUR`), words (`euros`, `reais`) and, for the ambiguous `$` and `pesos`, country hints.
 */
import type { ExtractedField } from '../types.js'
import { analyzeDocument, type DocumentContext } from './context.js'
import { makeField, type FieldLine } from './field.js'
import { blank } from './fold.js'

/** One reason to believe a currency, with how much it says (0..1). */
interface Evidence {
  readonly currency: string
  readonly weight: number
  readonly line: number
}

/** What other extractors already found that bears on the currency. */
export interface CurrencyHints {
  /** Line of the grand total: a symbol there outweighs one in a footnote. */
  readonly totalLine?: number
  /** `kind` and value of the issuer's tax id: the country's currency when nothing else tells. */
  readonly taxIdKind?: string
  readonly taxIdValue?: string
  readonly taxIdLine?: number
}

// Symbols that are unambiguous, longest first so `R$` is not read as `$` (original text).
const SYMBOLS: readonly (readonly [RegExp, string, number])[] = [
  [/R\$/g, 'BRL', 0.95],
  [/(?<![A-Za-z])(?:US\$|U\$S)/g, 'USD', 0.95],
  [/(?<![A-Za-z])(?:CA|C)\$/g, 'CAD', 0.9],
  [/(?<![A-Za-z])(?:AU|A)\$/g, 'AUD', 0.9],
  [/(?<![A-Za-z])(?:MX|MEX)\$/g, 'MXN', 0.9],
  [/(?<![A-Za-z])S\/\.?(?=\s?\d)/g, 'PEN', 0.9],
  [/(?<![A-Za-z])Rs\.?(?=\s?\d)/g, 'INR', 0.8],
  [/€/g, 'EUR', 0.95],
  [/£/g, 'GBP', 0.9],
  [/₹/g, 'INR', 0.95],
]
const CODES = /(?<![A-Za-z])(EUR|USD|BRL|MXN|GBP|INR|PEN|ARS|COP|CLP|CAD|AUD|CHF|UYU|BOB|PYG|DOP|GTQ|CRC)(?![A-Za-z])/g
/** A code beside an amount or after a currency label is printed as the currency; elsewhere it may be a word (`PEN DRIVE`). */
const CODE_NEAR_AMOUNT = { near: 1, far: 0.4 }
const CURRENCY_LABEL = /(?:moneda|moeda|currency|divisa)\s*[:.]?\s*$/
// Folded words. `pesos` and `dollars` are resolved by country below.
const WORDS: readonly (readonly [RegExp, string, number])[] = [
  [/(?<![a-z])euros?(?![a-z])/g, 'EUR', 0.8],
  [/(?<![a-z])reais(?![a-z])/g, 'BRL', 0.8],
  [/(?<![a-z])soles(?![a-z])/g, 'PEN', 0.7],
  [/(?<![a-z])(?:libras(?:\s+esterlinas)?|pounds?\s+sterling|sterling)(?![a-z])/g, 'GBP', 0.7],
  [/(?<![a-z])(?:rupees?|rupias)(?![a-z])/g, 'INR', 0.7],
  [/(?<![a-z])canadian\s+dollars?(?![a-z])/g, 'CAD', 0.8],
  [/(?<![a-z])australian\s+dollars?(?![a-z])/g, 'AUD', 0.8],
]
/** An amount with decimals next to a lone `E`/`C`/`e`: the recogniser's reading of a `€` it lacks. */
const EURO_MISREAD = /(?:\d[.,]\d{2}\s?[EeC](?![A-Za-z0-9]))|(?:(?<![A-Za-z0-9])[EC]\s?\d{1,3}(?:[.,]\d{3})*[.,]\d{2}(?!\d))/g
const EURO_MISREAD_WEIGHT = 0.5

/** Folded words that place a `$` or `pesos` document in a country. */
const COUNTRY_HINTS: readonly (readonly [RegExp, string])[] = [
  [/(?<![a-z])(?:rfc|mexico|cfdi|s\.?\s?a\.?\s+de\s+c\.?\s?v)(?![a-z])/, 'MXN'],
  [/(?<![a-z])(?:cuit|argentina|afip)(?![a-z])/, 'ARS'],
  [/(?<![a-z])(?:nit|colombia|dian)(?![a-z])/, 'COP'],
  [/(?<![a-z])(?:rut|chile|sii)(?![a-z])/, 'CLP'],
  [/(?<![a-z])(?:canada|hst|qst)(?![a-z])/, 'CAD'],
  [/(?<![a-z])(?:australia|abn)(?![a-z])/, 'AUD'],
]
/** `$` weight when a country hint (or a US document) settles it, and when only the default does. */
const DOLLAR = { settled: 0.85, guessed: 0.6, conflicting: 0.4 }
const PESO_COUNTRIES: ReadonlySet<string> = new Set(['MXN', 'ARS', 'COP', 'CLP'])
/** `pesos` weight when a country settles it, and the Mexican default when none does. */
const PESOS = { settled: 0.85, guessed: 0.35 }
/** Evidence on the total's line counts this much more (certainty still capped at 1). */
const TOTAL_LINE_BONUS = 1.25
/** Currency implied by the issuer's tax id, used only when nothing is printed. */
const TAX_ID_WEIGHT = 0.5
const BY_TAX_ID: Readonly<Record<string, string>> = { CNPJ: 'BRL', CPF: 'BRL', NIF: 'EUR', CIF: 'EUR', NIE: 'EUR', RFC: 'MXN', EIN: 'USD', GST: 'INR' }

function each(re: RegExp, text: string, visit: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0
  for (let m = re.exec(text); m; m = re.exec(text)) visit(m)
}

/** Where a `$` or `pesos` document is from: one country hint settles it; none leaves the default. */
interface Country {
  readonly currency: string | undefined
  readonly conflicting: boolean
  /** A clearly US document (see `isUsDocument`): `$` is USD with confidence. */
  readonly us: boolean
}

/** Printed codes of currencies written with `$`: `$ 100.00 CAD` is Canadian. */
const DOLLAR_CODES = /(?<![A-Za-z])(USD|CAD|AUD|MXN|ARS|COP|CLP)(?![A-Za-z])/g

function countryOf(context: DocumentContext, hints: CurrencyHints): Country {
  const codes = new Set(context.texts.flatMap((t) => [...t.matchAll(DOLLAR_CODES)].map((m) => m[1]!)))
  if (codes.size === 1) return { currency: [...codes][0], conflicting: false, us: context.monthFirstDates }
  const all = context.folded.join('\n')
  const found = new Set(COUNTRY_HINTS.filter(([re]) => re.test(all)).map(([, c]) => c))
  if (hints.taxIdKind === 'RFC') found.add('MXN')
  return { currency: found.size === 1 ? [...found][0] : undefined, conflicting: found.size > 1, us: context.monthFirstDates }
}

function lineEvidence(text: string, folded: string, line: number, country: Country): Evidence[] {
  const out: Evidence[] = []
  let rest = text
  for (const [re, currency, weight] of SYMBOLS) {
    each(re, rest, (m) => {
      out.push({ currency, weight, line })
      rest = blank(rest, m.index, m.index + m[0].length)
    })
  }
  each(CODES, text, (m) => {
    const around = text.slice(Math.max(0, m.index - 3), m.index + m[0].length + 3)
    const near = /\d/.test(around) || CURRENCY_LABEL.test(folded.slice(0, m.index))
    out.push({ currency: m[1]!, weight: near ? CODE_NEAR_AMOUNT.near : CODE_NEAR_AMOUNT.far, line })
  })
  for (const [re, currency, weight] of WORDS) each(re, folded, () => out.push({ currency, weight, line }))
  if (!out.some((e) => e.currency === 'EUR')) each(EURO_MISREAD, rest, () => out.push({ currency: 'EUR', weight: EURO_MISREAD_WEIGHT, line }))
  const dollars = (rest.match(/\$/g)?.length ?? 0) + (folded.replace(/(?:canadian|australian)\s+dollars?/g, '').match(/(?<![a-z])(?:dollars?|dolares|dolar)(?![a-z])/g)?.length ?? 0)
  for (let i = 0; i < dollars; i++) {
    if (country.currency) out.push({ currency: country.currency, weight: DOLLAR.settled, line })
    else out.push({ currency: 'USD', weight: country.conflicting ? DOLLAR.conflicting : country.us ? DOLLAR.settled : DOLLAR.guessed, line })
  }
  each(/(?<![a-z])pesos?(?![a-z])/g, folded, () => {
    const peso = country.currency && PESO_COUNTRIES.has(country.currency) ? country.currency : undefined
    out.push({ currency: peso ?? 'MXN', weight: peso ? PESOS.settled : PESOS.guessed, line })
  })
  return out
}

/**
 * Extracts the currency. Confidence = the strongest evidence for the winner × the winner's
 * share of all evidence, so a document printing both `€` and `$` scores lower than one with `€`
 * alone. Omitted when nothing on the page supports any currency.
 * @param context from `analyzeDocument(lines)`; computed when omitted.
 */
export function extractCurrency(lines: readonly FieldLine[], context: DocumentContext = analyzeDocument(lines), hints: CurrencyHints = {}): ExtractedField | undefined {
  const country = countryOf(context, hints)
  let evidence = context.texts.flatMap((t, i) => lineEvidence(t, context.folded[i]!, i, country))
  // Uncapped here so the total line also breaks ties between sums; capped below for certainty.
  evidence = evidence.map((e) => (e.line === hints.totalLine ? { ...e, weight: e.weight * TOTAL_LINE_BONUS } : e))
  if (evidence.length === 0 && hints.taxIdKind !== undefined && hints.taxIdLine !== undefined) {
    const vatCountry = hints.taxIdKind === 'VAT' ? hints.taxIdValue?.slice(0, 2).toUpperCase() : undefined
    const currency = vatCountry ? (vatCountry === 'GB' ? 'GBP' : 'EUR') : BY_TAX_ID[hints.taxIdKind]
    if (currency) evidence = [{ currency, weight: TAX_ID_WEIGHT, line: hints.taxIdLine }]
  }
  if (evidence.length === 0) return undefined
  const sums = new Map<string, number>()
  for (const e of evidence) sums.set(e.currency, (sums.get(e.currency) ?? 0) + e.weight)
  const [winner, winnerSum] = [...sums].sort((a, b) => b[1] - a[1])[0]!
  const total = [...sums.values()].reduce((a, b) => a + b, 0)
  const mine = evidence.filter((e) => e.currency === winner)
  const strongest = Math.max(...mine.map((e) => e.weight))
  const at = mine.find((e) => e.weight === strongest)!
  return makeField(lines, at.line, winner, Math.min(1, strongest) * (winnerSum / total))
}
