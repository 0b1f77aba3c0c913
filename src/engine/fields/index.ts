/**
 * Field extraction from recognised OCR lines: date, total, invoice number, tax id, currency.
 * Pure TypeScript over the line texts; knows nothing of images or models.
 */
import type { Fields } from '../types.js'
import { analyzeDocument } from './context.js'
import { extractCurrency } from './currency.js'
import { extractDate } from './date.js'
import type { FieldLine } from './field.js'
import { extractInvoiceNumber } from './invoice-number.js'
import { extractTaxId } from './tax-id/extract.js'
import { extractTotal } from './total.js'

export { analyzeDocument, detectLanguage, isUsDocument, type DocLanguage, type DocumentContext } from './context.js'
export { extractCurrency, type CurrencyHints } from './currency.js'
export { extractDate, findDateLabels, type DateRole } from './date.js'
export { findDates, parseDate, isoDate, expandYear, type DateMatch, type DateParseOptions } from './date-parse.js'
export { findAmounts, parseAmount, fixDigitConfusions, type AmountMatch } from './amount.js'
export { extractTotal } from './total.js'
export { findTotalLabels, findExcludedSpans, findLabelColumns, isHeaderLine, type TotalLabel, type LabelSpan } from './total-labels.js'
export { extractInvoiceNumber, readIdentifier } from './invoice-number.js'
export { extractTaxId, type Party } from './tax-id/extract.js'
export { findTaxIds, type TaxIdKind, type TaxIdMatch, type FindOptions } from './tax-id/patterns.js'
export * from './tax-id/checks.js'
export { monthFromName } from './months.js'
export { foldText, normalizeForms, upperSameLength, normalizeSpaces } from './fold.js'
export { makeField, clamp01, type FieldLine } from './field.js'

/**
 * Extracts the document fields from OCR lines in reading order. Same-row cells may come as
 * separate lines or joined; labels and values are matched either way. A field nobody could read
 * is absent, never an empty string.
 * @example
 * extractFields([{ text: 'FACTURA Nº F-2024-00123', confidence: 0.97 }, { text: 'TOTAL 121,00 €', confidence: 0.95 }])
 * // { invoiceNumber: { value: 'F-2024-00123', ... }, total: { value: '121.00', ... }, currency: { value: 'EUR', ... } }
 */
export function extractFields(lines: readonly FieldLine[]): Fields {
  const context = analyzeDocument(lines)
  const fields: Fields = {}
  const date = extractDate(lines, context)
  const total = extractTotal(lines, context)
  const invoiceNumber = extractInvoiceNumber(lines, context)
  const taxId = extractTaxId(lines, context)
  const currency = extractCurrency(lines, context, {
    totalLine: total?.line,
    taxIdKind: taxId?.kind,
    taxIdValue: taxId?.value,
    taxIdLine: taxId?.line,
  })
  if (date) fields.date = date
  if (total) fields.total = total
  if (invoiceNumber) fields.invoiceNumber = invoiceNumber
  if (taxId) fields.taxId = taxId
  if (currency) fields.currency = currency
  return fields
}
