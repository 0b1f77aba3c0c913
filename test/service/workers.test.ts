/**
 * Worker mechanics of `memgate serve` in real processes, with a stand-in engine
 * (fixtures/fake-engine.ts) so no models load: loading state, concurrency limit, recycling by
 * request count and by memory with no failed request, timeout kill and replace, SIGTERM drain.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { childPids, postRaw, startServe, stopAll } from './helpers/serve.js'

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

  it('recycles workers after --max-requests (+ jitter) with no failed request', async () => {
    const svc = await startServe(['--workers', '2', '--max-requests', '6', '--max-requests-jitter', '3', '--concurrency', '8'], { fake: true, env: { FAKE_ENGINE_LOAD_MS: '300' } })
    await svc.waitHealthy()
    const results: number[] = []
    const errors: string[] = []
    let next = 0
    const TOTAL = 120
    await Promise.all(
      [1, 2, 3, 4].map(async () => {
        while (next < TOTAL) {
          next++
          const r = await postRaw(svc.url, 'sleep:25')
          results.push(r.status)
          if (r.status !== 200) errors.push(`${r.status} ${r.error ?? JSON.stringify(r.json)}`)
        }
      }),
    )
    expect(errors).toEqual([])
    expect(results).toHaveLength(TOTAL)
    const events = svc.events()
    const retires = events.filter((e) => e.event === 'worker-retire')
    expect(retires.length).toBeGreaterThanOrEqual(10)
    for (const e of retires) {
      expect(e.reason).toBe('max-requests')
      // The worker serves on until its replacement is ready, so a few requests past its budget.
      expect(e.requests).toBeGreaterThanOrEqual(6)
      expect(e.requests).toBeLessThanOrEqual(9)
    }
    await new Promise((r) => setTimeout(r, 1500))
    const exits = svc.events().filter((e) => e.event === 'worker-exit')
    expect(exits.every((e) => e.reason === 'max-requests' && e.code === 0)).toBe(true)
    expect(svc.events().some((e) => e.event === 'worker-kill')).toBe(false)
    const metrics = await (await fetch(`${svc.url}/metrics`)).text()
    expect(Number(/^memgate_worker_recycles_total\{reason="max-requests"\} (\d+)$/m.exec(metrics)?.[1])).toBe(svc.events().filter((e) => e.event === 'worker-retire').length)
    expect(childPids(svc.child.pid!).length).toBeGreaterThanOrEqual(2)
    expect(await svc.stop()).toBe(0)
  }, 80_000)

  it('recycles a worker whose RSS passes --max-memory, after its request', async () => {
    const svc = await startServe(['--workers', '1', '--max-memory', '500 MiB'], { fake: true })
    await svc.waitHealthy()
    const first = (await (await fetch(`${svc.url}/healthz`)).json()) as { pid: number }
    expect((await postRaw(svc.url, 'grow:600')).status).toBe(200)
    const retire = await svc.waitForEvent((e) => e.event === 'worker-retire')
    expect(retire).toMatchObject({ pid: first.pid, reason: 'max-memory' })
    expect(retire.rssBytes as number).toBeGreaterThan(500 * 2 ** 20)
    const exit = await svc.waitForEvent((e) => e.event === 'worker-exit')
    expect(exit).toMatchObject({ pid: first.pid, reason: 'max-memory', code: 0 })
    expect((await postRaw(svc.url, 'after')).status).toBe(200)
    expect(await svc.stop()).toBe(0)
  })

  it('kills and replaces a worker whose request hangs past --timeout, or whose event loop is blocked', async () => {
    const svc = await startServe(['--workers', '1', '--timeout', '1.5'], { fake: true })
    await svc.waitHealthy()
    for (const body of ['hang', 'spin']) {
      const before = svc.events().filter((e) => e.event === 'worker-kill').length
      const t0 = Date.now()
      const r = await postRaw(svc.url, body)
      expect(r.status).toBe(0) // the connection dies with the worker
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1400)
      expect(Date.now() - t0).toBeLessThan(6000)
      const kills = svc.events().filter((e) => e.event === 'worker-kill')
      expect(kills).toHaveLength(before + 1)
      expect(kills.at(-1)!.reason).toBe('timeout')
      await svc.waitHealthy(20_000)
      expect((await postRaw(svc.url, 'after')).status).toBe(200)
    }
    expect(svc.events().filter((e) => e.event === 'worker-exit').map((e) => [e.reason, e.signal])).toEqual([
      ['timeout', 'SIGKILL'],
      ['timeout', 'SIGKILL'],
    ])
    expect(await svc.stop()).toBe(0)
  })

  it('drains on SIGTERM: requests in flight are answered, then every process exits 0', async () => {
    const svc = await startServe(['--workers', '2', '--concurrency', '4'], { fake: true })
    await svc.waitHealthy()
    const workers = childPids(svc.child.pid!)
    expect(workers).toHaveLength(2)
    const inFlight = [1, 2, 3, 4].map(() => postRaw(svc.url, 'sleep:1500'))
    await new Promise((r) => setTimeout(r, 400))
    const exit = svc.stop('SIGTERM')
    const answered = await Promise.all(inFlight)
    expect(answered.map((r) => r.status)).toEqual([200, 200, 200, 200])
    expect(await exit).toBe(0)
    expect((await postRaw(svc.url, 'late')).status).toBe(0)
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow()
    const stored = svc.events().filter((e) => e.event === 'worker-exit')
    expect(stored.map((e) => [e.reason, e.code])).toEqual([
      ['stop', 0],
      ['stop', 0],
    ])
  })
})
