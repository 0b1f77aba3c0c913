/** The row mapping both stores share: the table's snake_case columns to {@link ResultRow}. */
import type { FullResultRow, ResultRow } from './types.js'

/** Columns `GET /results` lists (everything but the full JSON). */
export const LIST_COLUMNS = 'id, created_at, file, text, line_count, confidence, ms, total, currency, invoice_number, invoice_date'

/** A row as a driver returns it: SQLite gives numbers (epoch ms), `pg` a string id (BIGSERIAL) and a Date. */
export interface DbRow {
  id: number | string
  created_at: number | Date
  file: string
  text: string
  line_count: number
  confidence: number
  ms: number
  total: number | null
  currency: string | null
  invoice_number: string | null
  invoice_date: string | null
  result_json?: string
}

export function toResultRow(r: DbRow): ResultRow {
  return {
    id: Number(r.id),
    createdAt: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
    file: r.file,
    text: r.text,
    lineCount: r.line_count,
    confidence: r.confidence,
    ms: r.ms,
    total: r.total,
    currency: r.currency,
    invoiceNumber: r.invoice_number,
    date: r.invoice_date,
  }
}

/** A row of the naive whole-table read (with its JSON). */
export function toFullResultRow(r: DbRow): FullResultRow {
  return { ...toResultRow(r), resultJson: r.result_json ?? '' }
}
