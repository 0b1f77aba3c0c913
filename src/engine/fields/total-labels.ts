/**
 * Labels around amounts: which say "grand total" (and how strongly), and which say something
 * else that merely contains the word total or sits beside it (subtotal, tax, discount, cash,
 * change, tip, item counts). Patterns run on folded text and tolerate OCR noise in `total`.
 */
import { blank } from './fold.js'

/** `total` as OCR reads it: `T0TAL`, `TOTA1`, `TOTAI`, `TOTA|`. */
const T = 't[o0]t[a4][l1i|]'
/** Sales-tax names on receipts (folded): `IVA`, `VAT`, `GST`, `ICMS`, `IGV`, `TVA`, `MwSt`... */
const TAX_NAMES = String.raw`i\.?v\.?a\.?|igv|vat|gst|hst|pst|icms|iss|tva|mwst|ust`
const W = (body: string) => new RegExp(String.raw`(?<![a-z0-9])(?:${body})(?![a-z])`, 'g')

/**
 * Grand-total labels by strength (3 = says "the amount to pay", 2 = plain total, 1 = weak).
 * Spaces inside the strong phrases are optional: OCR drops them (`Totalapagar`).
 */
const TOTAL_LABELS: readonly (readonly [number, RegExp])[] = [
  [
    3,
    W(
      [
        String.raw`${T}\s*a\s*(?:pagar|cobrar)`,
        String.raw`${T}\s*pagar`,
        String.raw`${T}\s*(?:de\s*(?:la\s*)?)?(?:factura|fatura)`,
        String.raw`${T}\s*(?:da\s*)?nota(?:\s*fiscal)?`,
        String.raw`(?:importe|monto|valor)\s*${T}(?:\s*da\s*nota(?:\s*fiscal)?)?`,
        String.raw`(?:importe|valor|amount)\s*a\s*pagar`,
        String.raw`grand\s*${T}`,
        String.raw`(?:amount|${T}|balance)\s*due`,
        String.raw`${T}\s*amount(?:\s*due)?`,
        String.raw`(?:amount|${T})\s*payable`,
        String.raw`${T}\s*(?:general|final)`,
        String.raw`${T}\s*\(?\s*(?:con|com|with|incl\.?|inc\.?|including|c\s*\/)\s*(?:${TAX_NAMES}|impuestos|impostos|tax(?:es)?)\.?\)?`,
        String.raw`${T}\s*\(?\s*(?:${TAX_NAMES}|tax)\s*(?:incl[a-z]*|inc|incluso)\.?\)?`,
        // fr, it, de: toutes taxes comprises, net à payer, totale complessivo / da pagare, zu zahlen.
        String.raw`${T}\s*ttc|net\s*a\s*payer|montant\s*(?:${T}|ttc|a\s*payer|du)|${T}e\s*(?:complessivo|da\s*pagare|generale|euro)|importo\s*(?:${T}e|da\s*pagare)|(?:gesamt|end)\s*betrag|zu\s*zahlen|gesamtsumme`,
      ].join('|'),
    ),
  ],
  [2, W(String.raw`${T}e?|a\s+pagar|valor\s+liquido|summe|gesamt`)],
  [1, W('importe|importo|montant')],
]

// Words that make a nearby `total` mean something else. Tax words followed by "incl." or
// preceded by "con/com/with" describe a total that includes tax, so they do not count.
const EXCLUDED = W(
  [
    String.raw`sub\s*-?\s*${T}|subtot[a-z]*|base(?:\s+imponible|\s+de\s+calculo)?|net[oa]?|netto|bruto|iliquido|ht|hors\s+taxes?|imponibile`,
    // Before tax: `sin IVA`, `s/IVA`, `sem impostos`, `excl. VAT`, `ex GST`, `pre-tax`, `ohne MwSt`.
    String.raw`(?:sin|sem|s\s*\/|without|ohne|senza|ex\.?|excl[a-z]*\.?)\s*(?:${TAX_NAMES}|impuestos|impostos|tax(?:es)?|tributos)|excl[a-z]*\.?|exclusive|(?:before|pre)\s*-?\s*tax(?:es)?|antes\s+de\s+impuestos`,
    // Tax already inside a total printed elsewhere: `GST included in total`, `Total includes VAT of`.
    String.raw`(?:${TAX_NAMES}|tax|impuestos?|impostos?)\s*(?:incl[a-z]*\.?|incluso)\s*(?:in|en|no|na|em|nel)\s*(?:the\s*|el\s*|o\s*)?${T}e?|${T}\s*(?:includes|including|incluye|inclui)\s*(?:${TAX_NAMES}|tax|impuestos|impostos)\s*(?:of|de|do)?`,
    String.raw`(?<!(?:con|com|with|incl\.?|inc\.?|c\s*\/)\s*\(?\s*)(?:${TAX_NAMES}|ipi|issqn|tax(?:es)?|impuestos?|impostos?|tributos?|cuota|aprox[a-z]*\.?)(?!\s*\.?\s*(?:incl|inc\b|inclu))`,
    // Cash rounding lines and their adjustment amounts.
    String.raw`redondeo|rounding|arredond[a-z]*\.?|arrondi|arrotondamento|rundung|ajuste|adj\.?`,
    String.raw`descuentos?|descontos?|discounts?|dto|rebaja|ahorro|savings?|promo[a-z]*`,
    String.raw`efectivo|cash|dinheiro|numerario|entregado|recibido|recebido|pagado|paid|tendered|tarjeta|card|cartao|credito|debito|especes|contanti|bar(?=\s*[\d:])|gegeben`,
    String.raw`cambio|change|troco|vuelto|vueltas|devolucion|rendu|monnaie|resto|ruckgeld|wechselgeld`,
    String.raw`propina|tips?|gratuity|gorjeta`,
  ].join('|'),
)
/** Counts (`total 3 artículos`, `total items`): they qualify a total but do not end its amount's segment. */
const COUNTS = W(
  String.raw`items?|itens|articulos|art|unidades|uds?|qty|qtd|cantidad|quantidade|puntos|pontos|points|peso|kg|lineas|produtos|mercadorias|piezas|pzs`,
)

/** Column-header words: a line with two or more is a table header, not a total line. */
const HEADER_WORDS = W(
  'descripcion|description|descricao|concepto|cant|cantidad|qty|quantity|qtd|quantidade|precio|price|preco|unit[a-z]*|p\\.?\\s?unit|ud|uds|und|item|articulo|produto|producto|codigo|code|ref|importe|amount',
)

/** A labelled span in a folded line. */
export interface LabelSpan {
  readonly index: number
  readonly end: number
}

/** A grand-total label with its strength (3 strongest). */
export interface TotalLabel extends LabelSpan {
  readonly strength: number
}

function spans(re: RegExp, folded: string): LabelSpan[] {
  re.lastIndex = 0
  const out: LabelSpan[] = []
  for (let m = re.exec(folded); m; m = re.exec(folded)) out.push({ index: m.index, end: m.index + m[0].length })
  return out
}

/**
 * Spans of words that turn a total into something else (subtotal, tax, cash, change...).
 * @param withCounts include count words (`items`, `artículos`). @default true
 */
export function findExcludedSpans(folded: string, withCounts = true): LabelSpan[] {
  const found = spans(EXCLUDED, folded)
  return withCounts ? [...found, ...spans(COUNTS, folded)].sort((a, b) => a.index - b.index) : found
}

/** True when the folded line reads like a table header (two or more column words). */
export function isHeaderLine(folded: string): boolean {
  return spans(HEADER_WORDS, folded).length >= 2
}

// What may sit between `total` and a word that changes its meaning for the two to read as one
// phrase: punctuation, spaces and short function words (`total de iva`, `sub-total`, `(iva)`).
const FILLER = /^[\s.:()/\-]*(?:(?:de|del|da|do|dos|das|la|el|the|of|em|en|no|na)[\s.:()/\-]*)*$/

function overlaps(a: LabelSpan, b: LabelSpan): boolean {
  return a.index < b.end && a.end > b.index
}

/** Total labels by strength without qualification, overlaps resolved to the stronger. */
function rawTotalLabels(folded: string): TotalLabel[] {
  const out: TotalLabel[] = []
  for (const [strength, re] of TOTAL_LABELS) {
    for (const s of spans(re, folded)) if (!out.some((o) => overlaps(s, o))) out.push({ ...s, strength })
  }
  return out
}

/**
 * Every label of a line that holds only labels (no digits), left to right: the header row of a
 * `Subtotal  IVA  Total` block whose values sit on the next line. Empty when the line has digits
 * outside its labels.
 */
export function findLabelColumns(folded: string): LabelSpan[] {
  const all = [...rawTotalLabels(folded), ...findExcludedSpans(folded)].sort((a, b) => a.index - b.index)
  const columns = all.filter((s, i) => !all.slice(0, i).some((o) => overlaps(s, o)))
  // A digit inside a label (OCR `t0tal`) does not count; any other digit makes it a value row.
  const rest = columns.reduce((text, c) => blank(text, c.index, c.end), folded)
  return /\d/.test(rest) ? [] : columns
}

/** Lines with at least this many labels and no digits are column headers (see above). */
const MIN_COLUMNS = 3

/**
 * The grand-total labels of a folded line, left to right, dropping any that an excluded word
 * qualifies: `total iva`, `total efectivo`, `total items`, `tax total`, `valor total dos produtos`.
 * Strong labels (`total a pagar`) are qualified only by what follows them. In a header row of
 * three or more labels each word is its own column, so neighbours qualify nothing.
 * @example findTotalLabels('subtotal 10,00') // []
 * @example findTotalLabels('total a pagar: 12,10')[0]?.strength // 3
 */
export function findTotalLabels(folded: string): TotalLabel[] {
  if (isHeaderLine(folded)) return []
  const excluded = findExcludedSpans(folded)
  const labels = rawTotalLabels(folded).filter((s) => !excluded.some((e) => overlaps(s, e)))
  if (findLabelColumns(folded).length >= MIN_COLUMNS) return labels.sort((a, b) => a.index - b.index)
  return labels
    .filter(
      (s) =>
        !excluded.some((e) =>
          e.index >= s.end
            ? FILLER.test(folded.slice(s.end, e.index))
            : s.strength < 3 && e.end <= s.index && FILLER.test(folded.slice(e.end, s.index)),
        ),
    )
    .sort((a, b) => a.index - b.index)
}
