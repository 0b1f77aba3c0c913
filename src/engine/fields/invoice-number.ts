/**
 * The document number: `Factura Nº F-2024-00123`, `Nº Factura: 2024/0012`, `Nota Fiscal Nº
 * 000.123.456`, `NF-e Nº 123456`, `Invoice No. INV-88412`, `Invoice #12345`, `Receipt No: 00045`,
 * `Ticket: T-0042`, or a bare `Nº 0042` near the word Factura. Returned as printed.
 */
import type { ExtractedField } from '../types.js'
import { analyzeDocument, type DocumentContext } from './context.js'
import { findDates } from './date-parse.js'
import { makeField, type FieldLine } from './field.js'
import { foldText, normalizeSpaces } from './fold.js'

/** Document kinds whose number we want (folded). */
const DOC = String.raw`(?:factura|fatura|fra\.?)(?:\s*-\s*recibo)?(?:\s+(?:simplificada|rectificativa|electronica|proforma))?|nota\s+fiscal(?:\s+de\s+servicos?)?(?:\s+eletronica)?(?:\s+de\s+consumidor)?|nf[sc]?\s?-\s?e|nf[sc]?e|nfs|(?:tax\s+)?invoice|receipt|recibo|ticket|bill|boleta|comprobante|nota\s+de\s+venta|cupom(?:\s+fiscal)?|extrato|folio(?:\s+fiscal)?|documento|trans(?:action|accion)?\.?`
/** Words that name the document only beside a number sign (`Nota Nº 12`, `Número da nota`): alone they are too common. */
const DOC_MARKED = String.raw`${DOC}|nota|doc\.?`
/**
 * Number signs as printed or as the recogniser reads a `º` it lacks: `Nº`, `N°`, `N.º`, `No.`,
 * `N?`, `N9`/`Nq`/`N2` before a space, `N9`/`Nq` glued to a series (`N9FT2024/962`), `Nq` glued
 * to digits (`NQ070904`); a bare `N` only before a space or colon, since `N7781` could be the id
 * itself; `Nro`, `Num.`, `Número`, `#`. Each alternative carries its own end guard.
 */
const MARK = String.raw`(?:n\s?[9q2](?=[\s.:])|n[9q](?=[a-z])|nq(?=\d)|n\s?\.?\s?[º°o?]\.?(?![a-z])|n\.|n(?=[\s:])|(?:nro|num|nbr)\.?(?![a-z])|numero|number|#)`
/** Number signs directly before the document word, where OCR may glue them (`NoTicket:`, `Nºfactura`). */
const MARK_BEFORE_DOC = String.raw`(?:n\s?\.?\s?[º°o?9q]\.?|n(?=[\s:])|nro\.?|num\.?|numero|number|#)`
/** Words before a bare `Nº` that make it some other number (customer, order, page, street...). */
const OTHER_NUMBER =
  /(?:cliente|client|customer|pedido|order|cuenta|account|albaran|pagina|page|tel|telefono|fax|mesa|caja|cajero|empleado|socio|lote|cupon|contribuinte|nif|nipc|cif|cnpj|cpf|rfc|vat|iva)\s*[:.]?\s*$/
/** Address words: `Calle Mayor Nº 12` is a street number even under a FACTURA title. */
const ADDRESS = /(?<![a-z])(?:calle|c\/|avda|avenida|av\.|rua|street|st\.|plaza|praca|travessa|piso|andar|bloco|cep|cp)(?![a-z])/

type Pattern = 'doc+mark' | 'mark+doc' | 'doc' | 'mark'
const PATTERNS: readonly (readonly [Pattern, RegExp])[] = [
  // After the document word any one glyph after N stands for the º (`Fatura Ne FT 2023/777`, `Folio Ng A-4183`).
  ['doc+mark', new RegExp(String.raw`(?<![a-z])(?:${DOC_MARKED})\s*[:.]?\s*(?:de\s+)?(?:${MARK}|n[a-z0-9?](?=[\s.:]))`, 'g')],
  ['mark+doc', new RegExp(String.raw`(?<![a-z])${MARK_BEFORE_DOC}\s*(?:de\s*|da\s*|do\s*)?(?:${DOC_MARKED})(?![a-z])`, 'g')],
  // Not glued to digits: `NFS971114AX4` is an RFC, not the document `NFS` numbered 971114AX4.
  ['doc', new RegExp(String.raw`(?<![a-z])(?:${DOC})(?![a-z0-9])`, 'g')],
  ['mark', new RegExp(String.raw`(?<![a-z0-9])${MARK}`, 'g')],
]
/** Certainty per pattern: an explicit number sign after the document word is the clearest. */
const CERTAINTY: Readonly<Record<Pattern, number>> = { 'doc+mark': 0.95, 'mark+doc': 0.95, doc: 0.85, mark: 0.75 }
/** Factor when the number sits alone on the line after its label. */
const NEXT_LINE = 0.9
/** A bare `Nº` counts when the document word is within this many lines. */
const DOC_NEARBY_LINES = 2
const HAS_DOC = new RegExp(String.raw`(?<![a-z])(?:${DOC})(?![a-z])`)

// The identifier: an optional upper-case series (`FT 2024/15`, `FR B/3896`), then letters/digits
// joined by - / . (`F-2024-00123`, `000.123.456`). Trailing punctuation stays out.
const ID = /[\s:.#º°?-]*(?:([A-Z]{1,4}) (?=[A-Za-z0-9/.-]*\d))?([A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*)/y
/** Capitals that precede a number without being its series: number signs and label words. */
const NOT_SERIES = new Set(['N', 'NO', 'NR', 'NRO', 'NUM', 'DE', 'DA', 'DO', 'DEL', 'MESA', 'CAJA', 'DATE', 'DATA'])

/**
 * Reads the identifier at `from` in the original text, or undefined when what follows is not one.
 * @param allowSeries accept a capitals-only series before a space (`FR B/3896`).
 */
export function readIdentifier(text: string, from: number, allowSeries: boolean): string | undefined {
  ID.lastIndex = from
  const m = ID.exec(text)
  if (!m) return undefined
  const series = allowSeries && m[1] && !NOT_SERIES.has(m[1]) ? m[1] : undefined
  if (m[1] && !series) return undefined // `Invoice ACME 12` is not an id
  const token = m[2]!
  const after = text.slice(m.index + m[0].length)
  if (!/\d/.test(token) || token.length > 30) return undefined
  if (/^[,.:]\d/.test(after)) return undefined // an amount (`121,00`) or a time (`12:30`)
  const folded = foldText(token)
  if (findDates(folded).some((d) => d.index === 0 && d.end === folded.length)) return undefined
  return normalizeSpaces(series ? `${series} ${token}` : token)
}

interface Candidate {
  readonly value: string
  readonly line: number
  readonly index: number
  readonly certainty: number
}

function nearDoc(context: DocumentContext, line: number): boolean {
  const from = Math.max(0, line - DOC_NEARBY_LINES)
  return context.folded.slice(from, line + DOC_NEARBY_LINES + 1).some((f) => HAS_DOC.test(f))
}

function candidatesOf(lines: readonly FieldLine[], context: DocumentContext, line: number): Candidate[] {
  const folded = context.folded[line]!
  const text = context.texts[line]!
  const out: Candidate[] = []
  for (const [pattern, re] of PATTERNS) {
    re.lastIndex = 0
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      const end = m.index + m[0].length
      const before = folded.slice(0, m.index)
      if (pattern === 'doc' && /(?:total|importe|valor|fecha|data|date|amount)\s*[:.]?\s*$/.test(before)) continue
      if (pattern === 'mark') {
        if (m[0].trim() === 'n' || OTHER_NUMBER.test(before) || ADDRESS.test(folded) || !nearDoc(context, line)) continue
      }
      const marked = pattern !== 'doc'
      // A series before the number needs a number sign or a colon (`Documento: FR B/3896`).
      const id = readIdentifier(text, end, marked || /^\s*:/.test(text.slice(end)))
      if (id) {
        out.push({ value: id, line, index: m.index, certainty: CERTAINTY[pattern] })
        continue
      }
      // A label closing its line (`Invoice No.` / `INV-88412`): the number is the next line.
      if (marked && pattern !== 'mark' && /^[\s:.#º°-]*$/.test(text.slice(end)) && line + 1 < lines.length) {
        const next = context.texts[line + 1]!
        const nextId = readIdentifier(next, 0, true)
        // Only when the id is the whole of the next line's start, not a word deep inside it.
        const rest = next.replace(/^[\s:.#º°-]+/, '')
        if (nextId && normalizeSpaces(rest).startsWith(nextId)) {
          out.push({ value: nextId, line: line + 1, index: 0, certainty: CERTAINTY[pattern] * NEXT_LINE })
        }
      }
    }
  }
  return out
}

/**
 * Extracts the invoice, receipt or nota fiscal number, as printed without its label.
 * @param context from `analyzeDocument(lines)`; computed when omitted.
 */
export function extractInvoiceNumber(lines: readonly FieldLine[], context: DocumentContext = analyzeDocument(lines)): ExtractedField | undefined {
  const all = lines.flatMap((_, i) => candidatesOf(lines, context, i))
  const best = all.sort((a, b) => b.certainty - a.certainty || a.line - b.line || a.index - b.index)[0]
  return best && makeField(lines, best.line, best.value, best.certainty)
}
