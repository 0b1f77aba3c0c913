/**
 * `memgate serve` with the real engine, one worker: readiness, POST /ocr (multipart and raw), bad
 * uploads answered with 4xx and the engine's error code while the worker keeps serving,
 * /results pagination, /metrics, and a SIGTERM that exits 0 with no process left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bombPng, smallPage } from './helpers/images.js'
import { childPids, postRaw, startServe, stopAll, type RunningService } from './helpers/serve.js'

let svc: RunningService
let workerPid: number

beforeAll(async () => {
  svc = await startServe(['--workers', '1', '--max-body', '64 KiB', '--timeout', '30'])
})
afterAll(stopAll)

async function multipart(url: string, parts: [string, Blob, string?][]) {
  const form = new FormData()
  for (const [name, blob, filename] of parts) form.append(name, blob, filename)
  const r = await fetch(`${url}/ocr`, { method: 'POST', body: form })
  return { status: r.status, json: (await r.json()) as any }
}

describe('memgate serve (real engine)', () => {
  it('answers /healthz 503 until the models are loaded, then 200 ready', async () => {
    const first = await fetch(`${svc.url}/healthz`)
    const seen = [first.status]
    await svc.waitHealthy()
    const ready = await fetch(`${svc.url}/healthz`)
    const body = (await ready.json()) as any
    expect(ready.status).toBe(200)
    expect(body).toMatchObject({ status: 'ready', profile: 'lean', threads: 2, store: 'sqlite' })
    workerPid = body.pid
    // The listening line comes before the engine is loaded (~2 s), so the first probe sees "loading".
    expect(seen[0]).toBe(503)
  })

  it('reads a multipart upload into the `memgate ocr --json` object', async () => {
    const r = await multipart(svc.url, [['file', new Blob([smallPage()], { type: 'image/png' }), 'invoice.png']])
    expect(r.status).toBe(200)
    expect(Object.keys(r.json).sort()).toEqual(['confidence', 'fields', 'file', 'lines', 'ms', 'ok', 'text'])
    expect(r.json).toMatchObject({ file: 'invoice.png', ok: true, text: 'INVOICE 123\nTotal 45.00 EUR' })
    expect(r.json.fields.total.value).toBe('45.00')
  })

  it('reads a raw image/* body', async () => {
    const r = await postRaw(svc.url, smallPage(['Total 7.50 EUR']))
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ file: 'body', ok: true, text: 'Total 7.50 EUR' })
    expect(Number(r.headers!.get('x-memgate-result-id'))).toBeGreaterThan(0)
  })

  it.each([
    ['an empty raw body', 400, 'INPUT_EMPTY', () => postRaw(svc.url, Buffer.alloc(0))],
    ['random bytes', 415, 'INPUT_UNSUPPORTED_FORMAT', () => postRaw(svc.url, Buffer.from('not an image at all, just text bytes'))],
    ['a text/plain body', 415, 'INPUT_UNSUPPORTED_FORMAT', () => postRaw(svc.url, 'hello', 'text/plain')],
    ['a JSON body', 415, 'INPUT_UNSUPPORTED_FORMAT', () => postRaw(svc.url, '{"a":1}', 'application/json')],
    ['a body over --max-body', 413, 'INPUT_TOO_LARGE', () => postRaw(svc.url, Buffer.alloc(100 * 1024, 7))],
    ['a decompression bomb (30000×30000 declared)', 413, 'INPUT_TOO_LARGE', () => postRaw(svc.url, bombPng())],
    ['a truncated PNG', 422, 'INPUT_CORRUPT', () => postRaw(svc.url, smallPage().subarray(0, 200))],
    ['a multipart file over --max-body', 413, 'INPUT_TOO_LARGE', () => multipart(svc.url, [['file', new Blob([Buffer.alloc(100 * 1024, 7)]), 'big.png']])],
    ['a multipart request without a file part', 400, 'INPUT_EMPTY', () => fetch(`${svc.url}/ocr`, { method: 'POST', body: (() => { const f = new FormData(); f.append('note', 'x'); return f })() }).then(async (r) => ({ status: r.status, json: await r.json() }))],
  ] as const)('refuses %s with %i %s', async (_name, status, code, send) => {
    const r = await send()
    expect(r.status).toBe(status)
    expect((r.json as any).ok).toBe(false)
    expect((r.json as any).error.code).toBe(code)
  })

  it('keeps serving on the same worker after the bad uploads', async () => {
    const r = await postRaw(svc.url, smallPage())
    expect(r.status).toBe(200)
    const health = (await (await fetch(`${svc.url}/healthz`)).json()) as any
    expect(health.pid).toBe(workerPid)
    expect(svc.events().filter((e) => e.event === 'worker-exit')).toEqual([])
  })

  it('pages /results with a bounded page size and validates the query', async () => {
    const all = (await (await fetch(`${svc.url}/results?page=1&pageSize=100`)).json()) as any
    expect(all.total).toBe(3)
    expect(all.items.map((i: any) => i.text)).toEqual(['INVOICE 123\nTotal 45.00 EUR', 'Total 7.50 EUR', 'INVOICE 123\nTotal 45.00 EUR'])
    const second = (await (await fetch(`${svc.url}/results?page=2&pageSize=2`)).json()) as any
    expect(second).toMatchObject({ page: 2, pageSize: 2, total: 3 })
    expect(second.items.map((i: any) => i.id)).toEqual([all.items[2].id])
    const beyond = (await (await fetch(`${svc.url}/results?page=9&pageSize=2`)).json()) as any
    expect(beyond.items).toEqual([])
    for (const q of ['pageSize=101', 'pageSize=0', 'page=0', 'page=-1', 'page=abc', 'pageSize=1.5', 'mode=naive', 'mode=bogus']) {
      const r = await fetch(`${svc.url}/results?${q}`)
      const body = (await r.json()) as any
      expect([q, r.status]).toEqual([q, q === 'mode=naive' ? 404 : 400])
      expect(body.error.code).toBe(q === 'mode=naive' ? 'NAIVE_DISABLED' : 'QUERY_INVALID')
    }
  })

  it('serves Prometheus text on /metrics', async () => {
    const r = await fetch(`${svc.url}/metrics`)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await r.text()
    expect(text).toMatch(new RegExp(`^memgate_worker_rss_bytes\\{pid="${workerPid}"\\} \\d{7,}$`, 'm'))
    expect(text).toMatch(/^memgate_http_requests_total\{route="\/ocr",status="200"\} 3$/m)
    expect(text).toMatch(/^memgate_http_request_errors_total\{route="\/ocr",code="INPUT_TOO_LARGE"\} 3$/m)
    expect(text).toMatch(/^memgate_http_request_duration_seconds_bucket\{le="\+Inf",route="\/ocr"\} \d+$/m)
    expect(text).toMatch(/^memgate_worker_recycles_total\{reason="max-requests"\} 0$/m)
    expect(text).toMatch(/^memgate_worker_births_total 1$/m)
  })

  it('drains and exits 0 on SIGTERM, leaving no process behind', async () => {
    const primary = svc.child.pid!
    const workers = childPids(primary)
    expect(workers).toHaveLength(1)
    const code = await svc.stop('SIGTERM')
    expect(code).toBe(0)
    expect(svc.stdout()).toMatch(/SIGTERM, draining workers\nmemgate serve: stopped\n$/)
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow()
  })
})
