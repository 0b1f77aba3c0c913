/**
 * One cluster worker: opens the store, starts listening at once (so /healthz can say "loading"),
 * loads the engine, then serves until it is told to drain. It asks to retire after its request
 * budget (Gunicorn's max-requests + jitter) or when its RSS passes max-memory, and keeps serving
 * until the primary has a ready replacement and sends `drain`. Draining: stop accepting, finish
 * what is in flight, release the engine and the store, resolve.
 */
import { pathToFileURL } from 'node:url'
import { MemgateError, toError } from '../common/errors.js'
import { buildApp, type Recognizer } from './app.js'
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

/** Runs a worker until it has drained. Throws when the engine cannot be opened (after telling the primary). */
export async function runWorker(options: ResolvedServeOptions): Promise<void> {
  // Listen for `drain` and signals before anything slow: a worker told to stop while it is still
  // starting must not miss it (it then drains as soon as its server exists).
  let drain: () => Promise<void> = async () => void (drainEarly = true)
  let drainEarly = false
  const pendingMetrics = new Map<number, (text: { contentType: string; text: string } | null) => void>()
  process.on('message', (m: PrimaryMessage) => {
    if (m?.t === 'drain') void drain()
    else if (m?.t === 'metrics-res') pendingMetrics.get(m.id)?.({ contentType: m.contentType, text: m.text })
  })
  // Ctrl-C reaches the whole process group: a worker drains on its own signal as well.
  process.on('SIGTERM', () => void drain())
  process.on('SIGINT', () => void drain())

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
  drain = () =>
    (drainStarted ??= (async () => {
      drainRequested()
      const drainStart = performance.now()
      service.startDraining()
      await service.close(options.timeoutMs) // stops accepting; resolves when in-flight requests are answered
      const engine = await enginePromise.catch(() => null)
      await engine?.close()
      await store.close()
      send({ t: 'drained', drainMs: Math.round(performance.now() - drainStart) })
    })())

  if (drainEarly) {
    await drain()
    return
  }
  await service.app.listen({ port: options.port, host: options.host })
  const address = service.app.server.address()
  send({ t: 'listening', port: typeof address === 'object' && address ? address.port : options.port })

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
    await drain()
    clearInterval(beat)
    throw error
  }
  await untilDrain
  await drainStarted
  clearInterval(beat)
}
