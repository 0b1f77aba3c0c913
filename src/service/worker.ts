/**
 * One cluster worker: opens the store, starts listening at once (so /healthz can say "loading"),
 * loads the engine, then serves until it is told to drain. It asks to retire after its request
 * budget (Gunicorn's max-requests + jitter) or when its RSS passes max-memory, and keeps serving
 * until the primary has a ready replacement and sends `drain`. Draining: stop accepting, finish
 * what is in flight, hand each kept-alive connection to a live worker at a request boundary
 * (handover.ts; on a stop, close it at a response instead), release the engine and the store, resolve.
 */
import type { Socket } from 'node:net'
import { pathToFileURL } from 'node:url'
import { MemgateError, toError } from '../common/errors.js'
import { buildApp, type Recognizer, type ServiceApp } from './app.js'
import type { StreamHandle } from './handover.js'
import { createWorkerMetrics } from './metrics.js'
import { drawMaxRequests, type ResolvedServeOptions } from './options.js'
import type { PrimaryMessage, RetireReason, WorkerMessage } from './protocol.js'
import { openStore } from './store/index.js'

interface ClosableRecognizer extends Recognizer {
  close(): Promise<void>
}

async function openServiceEngine(options: ResolvedServeOptions): Promise<ClosableRecognizer> {
  const engineOptions = { profile: options.profile, intraOpNumThreads: options.threads }
  if (options.engineModule) {
    let mod: { openEngine?: (o: unknown) => Promise<ClosableRecognizer> }
    try {
      mod = (await import(pathToFileURL(options.engineModule).href)) as typeof mod
    } catch (error) {
      throw new MemgateError('CONFIG_INVALID', `Cannot load the engine module ${options.engineModule}: ${toError(error).message}`, { cause: error })
    }
    if (typeof mod.openEngine !== 'function') throw new MemgateError('CONFIG_INVALID', `Engine module ${options.engineModule} exports no openEngine(options) function.`)
    return mod.openEngine(engineOptions)
  }
  const { openEngine } = await import('../engine/index.js')
  return openEngine(engineOptions)
}

const send = (m: WorkerMessage) => {
  if (process.connected) process.send?.(m)
}

/** Sends and resolves once written (or after 2 s): the worker exits right after its last message. */
const sendFlushed = (m: WorkerMessage) =>
  new Promise<void>((resolve) => {
    if (!process.connected || !process.send) return resolve()
    setTimeout(resolve, 2000).unref()
    process.send(m, undefined, {}, () => resolve())
  })

/** Gives a connection's handle to the primary; resolves once written (the primary then holds its own descriptor). */
function sendHandle(handle: StreamHandle): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.connected || !process.send) return reject(new Error('the IPC channel to the primary is closed'))
    const m: WorkerMessage = { t: 'handover' }
    process.send(m, handle as unknown as Socket, {}, (error: Error | null) => (error ? reject(error) : resolve()))
  })
}

/** Runs a worker until it has drained. Throws when the engine cannot be opened (after telling the primary). */
export async function runWorker(options: ResolvedServeOptions): Promise<void> {
  // Listen for `drain` and signals before anything slow: a worker told to stop while it is still
  // starting must not miss it (it then drains as soon as its server exists).
  // Until the server listens, a drain is only noted (with its hand-over flag): closing a fastify
  // app while it starts to listen can leave it listening.
  let earlyDrain: boolean | null = null
  let drain: (handover: boolean) => Promise<void> = async (handover) => void (earlyDrain ??= handover)
  let serving: ServiceApp | null = null
  const pendingMetrics = new Map<number, (text: { contentType: string; text: string } | null) => void>()
  process.on('message', (m: PrimaryMessage, handle?: unknown) => {
    if (m?.t === 'drain') void drain(m.handover)
    else if (m?.t === 'metrics-res') pendingMetrics.get(m.id)?.({ contentType: m.contentType, text: m.text })
    else if (m?.t === 'adopt' && handle) {
      // The primary hands connections only to ready workers, whose app exists; a draining one
      // passes it on again at once (it has read nothing from it).
      if (serving) serving.adopt(handle as StreamHandle)
      else (handle as StreamHandle).close()
    }
  })
  // Ctrl-C reaches the whole process group: a worker drains on its own signal as well.
  process.on('SIGTERM', () => void drain(false))
  process.on('SIGINT', () => void drain(false))

  const prom = await import('prom-client')
  const metrics = await createWorkerMetrics()
  // Lets the primary's AggregatorRegistry collect this worker's registry over IPC.
  prom.AggregatorRegistry.setRegistries([metrics.registry])
  new prom.AggregatorRegistry()

  const store = await openStore(options.store)
  const loadStarted = performance.now()
  const enginePromise = openServiceEngine(options)
  enginePromise.catch(() => undefined)

  let nextMetricsId = 0
  const askPrimary = async () => {
    const id = nextMetricsId++
    const answer = process.connected
      ? await new Promise<{ contentType: string; text: string } | null>((resolve) => {
          pendingMetrics.set(id, resolve)
          send({ t: 'metrics-req', id })
          setTimeout(() => resolve(null), 7000).unref()
        })
      : null
    pendingMetrics.delete(id)
    // Without a primary (or when it does not answer), this worker's own figures.
    return answer ?? { contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }
  }

  const budget = drawMaxRequests(options)
  let counted = 0
  let retired = false
  const retire = (reason: RetireReason) => {
    if (retired) return
    retired = true
    send({ t: 'retire', reason, requests: counted, rssBytes: process.memoryUsage.rss() })
  }
  const overMemory = () => options.maxMemoryBytes > 0 && process.memoryUsage.rss() > options.maxMemoryBytes

  const service = await buildApp({
    engine: enginePromise,
    store,
    metrics,
    metricsText: askPrimary,
    options,
    info: { pid: process.pid, profile: options.profile, threads: options.threads, store: options.store.kind, requestBudget: budget },
    onCounted() {
      counted++
      if (budget !== null && counted >= budget) retire('max-requests')
      else if (overMemory()) retire('max-memory')
    },
  })

  let drainStarted: Promise<void> | null = null
  let drainRequested = () => {}
  const untilDrain = new Promise<void>((resolve) => (drainRequested = resolve))
  serving = service
  const drainNow = (handover: boolean) =>
    (drainStarted ??= (async () => {
      drainRequested()
      const drainStart = performance.now()
      service.startDraining(handover ? sendHandle : undefined)
      await service.close(options.timeoutMs) // stops accepting; resolves when in-flight requests are answered and connections handed over
      const engine = await enginePromise.catch(() => null)
      await engine?.close()
      await store.close()
      await sendFlushed({ t: 'drained', drainMs: Math.round(performance.now() - drainStart), handedOver: service.handedOver() })
    })())

  if (earlyDrain !== null) {
    await drainNow(false) // never listened: nothing to hand over
    return
  }
  await service.app.listen({ port: options.port, host: options.host })
  const address = service.app.server.address()
  send({ t: 'listening', port: typeof address === 'object' && address ? address.port : options.port })
  drain = drainNow
  if (earlyDrain !== null) void drainNow(earlyDrain)

  const beat = setInterval(() => {
    const oldest = service.oldestInFlight()
    send({ t: 'beat', oldestAgeMs: oldest === null ? null : performance.now() - oldest.startedMs, oldestRequest: oldest?.what ?? null, rssBytes: process.memoryUsage.rss(), ocrInFlight: service.ocrInFlight() })
    // An idle worker can pass the limit too (native memory freed late); checked between requests as well.
    if (overMemory()) retire('max-memory')
  }, Math.min(1000, options.timeoutMs / 4))
  beat.unref()

  try {
    await enginePromise
    send({ t: 'ready', loadMs: Math.round(performance.now() - loadStarted) })
  } catch (error) {
    const e = toError(error)
    send({ t: 'fatal', code: error instanceof MemgateError ? error.code : 'INTERNAL', message: e.message })
    await drain(false)
    clearInterval(beat)
    throw error
  }
  await untilDrain
  await drainStarted
  clearInterval(beat)
}
