/**
 * `memgate serve`: workers recycled by request count (Gunicorn max-requests + jitter) with no failed request.
 * Real processes with a stand-in engine (fixtures/fake-engine.ts), so no models load.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { childPids, postRaw, startServe, stopAll } from './helpers/serve.js'

afterAll(stopAll)

describe('memgate serve workers', () => {
  it('recycles workers after --max-requests (+ jitter) with no failed request', async () => {
    const svc = await startServe(['--workers', '2', '--max-requests', '6', '--max-requests-jitter', '3', '--concurrency', '8'], { fake: true })
    await svc.waitHealthy()
    const failures: string[] = []
    let sent = 0
    // Load until two workers have retired and one has been replaced and exited (a replacement
    // takes seconds to start on a loaded 2-core machine), or 35 s.
    const count = (name: string) => svc.events().filter((e) => e.event === name).length
    const deadline = Date.now() + 35_000
    await Promise.all(
      [1, 2, 3].map(async () => {
        while ((count('worker-retire') < 2 || count('worker-exit') < 1) && Date.now() < deadline) {
          sent++
          const r = await postRaw(svc.url, 'sleep:40')
          if (r.status !== 200) failures.push(`${r.status} ${r.error ?? JSON.stringify(r.json)}`)
        }
      }),
    )
    expect(failures).toEqual([])
    expect(sent).toBeGreaterThanOrEqual(12)
    const events = svc.events()
    const retires = events.filter((e) => e.event === 'worker-retire')
    expect(retires.length).toBeGreaterThanOrEqual(2)
    for (const e of retires) {
      expect(e.reason).toBe('max-requests')
      expect(e.requests).toBeGreaterThanOrEqual(6) // N + random(0..J)
      expect(e.requests).toBeLessThanOrEqual(9)
    }
    const exits = events.filter((e) => e.event === 'worker-exit')
    expect(exits.length).toBeGreaterThanOrEqual(1)
    expect(exits.every((e) => e.reason === 'max-requests' && e.code === 0)).toBe(true)
    expect(events.some((e) => e.event === 'worker-kill')).toBe(false)
    // Every retired worker had a replacement forked for it.
    const forks = events.filter((e) => e.event === 'worker-fork' && e.reason === 'max-requests')
    expect(forks.map((e) => e.replacesPid).sort()).toEqual(retires.map((e) => e.pid).sort())
    const metrics = await (await fetch(`${svc.url}/metrics`)).text()
    expect(Number(/^memgate_worker_recycles_total\{reason="max-requests"\} (\d+)$/m.exec(metrics)?.[1])).toBe(svc.events().filter((e) => e.event === 'worker-retire').length)
    expect(childPids(svc.child.pid!).length).toBeGreaterThanOrEqual(2)
    expect(await svc.stop()).toBe(0)
  }, 85_000)

})
