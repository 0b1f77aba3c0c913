/**
 * A non-OCR scenario that proves the runner is generic: a store of OCR-like results in SQLite
 * (better-sqlite3), read back two ways. `.all()` materialises every row as a JS object at once;
 * keyset pagination with the aggregates computed in SQL keeps one page alive at a time. The stages'
 * peaks show the difference.
 */
import type BetterSqlite3 from 'better-sqlite3'
import { defineScenario } from '../src/scenario/index.js'

interface State {
  db: BetterSqlite3.Database
}

/** Aggregates both read paths must agree on. */
interface Totals {
  rows: number
  chars: number
  confidenceSum: number
}

const LANGS = ['en', 'es', 'pt'] as const
const WORDS = ['invoice', 'total', 'fecha', 'valor', 'nota', 'fiscal', 'amount', 'due', 'cliente', 'pedido', 'recibo', 'tax', 'imposto', 'número']

/** Deterministic text of about `bytes` characters for row `id` (xorshift, seeded by the id). */
function rowText(id: number, bytes: number): string {
  let x = (id * 2654435761) >>> 0 || 1
  const parts: string[] = []
  let length = 0
  while (length < bytes) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    const word = WORDS[x % WORDS.length] ?? 'x'
    parts.push(word)
    length += word.length + 1
  }
  return parts.join(' ')
}

export default defineScenario({
  name: 'sqlite-store',
  description: 'SQLite results store (better-sqlite3): read every row at once vs paginated with SQL aggregates',
  params: {
    rows: { default: 20_000, description: 'result rows stored', min: 1 },
    textBytes: { default: 512, description: 'characters of text per row', min: 1 },
    pageSize: { default: 500, description: 'rows per page in the paginated read', min: 1 },
  },
  async setup(ctx): Promise<State> {
    // Loaded here, not at import: `memgate list` imports this module and needs no native addon.
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(`${ctx.workDir}/results.db`)
    db.pragma('journal_mode = WAL')
    db.exec('CREATE TABLE results (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, lang TEXT NOT NULL, confidence REAL NOT NULL, text TEXT NOT NULL)')
    const insert = db.prepare('INSERT INTO results (id, doc, lang, confidence, text) VALUES (?, ?, ?, ?, ?)')
    const fill = db.transaction((n: number) => {
      for (let id = 1; id <= n; id++) insert.run(id, `doc-${id}`, LANGS[id % LANGS.length], 0.5 + ((id * 7919) % 500) / 1000, rowText(id, ctx.params.textBytes))
    })
    await ctx.op(() => fill(ctx.params.rows))
    ctx.recordSettings({
      sqliteVersion: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
      journalMode: db.pragma('journal_mode', { simple: true }),
      cacheSize: db.pragma('cache_size', { simple: true }),
    })
    return { db }
  },
  stages: [
    {
      name: 'paginated',
      kind: 'work',
      description: 'keyset pages of pageSize rows; totals computed by SQL',
      async run(ctx, { db }) {
        const page = db.prepare('SELECT id, doc, lang, confidence, text FROM results WHERE id > ? ORDER BY id LIMIT ?')
        let after = 0
        let seen = 0
        for (;;) {
          const rows = await ctx.op(() => page.all(after, ctx.params.pageSize) as { id: number; text: string }[])
          if (rows.length === 0) break
          seen += rows.length
          after = rows[rows.length - 1]?.id ?? after
        }
        const totals = await ctx.op(() => db.prepare('SELECT COUNT(*) AS rows, SUM(length(text)) AS chars, SUM(confidence) AS confidenceSum FROM results').get() as Totals)
        ctx.metric('rows', seen)
        ctx.metric('chars', totals.chars)
        ctx.metric('meanConfidence', totals.confidenceSum / totals.rows)
      },
    },
    {
      name: 'load-all',
      kind: 'work',
      description: 'every row at once with .all(); totals computed in JS',
      async run(ctx, { db }) {
        const rows = await ctx.op(() => db.prepare('SELECT id, doc, lang, confidence, text FROM results').all() as { text: string; confidence: number }[])
        const totals: Totals = { rows: 0, chars: 0, confidenceSum: 0 }
        for (const row of rows) {
          totals.rows++
          totals.chars += row.text.length
          totals.confidenceSum += row.confidence
        }
        ctx.metric('rows', totals.rows)
        ctx.metric('chars', totals.chars)
        ctx.metric('meanConfidence', totals.confidenceSum / totals.rows)
      },
    },
  ],
  teardown(_ctx, { db }) {
    db.close()
  },
})
