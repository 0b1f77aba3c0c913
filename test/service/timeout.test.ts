/**
 * `memgate serve`: a hung request or a blocked event loop gets its worker killed and replaced (--timeout).
 * Real processes with a stand-in engine (fixtures/fake-engine.ts), so no models load.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { postRaw, startServe, stopAll } from './helpers/serve.js'

afterAll(stopAll)

describe('memgate serve workers', () => {
  it('kills and replaces a worker whose request hangs past --timeout, or whose event loop is blocked', async () => {
    const svc = await startServe(['--workers', '1', '--timeout', '1.5'], { fake: true })
    await svc.waitHealthy()
    for (const body of ['hang', 'spin']) {
      const before = svc.events().filter((e) => e.event === 'worker-kill').length
      const t0 = Date.now()
      const r = await postRaw(svc.url, body)
      expect([r.status, r.error]).toEqual([0, expect.any(String)]) // the connection dies with the worker
      // A hung request is timed from its start; a blocked loop from its last heartbeat (≤ timeout/4 earlier).
      expect(Date.now() - t0).toBeGreaterThanOrEqual(body === 'hang' ? 1400 : 1000)
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
})
