/**
 * Data access over the service's result store: the Django lesson, measured. The store is filled
 * through `POST /ocr` (a stand-in engine answers instantly: this scenario measures reads, not OCR),
 * then read (the bounded reads first, from a low baseline; RSS a whole-table read took is not
 * given back at once) three ways: the whole table at once (`/results?mode=naive`, the `objects.all()`
 * listing), page by page (`/results?page=&pageSize=`), and totals by SQL aggregates (`/stats`)
 * against totals summed in JS over every row (`/stats?mode=naive`). Each stage's peak is the
 * tree's. The store is the `store` param: `sqlite`, `postgres` (its connection string from
 * DATABASE_URL in the run's environment, e.g. `--env DATABASE_URL=...`; the service refuses to start
 * without it), or `auto` (memgate serve's own rule: PostgreSQL when DATABASE_URL is set).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineScenario, type ParamSpecs, type ParamValues } from '../src/scenario/index.js'
import { serveService } from './_service.js'

/** The stand-in engine (`memgate serve --engine-module`): a page of ~`ROW_TEXT_BYTES` of text per request. */
const ENGINE_SOURCE = `
const TEXT_BYTES = Number(process.env.SERVICE_DATA_ROW_BYTES || 4096)
let n = 0
function text(i) {
  let s = ''
  let x = (i * 2654435761) >>> 0 || 1
  while (s.length < TEXT_BYTES) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; s += 'word' + ((x >>> 0) % 9973) + ' ' }
  return s
}
export async function openEngine() {
  return {
    async recognize() {
      const t = text(++n)
      const box = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }]
      return { text: t, lines: [{ text: t, confidence: 0.9, box }], confidence: 0.9, fields: { total: { value: String(n % 1000) + '.50', confidence: 0.9, line: 0, source: t.slice(0, 20) } }, width: 10, height: 10, ms: 1 }
    },
    async close() {},
  }
}
`

/** `auto` and memgate serve's `--store` choices (src/service STORE_KINDS; serve validates them again). */
const SERVICE_DATA_STORES = ['auto', 'sqlite', 'postgres'] as const

const params = {
  rows: { default: 1000, description: 'rows written to the store before reading', min: 1 },
  rowBytes: { default: 4096, description: 'text per row (bytes)', min: 1 },
  pageSize: { default: 100, description: 'rows per page of the paginated read', min: 1, max: 500 },
  reads: { default: 3, description: 'times each read is repeated', min: 1 },
  store: { default: 'auto', description: "result store: sqlite, postgres (DATABASE_URL from the run's environment), auto (postgres when DATABASE_URL is set)", choices: SERVICE_DATA_STORES },
} satisfies ParamSpecs

export default defineScenario({
  name: 'service-data',
  description: "whole-table reads vs paginated reads and SQL aggregates over memgate serve's result store",
  params,
  service: serveService<ParamValues<typeof params>>({
    // Runs in the runner's process: the stand-in engine is written into the repeat's scratch folder.
    args: ({ params, workDir }) => {
      const engine = join(workDir, 'stand-in-engine.mjs')
      writeFileSync(engine, ENGINE_SOURCE)
      return ['--workers', '1', '--concurrency', '8', '--naive-endpoints', '--engine-module', engine, '--db', join(workDir, 'serve.db'), ...(params.store === 'auto' ? [] : ['--store', params.store])]
    },
    env: ({ params }) => ({ SERVICE_DATA_ROW_BYTES: String(params.rowBytes) }),
    readyTimeoutMs: 30_000,
    stopGraceMs: 10_000,
    smapsMinIntervalMs: 250,
  }),
  stages: [
    {
      name: 'fill',
      kind: 'work',
      description: 'rows written through POST /ocr (stand-in engine)',
      async run(ctx) {
        await ctx.load({ path: '/ocr', headers: { 'content-type': 'image/png' }, body: 'page', connections: 4, amount: ctx.params.rows })
        await settle()
      },
    },
    {
      name: 'paginated',
      kind: 'work',
      description: 'GET /results?page=&pageSize=: one page at a time, every page',
      async run(ctx) {
        const pages = Math.ceil(ctx.params.rows / ctx.params.pageSize)
        const requests = Array.from({ length: pages }, (_, i) => ({ path: `/results?page=${i + 1}&pageSize=${ctx.params.pageSize}` }))
        await ctx.load({ requests, amount: pages * ctx.params.reads, timeoutMs: 120_000 })
        await settle()
      },
    },
    {
      name: 'stats-sql',
      kind: 'work',
      description: 'GET /stats: totals by SQL aggregates',
      async run(ctx) {
        await ctx.load({ path: '/stats', amount: ctx.params.reads, timeoutMs: 120_000 })
        await settle()
      },
    },
    {
      name: 'whole-table',
      kind: 'work',
      description: 'GET /results?mode=naive: every row at once',
      async run(ctx) {
        await ctx.load({ path: '/results?mode=naive', amount: ctx.params.reads, timeoutMs: 120_000 })
        await settle()
      },
    },
    {
      name: 'stats-naive',
      kind: 'work',
      description: 'GET /stats?mode=naive: totals summed in JS over every row',
      async run(ctx) {
        await ctx.load({ path: '/stats?mode=naive', amount: ctx.params.reads, timeoutMs: 120_000 })
        await settle()
      },
    },
  ],
})

/** A pause so the tree's sampler sees each stage's peak before the next stage starts. */
function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 600))
}
