/**
 * The cluster primary: forks the workers, replaces them, and never serves HTTP itself.
 *
 * - Recycling (max-requests, max-memory): the worker asks to retire; the primary forks its
 *   replacement at once. If another worker is ready, the old one drains now (Gunicorn's
 *   semantics: it leaves after N + jitter requests); if it is the last ready worker, it serves on
 *   until its replacement is ready, so the listening socket always has a worker behind it (in
 *   node:cluster's round-robin mode the primary closes the port when no worker listens).
 *   A draining worker's kept-alive connections are relayed to a live worker (handover.ts), so a
 *   recycle closes no client connection: a client never writes into a closing one.
 * - Timeout: a worker whose heartbeat stops, or whose oldest request is older than the timeout,
 *   is killed (SIGKILL) and replaced (Gunicorn's `--timeout`).
 * - Crash: an unplanned exit is replaced; a worker that cannot load the engine stops the service.
 * - stop(): every worker drains (in flight answered, nothing new accepted, connections closed at
 *   their next response), then the primary resolves.
 */
import cluster, { type Worker } from 'node:cluster'
import { createServer, type Socket } from 'node:net'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MemgateError } from '../common/errors.js'
import { profileEnvironmentToAdd } from '../engine/index.js'
import type { EventSink, ServiceEvent } from './events.js'
import type { StreamHandle } from './handover.js'
import { createPrimaryMetrics } from './metrics.js'
import type { ResolvedServeOptions } from './options.js'
import { isWorkerMessage, OPTIONS_VAR, type PrimaryMessage, type WorkerMessage } from './protocol.js'
import { openStore } from './store/index.js'

/** A running service. */
export interface ServiceHandle {
  /** The port workers listen on (the real one when `port` was 0). */
  port: number
  url: string
  /** Resolves when every worker has exited after stop(), or rejects when the service failed (e.g. models missing). */
  closed: Promise<void>
  /** Drains every worker, then resolves. Idempotent. */
  stop(reason?: string): Promise<void>
}

type SlotState = 'starting' | 'ready' | 'retiring' | 'draining'

interface Slot {
  worker: Worker
  pid: number
  state: SlotState
  bornAt: number
  beatAt: number
  oldestAgeMs: number | null
  oldestRequest: string | null
  /** Set when the primary decided how this worker ends (its exit is then expected). */
  endReason: string | null
  /** The worker forked to take this one's place. */
  replacement: number | null
  /** This worker replaces that one (drained when this one is ready). */
  replaces: number | null
  /** Whether its drain hands connections over (set by drainSlot). */
  handover: boolean
}

/** Time a new worker gets to load its models before it counts as hung. */
const STARTUP_GRACE_MS = 120_000
/** Consecutive workers dying before ready after which the service gives up. */
const MAX_EARLY_DEATHS = 3

function workerEntry(): string {
  const here = fileURLToPath(import.meta.url)
  // Same extension as this file: .ts under tsx/vitest, .js from dist/.
  return fileURLToPath(new URL(`./worker-entry${extname(here)}`, import.meta.url))
}

/** A port free on `host` right now (the kernel's pick for port 0). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Starts the primary and its workers; resolves once the first worker listens. */
export async function startService(options: ResolvedServeOptions, emit: EventSink): Promise<ServiceHandle> {
  if (!cluster.isPrimary) throw new MemgateError('INTERNAL', 'startService() must run in the cluster primary')
  const log = (e: Omit<ServiceEvent, 'atMs'>) => emit({ atMs: Date.now(), ...e } as ServiceEvent)

  // Schema once, here: workers racing on CREATE TABLE IF NOT EXISTS can fail on PostgreSQL.
  const store = await openStore(options.store)
  try {
    await store.migrate()
  } finally {
    await store.close()
  }

  const prom = await import('prom-client')
  const aggregator = new prom.AggregatorRegistry()
  const metrics = await createPrimaryMetrics()

  cluster.setupPrimary({ exec: workerEntry(), execArgv: process.execArgv })
  const slots = new Map<number, Slot>()
  // A fixed port for every fork: with 0, a worker forked after all others died would get a new
  // random port, and one forked beside a live one would collide with the port it already has.
  const port = options.port === 0 ? await freePort(options.host) : options.port
  let stopping: Promise<void> | null = null
  let earlyDeaths = 0
  let failure: MemgateError | null = null
  let resolveClosed!: () => void
  let rejectClosed!: (e: Error) => void
  const closed = new Promise<void>((res, rej) => ((resolveClosed = res), (rejectClosed = rej)))
  closed.catch(() => undefined)
  let resolveListening!: (p: number) => void
  const listening = new Promise<number>((res) => (resolveListening = res))

  // The profile's allocator settings only work from process start: workers are born with them.
  // Variables the user set win; the profile's V8 flags are appended to their NODE_OPTIONS.
  const profileEnv = profileEnvironmentToAdd(options.profile, process.env, { execArgv: process.execArgv })

  const countStates = () => {
    metrics.workers.reset()
    for (const s of slots.values()) metrics.workers.inc({ state: s.state })
  }

  const fork = (reason: string, replaces: number | null = null): Slot => {
    const worker = cluster.fork({ ...profileEnv, [OPTIONS_VAR]: JSON.stringify({ ...options, port }) })
    const slot: Slot = { worker, pid: worker.process.pid ?? 0, state: 'starting', bornAt: Date.now(), beatAt: Date.now(), oldestAgeMs: null, oldestRequest: null, endReason: null, replacement: null, replaces, handover: false }
    slots.set(worker.id, slot)
    metrics.births.inc()
    countStates()
    log({ event: 'worker-fork', pid: slot.pid, reason, ...(replaces !== null ? { replacesPid: slots.get(replaces)?.pid } : {}) })
    worker.on('message', (m: unknown, handle?: unknown) => {
      if (!isWorkerMessage(m)) return
      if (m.t === 'handover') relay(slot, handle as StreamHandle | undefined)
      else void onMessage(slot, m)
    })
    return slot
  }

  /** Workers that can take a handed-over connection: serving, not leaving. */
  const liveTargets = (except: Slot) => [...slots.values()].filter((s) => s !== except && (s.state === 'ready' || s.state === 'retiring') && s.worker.isConnected())

  const drainSlot = (slot: Slot, reason: string) => {
    if (slot.state === 'draining') return
    slot.state = 'draining'
    slot.endReason ??= reason
    countStates()
    // On a recycle the draining worker's kept-alive connections move to a live worker (handover.ts);
    // when the service stops there is none to take them, and they are closed at a response.
    slot.handover = !stopping && liveTargets(slot).length > 0
    log({ event: 'worker-drain', pid: slot.pid, reason, handover: slot.handover })
    sendDrain(slot)
  }

  /** Idempotent in the worker; sent again when a draining worker reports in (see 'listening'). */
  const sendDrain = (slot: Slot) => {
    const msg: PrimaryMessage = { t: 'drain', handover: slot.handover && !stopping }
    if (slot.worker.isConnected()) slot.worker.send(msg)
  }

  let nextTarget = 0
  /** Passes a connection a draining worker handed over to a live worker, round-robin; closes it when none is left. */
  const relay = (from: Slot, handle: StreamHandle | undefined) => {
    if (!handle) return
    const targets = stopping ? [] : liveTargets(from)
    const target = targets[nextTarget++ % Math.max(1, targets.length)]
    if (!target) {
      handle.close()
      log({ event: 'connection-dropped', pid: from.pid, reason: stopping ? 'stop' : 'no-live-worker' })
      return
    }
    const msg: PrimaryMessage = { t: 'adopt' }
    // Written means the target holds its own descriptor: ours is closed either way.
    target.worker.send(msg, handle as unknown as Socket, (error) => {
      handle.close()
      if (error) log({ event: 'connection-dropped', pid: from.pid, reason: `send to ${target.pid} failed: ${error.message}` })
    })
  }

  const kill = (slot: Slot, reason: string) => {
    slot.endReason = reason
    metrics.deaths.inc({ reason })
    log({ event: 'worker-kill', pid: slot.pid, reason, silentMs: Date.now() - slot.beatAt, oldestAgeMs: slot.oldestAgeMs === null ? null : Math.round(slot.oldestAgeMs), oldestRequest: slot.oldestRequest })
    slot.worker.process.kill('SIGKILL')
    if (!stopping) replaceNow(slot, reason)
  }

  /** Forks a replacement for `slot` unless it has one on the way. */
  const replaceNow = (slot: Slot, reason: string) => {
    const pending = slot.replacement !== null ? slots.get(slot.replacement) : undefined
    if (pending) return
    const r = fork(reason, slot.worker.id)
    slot.replacement = r.worker.id
  }

  const onMessage = async (slot: Slot, m: WorkerMessage) => {
    slot.beatAt = Date.now() // any message is a sign of life
    switch (m.t) {
      case 'listening':
        resolveListening(m.port)
        // A user message that reaches a worker before its code listens for messages (it is still
        // loading its modules: seconds on a busy machine) is dropped: a drain sent then is repeated.
        if (slot.state === 'draining') sendDrain(slot)
        return
      case 'ready': {
        earlyDeaths = 0
        if (slot.state === 'starting') slot.state = 'ready'
        countStates()
        log({ event: 'worker-ready', pid: slot.pid, loadMs: m.loadMs })
        const old = slot.replaces !== null ? slots.get(slot.replaces) : undefined
        if (old && old.state === 'retiring') drainSlot(old, old.endReason ?? 'recycle')
        if (stopping) drainSlot(slot, 'stop')
        if (slot.state === 'draining') sendDrain(slot)
        return
      }
      case 'beat':
        slot.oldestAgeMs = m.oldestAgeMs
        slot.oldestRequest = m.oldestRequest
        return
      case 'retire':
        if (slot.state !== 'ready' && slot.state !== 'starting') return
        metrics.recycles.inc({ reason: m.reason })
        slot.endReason = m.reason
        log({ event: 'worker-retire', pid: slot.pid, reason: m.reason, requests: m.requests, rssBytes: m.rssBytes })
        if (stopping) return drainSlot(slot, 'stop')
        slot.state = 'retiring'
        countStates()
        replaceNow(slot, m.reason)
        // Another ready worker takes the traffic while the replacement loads: drain now. The last
        // ready worker serves on until its replacement is ready, so the port never goes unserved.
        if ([...slots.values()].some((s) => s !== slot && s.state === 'ready')) drainSlot(slot, m.reason)
        return
      case 'fatal':
        log({ event: 'worker-fatal', pid: slot.pid, reason: m.code, message: m.message })
        slot.endReason = 'fatal'
        failure ??= new MemgateError(m.code === 'INTERNAL' ? 'INTERNAL' : (m.code as MemgateError['code']), `A worker could not open the OCR engine: ${m.message}`)
        void stop('fatal')
        return
      case 'drained':
        log({ event: 'worker-drained', pid: slot.pid, drainMs: m.drainMs, handedOver: m.handedOver })
        return
      case 'handover':
        return // with its handle, in relay()
      case 'metrics-req': {
        let text: string
        try {
          text = `${await aggregator.clusterMetrics()}\n${await metrics.registry.metrics()}`
        } catch {
          // A hung worker does not answer prom-client's request: serve the primary's own figures.
          text = await metrics.registry.metrics()
        }
        const reply: PrimaryMessage = { t: 'metrics-res', id: m.id, contentType: metrics.registry.contentType, text }
        if (slot.worker.isConnected()) slot.worker.send(reply)
        return
      }
    }
  }

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.get(worker.id)
    if (!slot) return
    slots.delete(worker.id)
    countStates()
    const planned = slot.endReason !== null
    log({ event: 'worker-exit', pid: slot.pid, reason: slot.endReason ?? 'crash', code, signal, lifeMs: Date.now() - slot.bornAt })
    if (!planned) {
      metrics.deaths.inc({ reason: 'crash' })
      if (slot.state === 'starting') earlyDeaths++
    }
    // A replacement that died before it was ready leaves its predecessor retiring: try again.
    const predecessor = slot.replaces !== null ? slots.get(slot.replaces) : undefined
    if (predecessor && predecessor.replacement === worker.id) predecessor.replacement = null
    if (!stopping) {
      if (earlyDeaths >= MAX_EARLY_DEATHS) {
        failure ??= new MemgateError('TARGET_CRASHED', `${earlyDeaths} workers in a row exited before loading the engine (last: code ${code}, signal ${signal}); see their stderr above.`)
        void stop('crash-loop')
      } else if (!planned || slot.endReason === 'fatal') {
        if (!failure) fork('crash', null)
      } else if (predecessor && predecessor.state === 'retiring') {
        replaceNow(predecessor, predecessor.endReason ?? 'recycle')
      }
    }
    if (stopping && slots.size === 0) finish()
  })

  const watchdog = setInterval(() => {
    const now = Date.now()
    for (const slot of slots.values()) {
      if (slot.endReason === 'timeout' || slot.endReason === 'startup-timeout') continue
      if (slot.state === 'starting') {
        if (now - slot.bornAt > Math.max(STARTUP_GRACE_MS, options.timeoutMs)) kill(slot, 'startup-timeout')
        continue
      }
      const silentMs = now - slot.beatAt
      const oldest = slot.oldestAgeMs === null ? 0 : slot.oldestAgeMs + silentMs
      if (silentMs > options.timeoutMs || oldest > options.timeoutMs) kill(slot, 'timeout')
    }
  }, 250)

  let finished = false
  const finish = () => {
    if (finished) return
    finished = true
    clearInterval(watchdog)
    clearTimeout(hardStop)
    log({ event: 'primary-stopped', reason: failure ? failure.code : 'stop' })
    if (failure) rejectClosed(failure)
    else resolveClosed()
  }
  let hardStop: NodeJS.Timeout | undefined

  const stop = (reason = 'stop'): Promise<void> => {
    stopping ??= (async () => {
      log({ event: 'primary-stop', reason, workers: slots.size })
      for (const slot of slots.values()) {
        if (slot.endReason === 'timeout') continue
        slot.endReason = slot.endReason === 'fatal' ? 'fatal' : 'stop'
        drainSlot(slot, reason)
      }
      // In-flight requests get the request timeout to finish; then the rest is killed.
      hardStop = setTimeout(() => {
        for (const slot of slots.values()) {
          log({ event: 'worker-kill', pid: slot.pid, reason: 'drain-timeout' })
          slot.worker.process.kill('SIGKILL')
        }
      }, options.timeoutMs + 5000)
      hardStop.unref()
      if (slots.size === 0) finish()
      await closed.catch(() => undefined)
    })()
    return stopping
  }

  log({
    event: 'primary-start',
    pid: process.pid,
    workers: options.workers,
    profile: options.profile,
    threads: options.threads,
    threadsSource: options.threadsSource,
    store: options.store.kind,
    maxRequests: options.maxRequests,
    maxRequestsJitter: options.maxRequestsJitter,
    maxMemoryBytes: options.maxMemoryBytes,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency,
    profileEnv,
  })
  for (let i = 0; i < options.workers; i++) fork('start')

  const first = await Promise.race([listening, closed.then(() => null, (e: unknown) => Promise.reject(e))])
  if (first === null) throw failure ?? new MemgateError('TARGET_CRASHED', 'The service stopped before any worker listened.')
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`
  log({ event: 'primary-listening', url })
  return { port, url, closed, stop }
}
