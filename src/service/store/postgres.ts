/**
 * PostgreSQL store (`pg`): a small pool per worker (OCR is CPU-bound; two connections are plenty),
 * numbers converted from `pg`'s strings for bigint and numeric aggregates.
 */
import type { FullResultRow, NewResult, ResultPage, ResultRow, ResultStats, ResultStore } from './types.js'

const COLUMNS = 'id, created_at, file, text, line_count, confidence, ms, total, currency, invoice_number, invoice_date'

interface Row {
  id: string
  created_at: Date
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

function toRow(r: Row): ResultRow {
  return {
    id: Number(r.id),
    createdAt: r.created_at.toISOString(),
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

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** Connects a pool (lazily: the first query opens a connection) to `url`. */
export async function openPostgresStore(url: string, poolSize = 2): Promise<ResultStore> {
  const { default: pg } = await import('pg')
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  // An idle client's error (server restart) must not crash the worker; the next query reconnects.
  pool.on('error', () => undefined)
  return {
    kind: 'postgres',
    async migrate() {
      await pool.query(`CREATE TABLE IF NOT EXISTS ocr_results (
        id BIGSERIAL PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), file TEXT NOT NULL, text TEXT NOT NULL,
        line_count INTEGER NOT NULL, confidence DOUBLE PRECISION NOT NULL, ms DOUBLE PRECISION NOT NULL, total DOUBLE PRECISION,
        currency TEXT, invoice_number TEXT, invoice_date TEXT, result_json TEXT NOT NULL)`)
    },
    async insert(row: NewResult) {
      const r = await pool.query<{ id: string }>(
        `INSERT INTO ocr_results (file, text, line_count, confidence, ms, total, currency, invoice_number, invoice_date, result_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [row.file, row.text, row.lineCount, row.confidence, row.ms, row.total, row.currency, row.invoiceNumber, row.date, row.resultJson],
      )
      return Number(r.rows[0]!.id)
    },
    async page(page: number, pageSize: number): Promise<ResultPage> {
      const [items, count] = await Promise.all([
        pool.query<Row>(`SELECT ${COLUMNS} FROM ocr_results ORDER BY id LIMIT $1 OFFSET $2`, [pageSize, (page - 1) * pageSize]),
        pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM ocr_results'),
      ])
      return { page, pageSize, total: Number(count.rows[0]!.n), items: items.rows.map(toRow) }
    },
    async stats(): Promise<ResultStats> {
      const r = await pool.query(
        `SELECT COUNT(*) AS count, COUNT(total) AS with_total, SUM(total) AS sum_total, AVG(total) AS avg_total, MIN(total) AS min_total,
                MAX(total) AS max_total, AVG(confidence) AS avg_confidence, AVG(ms) AS avg_ms, COALESCE(SUM(line_count), 0) AS sum_lines
         FROM ocr_results`,
      )
      const s = r.rows[0] as Record<string, unknown>
      return {
        count: Number(s.count),
        withTotal: Number(s.with_total),
        sumTotal: num(s.sum_total),
        avgTotal: num(s.avg_total),
        minTotal: num(s.min_total),
        maxTotal: num(s.max_total),
        avgConfidence: num(s.avg_confidence),
        avgMs: num(s.avg_ms),
        sumLines: Number(s.sum_lines),
      }
    },
    async readAllNaive(): Promise<FullResultRow[]> {
      const r = await pool.query<Row>(`SELECT ${COLUMNS}, result_json FROM ocr_results ORDER BY id`)
      return r.rows.map((row) => ({ ...toRow(row), resultJson: row.result_json ?? '' }))
    },
    async close() {
      await pool.end()
    },
  }
}
