/**
 * `memgate serve`: SIGTERM drains every worker (requests in flight answered, nothing new accepted) and exits 0.
 * Real processes with a stand-in engine (fixtures/fake-engine.ts), so no models load.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { childPids, postRaw, startServe, stopAll } from './helpers/serve.js'

afterAll(stopAll)

describe('memgate serve workers', () => {
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
