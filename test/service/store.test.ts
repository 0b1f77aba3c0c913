/**
 * The result store on SQLite and on a real, throwaway PostgreSQL: pagination, SQL aggregates equal
 * to the naive whole-table sums, and `memgate serve` end to end on each store (DATABASE_URL
 * selects PostgreSQL). Fails when PostgreSQL is not installed (CI installs it).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgresStore, openSqliteStore, sumInJs, type NewResult, type ResultStore } from '../../src/service/index.js'
import { startPostgres, type TestPostgres } from './helpers/postgres.js'
import { postRaw, startServe, stopAll } from './helpers/serve.js'

let pg: TestPostgres
const tmp = mkdtempSync(join(tmpdir(), 'memgate-store-test-'))

beforeAll(async () => {
  pg = await startPostgres()
}, 90_000)
afterAll(async () => {
  await stopAll()
  await pg?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

function row(i: number): NewResult {
  const total = i % 5 === 0 ? null : i * 1.25
  return {
    file: `page-${i}.png`,
    text: `Total ${total ?? '-'}`,
    lineCount: (i % 3) + 1,
    confidence: 0.5 + i / 100,
    ms: 100 + i,
    total,
    currency: total === null ? null : 'EUR',
    invoiceNumber: `INV-${i}`,
    date: '2026-01-02',
    resultJson: JSON.stringify({ i, pad: 'x'.repeat(200) }),
  }
}

const stores: [string, () => Promise<ResultStore>][] = [
  ['sqlite', () => openSqliteStore(join(tmp, 'unit.db'))],
  ['postgres', () => openPostgresStore(pg.url)],
]

describe.each(stores)('%s store', (kind, open) => {
  let store: ResultStore
  beforeAll(async () => {
    store = await open()
    await store.migrate()
    await store.migrate() // idempotent
  })
  afterAll(() => store?.close())

  it('aggregates an empty table to zero counts and nulls', async () => {
    expect(store.kind).toBe(kind)
    expect(await store.stats()).toEqual({ count: 0, withTotal: 0, sumTotal: null, avgTotal: null, minTotal: null, maxTotal: null, avgConfidence: null, avgMs: null, sumLines: 0 })
    expect(await store.page(1, 10)).toEqual({ page: 1, pageSize: 10, total: 0, items: [] })
  })

  it('pages rows in insertion order', async () => {
    const ids: number[] = []
    for (let i = 1; i <= 25; i++) ids.push(await store.insert(row(i)))
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    const first = await store.page(1, 10)
    expect(first.total).toBe(25)
    expect(first.items.map((r) => r.id)).toEqual(ids.slice(0, 10))
    expect(first.items[0]).toMatchObject({ file: 'page-1.png', lineCount: 2, total: 1.25, currency: 'EUR', invoiceNumber: 'INV-1', date: '2026-01-02' })
    expect(first.items[0]).not.toHaveProperty('resultJson')
    expect(Date.parse(first.items[0]!.createdAt)).toBeGreaterThan(Date.now() - 600_000)
    expect((await store.page(3, 10)).items.map((r) => r.id)).toEqual(ids.slice(20))
    expect((await store.page(4, 10)).items).toEqual([])
  })

  it('computes /stats in SQL, equal to the naive whole-table sum in JS', async () => {
    const sql = await store.stats()
    const totals = Array.from({ length: 25 }, (_, k) => k + 1).filter((i) => i % 5 !== 0).map((i) => i * 1.25)
    expect(sql.count).toBe(25)
    expect(sql.withTotal).toBe(20)
    expect(sql.sumTotal).toBeCloseTo(totals.reduce((a, b) => a + b, 0), 9)
    expect(sql.minTotal).toBe(1.25)
    expect(sql.maxTotal).toBe(30)
    expect(sql.sumLines).toBe(Array.from({ length: 25 }, (_, k) => ((k + 1) % 3) + 1).reduce((a, b) => a + b, 0))
    const all = await store.readAllNaive()
    expect(all).toHaveLength(25)
    expect(JSON.parse(all[0]!.resultJson)).toMatchObject({ i: 1 })
    const naive = sumInJs(all)
    for (const key of Object.keys(sql) as (keyof typeof sql)[]) expect([key, naive[key]]).toEqual([key, expect.closeTo(sql[key] as number, 9)])
  })
})

describe.each(['sqlite', 'postgres'] as const)('memgate serve on %s', (kind) => {
  it('stores each OCR result; /results pages them and /stats aggregates them', async () => {
    const svc = await startServe(['--workers', '1', '--naive-endpoints'], { fake: true, env: kind === 'postgres' ? { DATABASE_URL: pg.url } : {} })
    await svc.waitHealthy()
    expect(svc.stdout()).toContain(kind === 'postgres' ? 'postgresql (DATABASE_URL)' : 'sqlite ')
    const health = (await (await fetch(`${svc.url}/healthz`)).json()) as { store: string }
    expect(health.store).toBe(kind)
    const before = (await (await fetch(`${svc.url}/stats`)).json()) as { count: number; sumTotal: number | null }
    for (const body of ['total:12.50', 'total:7.50', 'no total here']) expect((await postRaw(svc.url, body)).status).toBe(200)
    const stats = (await (await fetch(`${svc.url}/stats`)).json()) as { mode: string; count: number } & Record<string, unknown>
    expect(stats.mode).toBe('sql')
    expect(stats.count - before.count).toBe(3)
    const naive = (await (await fetch(`${svc.url}/stats?mode=naive`)).json()) as Record<string, unknown>
    expect({ ...naive, mode: 'sql' }).toEqual(stats)
    const list = (await (await fetch(`${svc.url}/results?page=1&pageSize=100`)).json()) as { total: number; items: { text: string; total: number | null }[] }
    expect(list.total).toBe(stats.count)
    expect(list.items.slice(-3).map((r) => [r.text, r.total])).toEqual([
      ['Total 12.50', 12.5],
      ['Total 7.50', 7.5],
      ['no total here', null],
    ])
    const all = (await (await fetch(`${svc.url}/results?mode=naive`)).json()) as { mode: string; items: unknown[] }
    expect(all.mode).toBe('naive')
    expect(all.items).toHaveLength(stats.count)
    expect((await fetch(`${svc.url}/results?pageSize=500`)).status).toBe(400)
    expect(await svc.stop()).toBe(0)
  })
})
