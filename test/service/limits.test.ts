/**
 * `memgate serve`: the loading state and the per-worker concurrency limit.
 * Real processes with a stand-in engine (fixtures/fake-engine.ts), so no models load.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { postRaw, startServe, stopAll } from './helpers/serve.js'

afterAll(stopAll)

describe('memgate serve workers', () => {
  it('says "loading" until the engine is open, and holds OCR requests until then', async () => {
    const svc = await startServe(['--workers', '1'], { fake: true, env: { FAKE_ENGINE_LOAD_MS: '2500' } })
    const h = await fetch(`${svc.url}/healthz`)
    expect(h.status).toBe(503)
    expect(await h.json()).toMatchObject({ status: 'loading' })
    const r = await postRaw(svc.url, 'early')
    expect(r.status).toBe(200)
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200)
    expect(await svc.stop()).toBe(0)
  })
  it('answers 503 with Retry-After past --concurrency, without queueing', async () => {
    const svc = await startServe(['--workers', '1', '--concurrency', '1'], { fake: true })
    await svc.waitHealthy()
    const slow = postRaw(svc.url, 'sleep:1500')
    await new Promise((r) => setTimeout(r, 200))
    const t0 = Date.now()
    const refused = await Promise.all([1, 2, 3, 4].map(() => postRaw(svc.url, 'quick')))
    expect(Date.now() - t0).toBeLessThan(1000) // refused at once, not after the slow one
    for (const r of refused) {
      expect(r.status).toBe(503)
      expect(r.headers!.get('retry-after')).toBe('1')
      expect(r.json.error.code).toBe('SERVICE_OVERLOADED')
    }
    expect((await slow).status).toBe(200)
    expect((await postRaw(svc.url, 'after')).status).toBe(200)
    expect(await svc.stop()).toBe(0)
  })
})
