/**
 * The document date: the invoice/issue date when one is labelled, else the first unlabelled
 * date; due, delivery and period dates only when nothing better exists.
 */
import type { ExtractedField } from '../types.js'
import { analyzeDocument, type DocumentContext } from './context.js'
import { findDates, type DateMatch } from './date-parse.js'
import { makeField, type FieldLine } from './field.js'

/** What the label in front of a date says it is. */
export type DateRole = 'issue' | 'generic' | 'none' | 'other' | 'due'

// Rank and certainty per role: a labelled issue date is what we want; an unlabelled one is
// usually the issue date on receipts; a due date is a last resort, returned but flagged low.
const RANK: Readonly<Record<DateRole, number>> = { issue: 5, generic: 4, none: 3, other: 2, due: 1 }
const CERTAINTY: Readonly<Record<DateRole, number>> = { issue: 0.95, generic: 0.9, none: 0.7, other: 0.5, due: 0.4 }
/** Certainty factor when day and month could be swapped and only a default decided. */
const AMBIGUOUS_DEFAULT = 0.85
/** Certainty factor when day and month could be swapped and a clearly US document decided. */
const AMBIGUOUS_US = 0.95
/** Certainty factor when the label sits on the line above the date. */
const LABEL_ABOVE = 0.95
/** A label further than this many characters before the date is not its label. */
const MAX_LABEL_GAP = 40

// Folded text. Longer labels contain the generic words (`invoice date`, `fecha de vencimiento`),
// so overlapping hits resolve to the longest; equal lengths go to the earlier role here. Spaces
// inside phrases are optional because OCR drops them (`Fechadeemision`).
const LABELS: readonly (readonly [DateRole, RegExp])[] = [
  [
    'issue',
    /(?<![a-z])(?:(?:fecha|f\.)\s*(?:de\s*)?(?:emision|expedicion|factura(?:cion)?|fra\.?)|data\s*(?:de\s*|da\s*)?emiss[a-z]?o|emiss[a-z]?o|emitid[oa]\s*em|invoice\s*date|issue\s*date|date\s*of\s*issue|date\s*issued|issued(?:\s*on)?|billing\s*date|tax\s*point|receipt\s*date)(?![a-z])/g,
  ],
  [
    'due',
    /(?<![a-z])(?:(?:fecha|data)\s*(?:de\s*|do\s*)?(?:vencimiento|vencimento)|vencimiento|vencimento|vence|venc|due(?:\s*date)?|due\s*on|pay(?:ment)?\s*by|fecha\s*limite|data\s*limite|pagar\s*(?:antes\s*de|ate)|valid[oa]?\s+(?:hasta|ate|until)|validade|expir[a-z]*|caducidad)(?![a-z])/g,
  ],
  [
    'other',
    /(?<![a-z])(?:(?:fecha|data)\s*(?:de\s*|do\s*|da\s*)?(?:entrega|pedido|saida|entrada|nacimiento|nascimento)|entrega|pedido|order\s*date|ship(?:ping|ped)?\s*date|delivery(?:\s*date)?|nacimiento|nascimento|saida|entrada|periodo|period|desde|hasta|service\s*date)(?![a-z])/g,
  ],
  ['generic', /(?<![a-z])(?:fecha|data|date|dated|fch|dt)(?![a-z])/g],
]

interface LabelHit {
  readonly role: Exclude<DateRole, 'none'>
  readonly index: number
  readonly end: number
}

/**
 * The date labels in a folded segment, in order of position. Overlapping hits are one label:
 * the longest wins (`fecha de vencimiento` over `fecha`), then the earlier role in `LABELS`.
 */
export function findDateLabels(folded: string): LabelHit[] {
  const hits: (LabelHit & { priority: number })[] = []
  LABELS.forEach(([role, re], priority) => {
    if (role === 'none') return
    re.lastIndex = 0
    for (let m = re.exec(folded); m; m = re.exec(folded)) hits.push({ role, index: m.index, end: m.index + m[0].length, priority })
  })
  hits.sort((a, b) => b.end - b.index - (a.end - a.index) || a.priority - b.priority)
  const kept: LabelHit[] = []
  for (const h of hits) {
    if (kept.every((k) => h.end <= k.index || h.index >= k.end)) kept.push({ role: h.role, index: h.index, end: h.end })
  }
  return kept.sort((a, b) => a.index - b.index)
}

/** The role of the label closest before `date`, looking only after the previous date. */
function roleOnLine(folded: string, from: number, date: DateMatch): DateRole {
  const last = findDateLabels(folded.slice(from, date.index)).at(-1)
  if (!last || date.index - from - last.end > MAX_LABEL_GAP) return 'none'
  return last.role
}

/** Certainty factor for a date broken over two lines (`23 de novembro de` / `2024`). */
const SPLIT_OVER_LINES = 0.9

/**
 * Dates that start on one line and end on the next, as a narrow column wraps a long date.
 * Only lines that hold no whole date of their own are joined.
 */
function splitDates(context: DocumentContext, datesByLine: readonly (readonly DateMatch[])[]): Candidate[] {
  const out: Candidate[] = []
  for (let line = 0; line + 1 < context.folded.length; line++) {
    if (datesByLine[line]!.length > 0 || datesByLine[line + 1]!.length > 0) continue
    const head = context.folded[line]!
    const joined = `${head} ${context.folded[line + 1]!}`
    for (const date of findDates(joined, { monthFirst: context.monthFirstDates })) {
      if (date.index >= head.length || date.end <= head.length + 1) continue
      const role = roleOnLine(head, 0, date)
      out.push({ iso: date.iso, line, index: date.index, role, certainty: CERTAINTY[role] * SPLIT_OVER_LINES })
    }
  }
  return out
}

interface Candidate {
  readonly iso: string
  readonly line: number
  readonly index: number
  readonly role: DateRole
  readonly certainty: number
}

/**
 * Extracts the document date as ISO `yyyy-mm-dd`.
 * A date with no label of its own takes the label above it when the line above holds labels and
 * no dates (a header row over a value row: the k-th date takes the k-th label).
 * @param context from `analyzeDocument(lines)`; computed when omitted.
 */
export function extractDate(lines: readonly FieldLine[], context: DocumentContext = analyzeDocument(lines)): ExtractedField | undefined {
  const candidates: Candidate[] = []
  const datesByLine = context.folded.map((f) => findDates(f, { monthFirst: context.monthFirstDates }))
  datesByLine.forEach((dates, line) => {
    const folded = context.folded[line]!
    const above = line > 0 && datesByLine[line - 1]!.length === 0 ? findDateLabels(context.folded[line - 1]!) : []
    let from = 0
    dates.forEach((date, k) => {
      let role = roleOnLine(folded, from, date)
      let factor = 1
      if (role === 'none' && above.length > 0) {
        role = (above[k] ?? above[above.length - 1])!.role
        factor = LABEL_ABOVE
      }
      if (date.ambiguous) factor *= context.monthFirstDates ? AMBIGUOUS_US : AMBIGUOUS_DEFAULT
      candidates.push({ iso: date.iso, line, index: date.index, role, certainty: CERTAINTY[role] * factor })
      from = date.end
    })
  })
  candidates.push(...splitDates(context, datesByLine))
  // Best role first; among equals the earliest, since the issue date heads the document.
  const best = candidates.sort((a, b) => RANK[b.role] - RANK[a.role] || a.line - b.line || a.index - b.index)[0]
  return best && makeField(lines, best.line, best.iso, best.certainty)
}
