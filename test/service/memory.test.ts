/**
 * `memgate serve`: a worker whose RSS passes --max-memory is recycled after its request (PM2's max_memory_restart).
 * Real processes with a stand-in engine (fixtures/fake-engine.ts), so no models load.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { postRaw, startServe, stopAll } from './helpers/serve.js'

afterAll(stopAll)

describe('memgate serve workers', () => {
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
