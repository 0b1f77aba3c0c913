/**
 * SQLite store (better-sqlite3): one file, WAL so readers in other workers do not block the
 * writer, a busy timeout so concurrent workers wait for the write lock instead of failing.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { LIST_COLUMNS, toFullResultRow, toResultRow, type DbRow } from './row.js'
import type { FullResultRow, NewResult, ResultPage, ResultStats, ResultStore } from './types.js'

/** Opens (creating the directory and file if needed) a SQLite store. */
export async function openSqliteStore(file: string): Promise<ResultStore> {
  const { default: Database } = (await import('better-sqlite3')) as { default: typeof BetterSqlite3 }
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = NORMAL')
  const prepared = () => {
    return {
      insert: db.prepare(
        `INSERT INTO ocr_results (created_at, file, text, line_count, confidence, ms, total, currency, invoice_number, invoice_date, result_json)
         VALUES (@createdAt, @file, @text, @lineCount, @confidence, @ms, @total, @currency, @invoiceNumber, @date, @resultJson)`,
      ),
      page: db.prepare(`SELECT ${LIST_COLUMNS} FROM ocr_results ORDER BY id LIMIT ? OFFSET ?`),
      count: db.prepare('SELECT COUNT(*) AS n FROM ocr_results'),
      stats: db.prepare(
        `SELECT COUNT(*) AS count, COUNT(total) AS withTotal, SUM(total) AS sumTotal, AVG(total) AS avgTotal, MIN(total) AS minTotal,
                MAX(total) AS maxTotal, AVG(confidence) AS avgConfidence, AVG(ms) AS avgMs, COALESCE(SUM(line_count), 0) AS sumLines
         FROM ocr_results`,
      ),
      all: db.prepare(`SELECT ${LIST_COLUMNS}, result_json FROM ocr_results ORDER BY id`),
    }
  }
  let statements: ReturnType<typeof prepared> | undefined
  const st = () => (statements ??= prepared())
  return {
    kind: 'sqlite',
    async migrate() {
      db.exec(`CREATE TABLE IF NOT EXISTS ocr_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL, file TEXT NOT NULL, text TEXT NOT NULL,
        line_count INTEGER NOT NULL, confidence REAL NOT NULL, ms REAL NOT NULL, total REAL, currency TEXT,
        invoice_number TEXT, invoice_date TEXT, result_json TEXT NOT NULL)`)
    },
    async insert(row: NewResult) {
      return Number(st().insert.run({ ...row, createdAt: Date.now() }).lastInsertRowid)
    },
    async page(page: number, pageSize: number): Promise<ResultPage> {
      const items = (st().page.all(pageSize, (page - 1) * pageSize) as DbRow[]).map(toResultRow)
      const total = (st().count.get() as { n: number }).n
      return { page, pageSize, total, items }
    },
    async stats(): Promise<ResultStats> {
      return st().stats.get() as ResultStats
    },
    async readAllNaive(): Promise<FullResultRow[]> {
      return (st().all.all() as DbRow[]).map(toFullResultRow)
    },
    async close() {
      db.close()
    },
  }
}
