/**
 * Finds tax identifiers in one line by shape, then validates each by its check digit. Patterns
 * run most specific first, and each claimed span is blanked so a CPF is not found again inside a
 * CNPJ or a NIF inside an `ES` VAT number.
 */
import { blank, upperSameLength } from '../fold.js'
import { isoDate } from '../date-parse.js'
import {
  isValidCnpj,
  isValidCpf,
  isValidDeVat,
  isValidEin,
  isValidFrVat,
  isValidGbVat,
  isValidGstin,
  isValidItVat,
  isValidPtNif,
  isValidRfc,
  spanishId,
} from './checks.js'

/** The schemes recognised (the `kind` of the field). */
export type TaxIdKind = 'CNPJ' | 'CPF' | 'NIF' | 'CIF' | 'NIE' | 'RFC' | 'VAT' | 'EIN' | 'GST'

/** One identifier found in a line. */
export interface TaxIdMatch {
  readonly kind: TaxIdKind
  /** As printed, spacing normalised; an RFC with OCR digits in its letter positions comes back repaired. */
  readonly value: string
  /** Start and end (exclusive) in the line, UTF-16 code units. */
  readonly index: number
  readonly end: number
  /** The check digit (or for EIN the prefix, for RFC the embedded date and check) holds. */
  readonly valid: boolean
}

/** Where the shape alone is too common (11-digit phone numbers), the scheme's label must be on the line. */
export interface FindOptions {
  /** The line (or the one above) names the scheme, e.g. `CPF:`; folded text of both is searched. @default '' */
  readonly labels?: string
}

const bare = (s: string) => s.replace(/[\s./-]/g, '')
const B = String.raw`(?<![A-Z0-9Ñ&])`
const E = String.raw`(?![A-Z0-9Ñ&]|[./-]\d)`

interface Rule {
  readonly re: RegExp
  /** Match the text as printed instead of upper-cased: VAT prefixes are capitals (`de 123...` is Spanish, not German). */
  readonly asPrinted?: boolean
  /** Returns the kind and validity (and a repaired value, see RFC), or undefined to reject the shape. */
  readonly read: (m: RegExpExecArray, options: FindOptions) => { kind: TaxIdKind; valid: boolean; value?: string } | undefined
}

/** Digits OCR reads for the letters an RFC must start with. */
const LETTER_FOR_DIGIT: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B' }

/**
 * Reads an RFC whose 3-4 leading letters may hold OCR digits (`EV0100408594`). Those positions
 * can only be letters, so a digit there is mapped back (0→O, 1→I, 5→S, 8→B); the repaired id is
 * kept only when its date and check character then hold, and it is returned instead of the
 * misread. SAT's generic customer ids (`XAXX010101000`) are never an issuer's, so are skipped.
 */
function readRfc(m: RegExpExecArray): { kind: TaxIdKind; valid: boolean; value?: string } | undefined {
  const prefix = m[1]!
  const repaired = prefix.replace(/[0158]/g, (d) => LETTER_FOR_DIGIT[d]!) + m[0].slice(prefix.length)
  if (!rfcDateOk(m[2]!) || /^X[AE]XX010101000$/.test(repaired)) return undefined
  if (repaired === m[0]) return { kind: 'RFC', valid: isValidRfc(m[0]) }
  return isValidRfc(repaired) ? { kind: 'RFC', valid: true, value: repaired } : undefined
}

/** The 6 digits inside an RFC are a YYMMDD date; a wrong date means the shape is a coincidence. */
function rfcDateOk(yymmdd: string): boolean {
  const yy = Number(yymmdd.slice(0, 2))
  return [1900 + yy, 2000 + yy].some((y) => isoDate(y, Number(yymmdd.slice(2, 4)), Number(yymmdd.slice(4, 6))) !== undefined)
}

/** EU VAT numbers: country prefix, the national shape (digit groups as printed, OCR may widen a gap), and its check. */
const VAT_SHAPES: readonly (readonly [string, string, (bareId: string) => boolean])[] = [
  ['ES', String.raw`[A-Z0-9]-?\d{7}-?[A-Z0-9]`, (s) => spanishId(s)?.valid ?? false],
  ['PT', String.raw`\d{3}\s{0,2}\d{3}\s{0,2}\d{3}`, isValidPtNif],
  ['DE', String.raw`\d{3}\s{0,2}\d{3}\s{0,2}\d{3}`, isValidDeVat],
  ['GB', String.raw`\d{3}\s{0,2}\d{4}\s{0,2}\d{2}(?:\s{0,2}\d{3})?`, isValidGbVat],
  ['FR', String.raw`[0-9A-Z]{2}\s{0,2}\d{3}\s{0,2}\d{3}\s{0,2}\d{3}`, isValidFrVat],
  ['IT', String.raw`\d{11}`, isValidItVat],
]

const VAT_RULES: readonly Rule[] = VAT_SHAPES.map(([country, shape, check]) => ({
  re: new RegExp(`${B}${country}[\\s-]?(${shape})${E}`, 'g'),
  asPrinted: true,
  read: (m: RegExpExecArray) => ({ kind: 'VAT' as const, valid: check(bare(m[1]!)) }),
}))

const RULES: readonly Rule[] = [
  { re: new RegExp(`${B}\\d{2}[A-Z]{5}\\d{4}[A-Z][0-9A-Z]Z[0-9A-Z]${E}`, 'g'), read: (m) => ({ kind: 'GST', valid: isValidGstin(m[0]) }) },
  {
    // Formatted `12.345.678/0001-95`; unformatted 14 digits only next to a CNPJ label.
    re: new RegExp(`${B}(?:\\d{2}\\.\\d{3}\\.\\d{3}\\s?/\\s?\\d{4}\\s?-\\s?\\d{2}|\\d{14})${E}`, 'g'),
    read: (m, o) => (/\D/.test(m[0]) || /cnp[ji]/.test(o.labels ?? '') ? { kind: 'CNPJ', valid: isValidCnpj(bare(m[0])) } : undefined),
  },
  {
    re: new RegExp(`${B}(?:\\d{3}\\.\\d{3}\\.\\d{3}\\s?-\\s?\\d{2}|\\d{11})${E}`, 'g'),
    read: (m, o) => (/\D/.test(m[0]) || /cpf/.test(o.labels ?? '') ? { kind: 'CPF', valid: isValidCpf(bare(m[0])) } : undefined),
  },
  ...VAT_RULES,
  { re: new RegExp(`${B}((?=[0158]*[A-ZÑ&])[A-ZÑ&0158]{3,4})(\\d{6})[A-Z0-9]{3}${E}`, 'g'), read: readRfc },
  {
    re: new RegExp(`${B}(?:[XYZ]-?\\d{7}-?[A-Z]|[ABCDEFGHJNPQRSUVW]-?\\d{7}-?[0-9A-J]|\\d{8}-?[A-Z])${E}`, 'g'),
    read: (m) => spanishId(bare(m[0])),
  },
  { re: new RegExp(`${B}\\d{2}-\\d{7}${E}`, 'g'), read: (m) => ({ kind: 'EIN', valid: isValidEin(bare(m[0])) }) },
  {
    // A Portuguese NIF has no prefix; 9 digits are too common to take without its label.
    re: new RegExp(`${B}\\d{3}\\s?\\d{3}\\s?\\d{3}${E}`, 'g'),
    read: (m, o) => (/(?<![a-z])(?:nif|nipc|contribuinte)(?![a-z])/.test(o.labels ?? '') ? { kind: 'NIF', valid: isValidPtNif(bare(m[0])) } : undefined),
  },
]

function runRules(text: string, options: FindOptions): TaxIdMatch[] {
  let upper = upperSameLength(text)
  let printed = text
  const out: TaxIdMatch[] = []
  for (const rule of RULES) {
    const subject = rule.asPrinted ? printed : upper
    const claimed: [number, number][] = []
    rule.re.lastIndex = 0
    for (let m = rule.re.exec(subject); m; m = rule.re.exec(subject)) {
      const read = rule.read(m, options)
      if (!read) continue
      const end = m.index + m[0].length
      out.push({ kind: read.kind, valid: read.valid, value: read.value ?? text.slice(m.index, end).replace(/\s+/g, ' ').trim(), index: m.index, end })
      claimed.push([m.index, end])
    }
    for (const [s, e] of claimed) {
      upper = blank(upper, s, e)
      printed = blank(printed, s, e)
    }
  }
  return out
}

/** Scheme labels as printed, to unglue them from their value (`NIPC608024678`, `NIFB12345674`). */
const GLUED_LABEL = /(?<![A-Za-z0-9])(?:N\.?I\.?F|C\.?I\.?F|N\.?I\.?E|NIPC|CNP[JI]|CPF|R\.?F\.?C|GSTIN|EIN)\.?:?(?=[A-Za-z0-9])/g

/**
 * All tax identifiers in a line, left to right. OCR often drops the space between a label and
 * its value; a second pass with such labels blanked finds those without disturbing the first.
 * @example findTaxIds('CNPJ: 11.222.333/0001-81')[0] // { kind: 'CNPJ', valid: true, ... }
 */
export function findTaxIds(text: string, options: FindOptions = {}): TaxIdMatch[] {
  const found = runRules(text, options)
  let unglued = text
  for (const m of text.matchAll(GLUED_LABEL)) unglued = blank(unglued, m.index, m.index + m[0].length)
  if (unglued !== text) {
    for (const m of runRules(unglued, options)) {
      if (found.every((f) => m.end <= f.index || m.index >= f.end)) found.push(m)
    }
  }
  return found.sort((a, b) => a.index - b.index)
}
