/**
 * `memgate serve`: recycling under keep-alive load loses no request. A draining worker hands its
 * kept-alive connections to a live worker (src/service/handover.ts) instead of closing them, so a
 * client that writes its next request the moment an answer arrives (autocannon does, ignoring
 * `Connection: close`) never writes into a closing connection.
 * Real processes with a stand-in engine (fixtures/fake-engine.ts), so no models load.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { keepAliveLoad } from './helpers/keepalive-client.js'
import { startServe, stopAll, type ServiceEvent } from './helpers/serve.js'

afterAll(stopAll)

describe('memgate serve recycling under keep-alive load', () => {
  it('answers every request sent across several recycles (sent == answered, no error, no close)', async () => {
    // Three workers, each retiring after 4–6 requests: the first two drain at once (the others are
    // live), the third serves on until a replacement is ready.
    const svc = await startServe(['--workers', '3', '--max-requests', '4', '--max-requests-jitter', '2', '--concurrency', '8'], { fake: true })
    await svc.waitHealthy()
    const count = (pred: (e: ServiceEvent) => boolean) => svc.events().filter(pred).length
    await svc.waitForEvent(() => count((e) => e.event === 'worker-ready') >= 3, 60_000)
    const handedOver = (e: ServiceEvent) => e.event === 'worker-drained' && Number(e.handedOver) > 0
    // Until two workers have drained by handing their connections over, or 10 s.
    const deadline = Date.now() + 10_000
    const tally = await keepAliveLoad(svc.url, { connections: 3, path: '/ocr', body: 'sleep:15', contentType: 'image/png', stop: () => count(handedOver) >= 2 || Date.now() > deadline })

    expect(tally.errors).toEqual([])
    expect(tally.unanswered).toBe(0)
    expect(tally.answered).toBe(tally.sent)
    expect(tally.statuses).toEqual({ 200: tally.sent })
    // The server never closed a connection: each lane kept its first one.
    expect(tally.connects).toBe(3)
    const events = svc.events()
    expect(count(handedOver)).toBeGreaterThanOrEqual(2)
    const retires = events.filter((e) => e.event === 'worker-retire')
    expect(retires.length).toBeGreaterThanOrEqual(2)
    expect(retires.every((e) => e.reason === 'max-requests')).toBe(true)
    expect(events.filter((e) => e.event === 'worker-drain').every((e) => e.handover === true)).toBe(true)
    expect(events.some((e) => e.event === 'connection-dropped' || e.event === 'worker-kill')).toBe(false)
    // A graceful stop would wait for the replacements still starting (drain.test.ts covers it): end the tree now.
    process.kill(-svc.child.pid!, 'SIGKILL')
    expect(await svc.stop()).toBeNull() // ended by the signal, after every assertion above
  }, 120_000)
})
