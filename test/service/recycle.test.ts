/**
 * `memgate serve`: workers recycled by request count (Gunicorn max-requests + jitter) and by memory, with no failed request.
 * Real processes with a stand-in engine (fixtures/fake-engine.ts), so no models load.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { childPids, postRaw, startServe, stopAll } from './helpers/serve.js'

afterAll(stopAll)

describe('memgate serve workers', () => {
  it('recycles workers after --max-requests (+ jitter) with no failed request', async () => {
    const svc = await startServe(['--workers', '2', '--max-requests', '6', '--max-requests-jitter', '3', '--concurrency', '8'], { fake: true, env: { FAKE_ENGINE_LOAD_MS: '200' } })
    await svc.waitHealthy()
    const failures: string[] = []
    let sent = 0
    // Load until 3 workers have recycled and exited (a replacement takes a few seconds to start
    // on a loaded 2-core machine), or 35 s.
    const exited = () => svc.events().filter((e) => e.event === 'worker-exit').length
    const deadline = Date.now() + 35_000
    await Promise.all(
      [1, 2, 3].map(async () => {
        while (exited() < 3 && Date.now() < deadline) {
          sent++
          const r = await postRaw(svc.url, 'sleep:40')
          if (r.status !== 200) failures.push(`${r.status} ${r.error ?? JSON.stringify(r.json)}`)
        }
      }),
    )
    expect(failures).toEqual([])
    expect(sent).toBeGreaterThan(18)
    const events = svc.events()
    const retires = events.filter((e) => e.event === 'worker-retire')
    expect(retires.length).toBeGreaterThanOrEqual(3)
    for (const e of retires) {
      expect(e.reason).toBe('max-requests')
      expect(e.requests).toBeGreaterThanOrEqual(6) // N + random(0..J)
      expect(e.requests).toBeLessThanOrEqual(9)
    }
    const exits = events.filter((e) => e.event === 'worker-exit')
    expect(exits.length).toBeGreaterThanOrEqual(3)
    expect(exits.every((e) => e.reason === 'max-requests' && e.code === 0)).toBe(true)
    expect(events.some((e) => e.event === 'worker-kill')).toBe(false)
    // Every retired worker had a replacement forked for it.
    const forks = events.filter((e) => e.event === 'worker-fork' && e.reason === 'max-requests')
    expect(forks.map((e) => e.replacesPid).sort()).toEqual(retires.map((e) => e.pid).sort())
    const metrics = await (await fetch(`${svc.url}/metrics`)).text()
    expect(Number(/^memgate_worker_recycles_total\{reason="max-requests"\} (\d+)$/m.exec(metrics)?.[1])).toBe(svc.events().filter((e) => e.event === 'worker-retire').length)
    expect(childPids(svc.child.pid!).length).toBeGreaterThanOrEqual(2)
    expect(await svc.stop()).toBe(0)
  }, 80_000)

  it('recycles a worker whose RSS passes --max-memory, after its request', async () => {
    const svc = await startServe(['--workers', '1', '--max-memory', '250 MiB'], { fake: true })
    await svc.waitHealthy()
    const first = (await (await fetch(`${svc.url}/healthz`)).json()) as { pid: number }
    expect((await postRaw(svc.url, 'grow:200')).status).toBe(200)
    const retire = await svc.waitForEvent((e) => e.event === 'worker-retire')
    expect(retire).toMatchObject({ pid: first.pid, reason: 'max-memory' })
    expect(retire.rssBytes as number).toBeGreaterThan(250 * 2 ** 20)
    const exit = await svc.waitForEvent((e) => e.event === 'worker-exit')
    expect(exit).toMatchObject({ pid: first.pid, reason: 'max-memory', code: 0 })
    expect((await postRaw(svc.url, 'after')).status).toBe(200)
    expect(await svc.stop()).toBe(0)
  })
})
