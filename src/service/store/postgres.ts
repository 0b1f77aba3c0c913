/**
 * PostgreSQL store (`pg`): a small pool per worker (OCR is CPU-bound; two connections are plenty),
 * numbers converted from `pg`'s strings for bigint and numeric aggregates.
 */
import { LIST_COLUMNS, toFullResultRow, toResultRow, type DbRow } from './row.js'
import type { FullResultRow, NewResult, ResultPage, ResultStats, ResultStore } from './types.js'

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
        pool.query<DbRow>(`SELECT ${LIST_COLUMNS} FROM ocr_results ORDER BY id LIMIT $1 OFFSET $2`, [pageSize, (page - 1) * pageSize]),
        pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM ocr_results'),
      ])
      return { page, pageSize, total: Number(count.rows[0]!.n), items: items.rows.map(toResultRow) }
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
      const r = await pool.query<DbRow>(`SELECT ${LIST_COLUMNS}, result_json FROM ocr_results ORDER BY id`)
      return r.rows.map(toFullResultRow)
    },
    async close() {
      await pool.end()
    },
  }
}
