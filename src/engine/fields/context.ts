/**
 * Document-level facts that several extractors need: the folded text of each line, the likely
 * language, and whether numeric dates should be read month-first (a clearly US document).
 * Computed once per document by {@link analyzeDocument}.
 */
import type { FieldLine } from './field.js'
import { foldText, normalizeForms } from './fold.js'

/** The document language, as far as its words tell; `unknown` when no language leads. */
export type DocLanguage = 'es' | 'pt' | 'en' | 'unknown'

/** What the extractors know about the whole document. */
export interface DocumentContext {
  /** Each line's text after `normalizeForms` (plain spaces, dashes, half-width punctuation); same indices. */
  readonly texts: readonly string[]
  /** `foldText` of each line, same order and indices as the input lines. */
  readonly folded: readonly string[]
  readonly language: DocLanguage
  /** True when ambiguous numeric dates (both parts ≤ 12) should be read mm/dd. */
  readonly monthFirstDates: boolean
}

// Words that only one of the three languages uses on invoices and receipts (folded). Shared
// words (total, iva, factura/fatura across es/pt) are left out or given to the language where
// they are far more common.
const WORDS: Readonly<Record<Exclude<DocLanguage, 'unknown'>, ReadonlySet<string>>> = {
  es: new Set(
    'factura fecha importe cliente cantidad precio gracias efectivo cambio vencimiento emision descripcion cif nif calle impuestos articulos unidades forma pago base imponible cuota tarjeta entregado vuelto recibo proveedor direccion telefono domicilio'.split(
      ' ',
    ),
  ),
  pt: new Set(
    'nota fiscal data emissao valor cnpj cpf troco dinheiro obrigado obrigada quantidade preco fatura vencimento endereco rua produtos servicos tributos icms ltda consumidor descricao pagamento contribuinte nipc eletronica chave acesso cartao'.split(
      ' ',
    ),
  ),
  en: new Set(
    'invoice date amount due bill thank thanks qty price receipt change cash tax subtotal description quantity balance payment street ship sold customer items you paid card'.split(
      ' ',
    ),
  ),
}

/**
 * Counts language-specific words over all lines. A language leads when it has strictly more hits
 * than each other one.
 */
export function detectLanguage(folded: readonly string[]): DocLanguage {
  const hits = { es: 0, pt: 0, en: 0 }
  for (const line of folded) {
    for (const word of line.split(/[^a-z]+/)) {
      if (!word) continue
      if (WORDS.es.has(word)) hits.es++
      if (WORDS.pt.has(word)) hits.pt++
      if (WORDS.en.has(word)) hits.en++
    }
  }
  const ranked = (Object.entries(hits) as [Exclude<DocLanguage, 'unknown'>, number][]).sort((a, b) => b[1] - a[1])
  const [first, second] = ranked
  if (!first || first[1] === 0 || (second && second[1] === first[1])) return 'unknown'
  return first[0]
}

const US_STATES =
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'
/** `City, ST 12345` or `ST 12345-6789`: a US postal address line (case-sensitive state code). */
const US_ADDRESS = new RegExp(String.raw`(?<![A-Za-z])(?:${US_STATES.split(' ').join('|')}),?\s+\d{5}(?:-\d{4})?(?!\d)`)
/** An EIN label, or the words that only a US document prints. */
const US_WORDS = /(?<![a-z])(?:ein|employer identification|sales tax|united states)(?![a-z])/

/**
 * Decides whether the document is clearly US, the only case where an ambiguous `03/04/2024`
 * reads as March 4: English (or wordless) text with `$` and `USD`, or with a US address or EIN.
 */
export function isUsDocument(texts: readonly string[], folded: readonly string[], language: DocLanguage): boolean {
  if (language !== 'en' && language !== 'unknown') return false
  const raw = texts.join('\n')
  const all = folded.join('\n')
  const dollarAndUsd = /(?<![A-Z])(?:US)?\$/.test(raw) && /(?<![A-Za-z])USD(?![A-Za-z])/.test(raw)
  return dollarAndUsd || US_ADDRESS.test(raw) || US_WORDS.test(all)
}

/**
 * Normalises and folds every line once and derives the document facts the extractors share.
 * @example analyzeDocument([{ text: 'Fecha: 03/04/2024', confidence: 0.9 }]).monthFirstDates // false
 */
export function analyzeDocument(lines: readonly FieldLine[]): DocumentContext {
  const texts = lines.map((l) => normalizeForms(l.text))
  const folded = texts.map(foldText)
  const language = detectLanguage(folded)
  return { texts, folded, language, monthFirstDates: isUsDocument(texts, folded, language) }
}
