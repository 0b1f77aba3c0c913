/**
 * The issuer's tax identifier. Documents print two (issuer and customer); the issuer's comes
 * first or under an issuer heading, the customer's under `Cliente`, `Destinatário`, `Bill to`.
 */
import type { ExtractedField } from '../../types.js'
import { analyzeDocument, type DocumentContext } from '../context.js'
import { makeField, type FieldLine } from '../field.js'
import { findTaxIds, type TaxIdMatch } from './patterns.js'

/** Scheme labels (folded): `CIF`, `N.I.F.`, `CNPJ`, `RFC`, `VAT No`, `EIN`, `GSTIN`, `NIPC`... */
const SCHEME_LABEL =
  /(?<![a-z])(?:c\.?\s?i\.?\s?f|n\.?\s?i\.?\s?f|n\.?\s?i\.?\s?e|cnp[ji]|cpf|r\.?\s?f\.?\s?c|vat(?:\s+(?:no|number|reg(?:istration)?|id))?|f?ein|tax\s+id|tin|gstin|gst(?:\s+no)?|nipc|contribuinte|iva|tva|ust-?id(?:nr)?|p\.?\s?iva|fed(?:eral)?\s+tax\s+id)\.?\s*[:.#]?\s*(?:n[º°o?]?\.?\s*)?[:.]?\s*$/
const CLIENT = /(?<![a-z])(?:cliente|client|customer|destinatario|tomador|receptor|adquirente|comprador|consumidor|buyer|sacado|(?:bill(?:ed)?|sold|ship)\s+to|facturar\s+a)(?![a-z])/
const ISSUER = /(?<![a-z])(?:emisor|emitente|prestador|proveedor|fornecedor|vendedor|seller|supplier|remitente|from)(?![a-z])/
/** How many lines up a `Cliente:` heading still governs an id. */
const PARTY_LOOKBACK_LINES = 4
/** The label must end within this many characters before the id. */
const LABEL_REACH = 30

/** Whose id it is, as far as the headings above tell. */
export type Party = 'issuer' | 'neutral' | 'client'
const PARTY_RANK: Readonly<Record<Party, number>> = { issuer: 2, neutral: 1, client: 0 }

/** Base certainty for a checked id, labelled or not; EIN has no check digit, only a prefix. */
const VALID = { labelled: 0.98, unlabelled: 0.9 }
const EIN = { labelled: 0.9, unlabelled: 0.6 }
/** A failed check is usually one misread digit: kept, but low. */
const INVALID = { labelled: 0.5, unlabelled: 0.35 }
/** Factor when the only ids found are the customer's. */
const CLIENT_ONLY = 0.8

interface Candidate extends TaxIdMatch {
  readonly line: number
  readonly labelled: boolean
  readonly party: Party
}

/**
 * Scans up from the id for the nearest party heading. A line holding another id ends the scan:
 * it closes the block above (`Destinatário / CPF ...` does not govern the `CNPJ` under it).
 */
function partyOf(context: DocumentContext, line: number, index: number, idLines: ReadonlySet<number>): Party {
  for (let i = line; i >= 0 && i >= line - PARTY_LOOKBACK_LINES; i--) {
    if (i !== line && idLines.has(i)) break
    const text = i === line ? context.folded[i]!.slice(0, index) : context.folded[i]!
    const client = CLIENT.exec(text)
    const issuer = ISSUER.exec(text)
    if (client && (!issuer || client.index > issuer.index)) return 'client'
    if (issuer) return 'issuer'
  }
  return 'neutral'
}

function isLabelled(context: DocumentContext, line: number, index: number): boolean {
  const before = context.folded[line]!.slice(Math.max(0, index - LABEL_REACH), index)
  if (SCHEME_LABEL.test(before)) return true
  // `CNPJ:` alone on the line above its number (same-row cells split into lines).
  return before.trim() === '' && line > 0 && SCHEME_LABEL.test(context.folded[line - 1]!)
}

function certaintyOf(c: Candidate, clientOnly: boolean): number {
  const table = !c.valid ? INVALID : c.kind === 'EIN' ? EIN : VALID
  return (c.labelled ? table.labelled : table.unlabelled) * (clientOnly ? CLIENT_ONLY : 1)
}

/**
 * Extracts the issuer's tax id with its scheme as `kind` (`CNPJ`, `CPF`, `NIF`, `CIF`, `NIE`,
 * `RFC`, `VAT`, `EIN`, `GST`), as printed. Valid ids beat ones whose check fails; then an issuer
 * heading beats none beats a customer heading; then the first one (issuers print theirs at the
 * top). A scheme label raises the certainty; an unlabelled EIN shape ranks last.
 * @param context from `analyzeDocument(lines)`; computed when omitted.
 */
export function extractTaxId(lines: readonly FieldLine[], context: DocumentContext = analyzeDocument(lines)): ExtractedField | undefined {
  const found = context.texts.map((text, line) => findTaxIds(text, { labels: `${line > 0 ? context.folded[line - 1] : ''}\n${context.folded[line]}` }))
  const idLines = new Set(found.flatMap((ids, line) => (ids.length > 0 ? [line] : [])))
  const all: Candidate[] = found.flatMap((ids, line) =>
    ids.map((m) => ({ ...m, line, labelled: isLabelled(context, line, m.index), party: partyOf(context, line, m.index, idLines) })),
  )
  const pool = all.some((c) => c.valid) ? all.filter((c) => c.valid) : all
  // An unlabelled EIN shape (`12-3456789`) has no check digit: anything else outranks it.
  const weak = (c: Candidate) => Number(c.kind === 'EIN' && !c.labelled)
  const best = pool.sort((a, b) => PARTY_RANK[b.party] - PARTY_RANK[a.party] || weak(a) - weak(b) || a.line - b.line || a.index - b.index)[0]
  if (!best) return undefined
  const clientOnly = best.party === 'client'
  return makeField(lines, best.line, best.value, certaintyOf(best, clientOnly), best.kind)
}
