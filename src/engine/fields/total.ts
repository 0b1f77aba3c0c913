/**
 * The grand total: the amount after the strongest total label, on the same line or on the next
 * (a label cell and its value arrive as separate lines when the engine splits a row).
 */
import type { ExtractedField } from '../types.js'
import { findAmounts, fixDigitConfusions, type AmountMatch } from './amount.js'
import { analyzeDocument, type DocumentContext } from './context.js'
import { findDates } from './date-parse.js'
import { makeField, type FieldLine } from './field.js'
import { blank } from './fold.js'
import { findExcludedSpans, findLabelColumns, findTotalLabels, type LabelSpan, type TotalLabel } from './total-labels.js'

/** Certainty by label strength (see `total-labels.ts`). */
const CERTAINTY: Readonly<Record<number, number>> = { 3: 0.95, 2: 0.9, 1: 0.6 }
/** Factor when the amount was found on the line after its label. */
const NEXT_LINE = 0.9
/** Factor for an amount printed without decimals (`TOTAL 45`). */
const NO_DECIMALS = 0.85
/** Factor for `1.234`/`1,234` read as thousands: sure in es/pt, less so in English text. */
const THOUSANDS_EN = 0.8
const THOUSANDS_OTHER = 0.95
/** Factor for separators that fit no convention (`1.234.56`). */
const MALFORMED = 0.7
/** Factor when another label of the same strength gives a different amount. */
const DISAGREEMENT = 0.9
/** A value line may carry this many stray letters (an OCR `€` read as `E`) besides currency words. */
const MAX_VALUE_LINE_LETTERS = 2

/** Currency words and codes that may share a line with an amount without making it a label. */
const CURRENCY_WORDS = /(?<![a-z])(?:eur|euros?|usd|brl|mxn|gbp|pen|ars|cop|clp|cad|aud|inr|reais|pesos|soles|dollars?|r\$|us\$|s\/)(?![a-z])/g

interface Candidate {
  readonly amount: AmountMatch
  readonly line: number
  readonly strength: number
  readonly nextLine: boolean
}

/** Lines that change the amount between two totals: discounts and cash rounding. */
const ADJUSTMENT = /(?<![a-z])(?:descuentos?|descontos?|discounts?|dto|rebaja|ahorro|savings?|promo[a-z]*|redondeo|rounding|arredond[a-z]*|arrondi|arrotondamento|rundung|remise|rabatt|sconto)(?![a-z])/

/** A number followed by one of these counts things (`3 artículos`), it is not money. */
const COUNT_AFTER = /^\s*(?:items?|itens|articulos?|art\.?|unidades|uds?\.?|produtos|pzs|piezas|pcs|x)(?![a-z])/

/**
 * The money amounts of a line: dates blanked first (so `30.04.2024` is not an amount), OCR digit
 * slips fixed, negatives (discounts) and counts dropped.
 */
function amountsOf(text: string, folded: string, labels: readonly LabelSpan[] = []): AmountMatch[] {
  let masked = text
  // Labels too: the digit in an OCR-noised `T0TAL` is not an amount.
  for (const d of [...findDates(folded), ...labels]) masked = blank(masked, d.index, d.end)
  return findAmounts(fixDigitConfusions(masked)).filter((a) => !a.negative && !COUNT_AFTER.test(folded.slice(a.end)))
}

/** The last amount with decimals, else the last one: the total column is the rightmost. */
function pick(amounts: readonly AmountMatch[]): AmountMatch | undefined {
  return amounts.filter((a) => a.hasDecimals).at(-1) ?? amounts.at(-1)
}

/** True when a line holds amounts and nothing that reads as a label of its own. */
function isValueLine(folded: string): boolean {
  const letters = folded.replace(CURRENCY_WORDS, ' ').replace(/[^a-z]/g, '')
  return letters.length <= MAX_VALUE_LINE_LETTERS
}

/** Finds the value row under a label row: the next line, or the one after a bare currency line. */
function valueLineAfter(line: number, context: DocumentContext, lines: readonly FieldLine[]): number | undefined {
  for (let j = line + 1; j <= line + 2 && j < lines.length; j++) {
    const folded = context.folded[j]!
    if (/\d/.test(folded)) return isValueLine(folded) ? j : undefined
    if (!isValueLine(folded)) return undefined // another label: the value is not below
  }
  return undefined
}

/** The amount a label points at on its own line: after it, before the next label. */
function amountAfterLabel(label: TotalLabel, stops: readonly number[], amounts: readonly AmountMatch[]): AmountMatch | undefined {
  const stop = stops.find((s) => s >= label.end) ?? Infinity
  return pick(amounts.filter((a) => a.index >= label.end && a.index < stop))
}

function candidatesOf(lines: readonly FieldLine[], context: DocumentContext, line: number): Candidate[] {
  const folded = context.folded[line]!
  const labels = findTotalLabels(folded)
  if (labels.length === 0) return []
  const excluded = findExcludedSpans(folded, false)
  const amounts = amountsOf(context.texts[line]!, folded, [...labels, ...excluded])
  const stops = [...labels, ...excluded].map((s) => s.index).sort((a, b) => a - b)
  const out: Candidate[] = []
  labels.forEach((label) => {
    const same = amountAfterLabel(label, stops, amounts)
    if (same) out.push({ amount: same, line, strength: label.strength, nextLine: false })
  })
  // `TOTAL 5` over or beside `23,40`: a bare integer after the label is a count when the value
  // row below carries decimals.
  if (out.length > 0 && out.every((c) => !c.amount.hasDecimals)) {
    const below = valueLineAfter(line, context, lines)
    const decimals = below === undefined ? [] : amountsOf(context.texts[below]!, context.folded[below]!).filter((a) => a.hasDecimals)
    const value = pick(decimals)
    if (below !== undefined && value) return labels.map((label) => ({ amount: value, line: below, strength: label.strength, nextLine: true }))
  }
  if (out.length > 0 || amounts.length > 0) return out
  // A label row with no amount: read the value row below, pairing columns when they line up.
  let below = valueLineAfter(line, context, lines)
  if (below === undefined) return out
  let belowAmounts = amountsOf(context.texts[below]!, context.folded[below]!)
  // `TOTAL` / `14` / `67,24 EUR`: a bare count cell between the label and its amount.
  if (belowAmounts.length > 0 && belowAmounts.every((a) => !a.hasDecimals)) {
    const after = valueLineAfter(below, context, lines)
    const decimals = after === undefined ? [] : amountsOf(context.texts[after]!, context.folded[after]!).filter((a) => a.hasDecimals)
    if (after !== undefined && decimals.length > 0) [below, belowAmounts] = [after, decimals]
  }
  const columns = findLabelColumns(folded)
  for (const label of labels) {
    const column = columns.findIndex((c) => c.index === label.index)
    const paired = columns.length === belowAmounts.length && column >= 0 ? belowAmounts[column] : pick(belowAmounts)
    if (paired) out.push({ amount: paired, line: below, strength: label.strength, nextLine: true })
  }
  return out
}

function certaintyOf(c: Candidate, context: DocumentContext, rivals: readonly Candidate[]): number {
  let certainty = CERTAINTY[c.strength] ?? 0.5
  if (c.nextLine) certainty *= NEXT_LINE
  if (!c.amount.hasDecimals) certainty *= NO_DECIMALS
  if (c.amount.ambiguousThousands) certainty *= context.language === 'en' ? THOUSANDS_EN : THOUSANDS_OTHER
  if (c.amount.malformed) certainty *= MALFORMED
  if (rivals.some((r) => r.strength === c.strength && r.amount.cents !== c.amount.cents)) certainty *= DISAGREEMENT
  return certainty
}

/**
 * Extracts the grand total as `"1234.56"`. Among labelled amounts the strongest label wins
 * (`Total a pagar` over `Total`); between two of the same strength, the later one when a discount
 * or rounding line sits between them, else the larger (tax included over tax excluded, a total
 * over the tax share it includes), else the later. Subtotals, taxes, discounts, cash tendered, change, tips and item counts
 * are never totals.
 * @param context from `analyzeDocument(lines)`; computed when omitted.
 */
export function extractTotal(lines: readonly FieldLine[], context: DocumentContext = analyzeDocument(lines)): ExtractedField | undefined {
  const all = lines.flatMap((_, i) => candidatesOf(lines, context, i))
  const adjustments = context.folded.flatMap((f, i) => (ADJUSTMENT.test(f) ? [i] : []))
  const best = all.reduce<Candidate | undefined>((b, c) => {
    if (!b) return c
    if (c.strength !== b.strength) return c.strength > b.strength ? c : b
    const [early, late] = c.line <= b.line ? [c, b] : [b, c]
    // A discount or a rounding line between two totals: the later one is what is paid.
    if (early.line !== late.line && adjustments.some((a) => a > early.line && a < late.line)) return late
    // Printed with decimals over a bare integer (a count or a code read beside the label).
    if (c.amount.hasDecimals !== b.amount.hasDecimals) return c.amount.hasDecimals ? c : b
    // Otherwise the larger: a total with tax over one without, over a tax share printed after it.
    if (c.amount.cents !== b.amount.cents) return c.amount.cents > b.amount.cents ? c : b
    return late
  }, undefined)
  return best && makeField(lines, best.line, best.amount.value, certaintyOf(best, context, all))
}
