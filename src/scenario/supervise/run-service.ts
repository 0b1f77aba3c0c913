/**
 * A scenario's service, on the parent's side: started (its own process group) and sampled as a
 * whole tree by the probe's watcher on its own clock, waited for (HTTP or TCP readiness), and
 * stopped at the end: SIGTERM to its root so it can drain, then SIGKILL to whatever is left of
 * its group. What the service says about its workers (`events`) is kept as tree events.
 */
import { request } from 'node:http'
import { createConnection, createServer } from 'node:net'
import { watchProcesses, type WatchResult } from '../../probe/index.js'
import type { ServiceCommandContext, ServiceDefinition, ServiceInfo, ServiceOutputEvent } from '../service-types.js'
import { processesInGroup, signalGroup } from './process-group.js'

/** Bytes of the service's stderr kept for the record. */
const STDERR_TAIL_BYTES = 4096
/** Time between two readiness probes, ms. */
const READY_POLL_MS = 100

/** A started, ready service. */
export interface RunningService {
  info: ServiceInfo
  command: string[]
  /** From start to ready, ms. */
  readyMs: number
  /** Stops it and returns what the watcher measured and what the service said. */
  stop(): Promise<StoppedService>
}

/** A stopped service. */
export interface StoppedService {
  watch: WatchResult
  outputEvents: ServiceOutputEvent[]
  stderrTail: string
  /** True when the runner ended it; false when it had exited by itself before. */
  endedByRunner: boolean
}

/** A service that exited or never became ready: the repeat fails with this. */
export class ServiceStartFailed extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
    readonly stopped: StoppedService | null,
  ) {
    super(message)
    this.name = 'ServiceStartFailed'
  }
}

/** Options of {@link startService}. */
export interface StartServiceOptions {
  intervalMs: number
  /** The run's environment (the service's own `env` is added over it). */
  env: Readonly<Record<string, string>>
  cwd: string
  workDir: string
  params: Record<string, unknown>
  variant: string | null
  repeat: number
  /** Aborting stops the service at once. */
  signal?: AbortSignal
}

/** Picks a free TCP port on `host` (the OS's choice, released at once for the service to take). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts the service and waits until it is ready.
 * @throws ServiceStartFailed when it exits first or is not ready within `readyTimeoutMs` (its
 *   stderr tail in the message); InputError when the command cannot start at all
 */
export async function startService(def: ServiceDefinition<never>, options: StartServiceOptions): Promise<RunningService> {
  const host = def.host ?? '127.0.0.1'
  const port = await freePort(host)
  const ctx: ServiceCommandContext<never> = { params: options.params as never, variant: options.variant, port, host, workDir: options.workDir, repeat: options.repeat }
  const argv = [...(typeof def.command === 'function' ? def.command(ctx) : def.command)]
  const extraEnv = typeof def.env === 'function' ? def.env(ctx) : (def.env ?? {})
  const stopper = new AbortController()
  let rootPid: number | null = null
  let stderrTail = ''
  const outputEvents: ServiceOutputEvent[] = []
  const partial = { stdout: '', stderr: '' }
  const onOutput = (chunk: string, stream: 'stdout' | 'stderr'): void => {
    if (stream === 'stderr') stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES)
    if (!def.events) return
    const lines = (partial[stream] + chunk).split('\n')
    partial[stream] = lines.pop() ?? ''
    for (const line of lines) {
      if (line.trim() === '') continue
      try {
        const e = def.events(line, stream)
        if (e) outputEvents.push({ ...e, atMs: e.atMs ?? Date.now() })
      } catch {
        // A line the parser cannot read is no event.
      }
    }
  }
  let endedByRunner = false
  const startedAtMs = Date.now()
  const watching: Promise<WatchResult> = watchProcesses({
    selection: { kind: 'command', argv },
    intervalMs: Math.max(10, options.intervalMs),
    durationMs: null,
    children: true,
    signal: stopper.signal,
    cwd: options.cwd,
    env: { ...options.env, ...extraEnv },
    onOutput,
    ...(def.smapsMinIntervalMs !== undefined ? { smapsMinIntervalMs: def.smapsMinIntervalMs } : {}),
    maxSamples: 5000,
    onTick: (tick) => {
      rootPid ??= tick.processes.find((p) => p.role === 'root')?.pid ?? null
    },
    endGroup: async (pgid) => {
      const left = await processesInGroup(pgid)
      endedByRunner = left.some((p) => p.pid === pgid)
      // The root first, so it can drain its workers; then the group, whatever is left of it.
      try {
        process.kill(pgid, 'SIGTERM')
      } catch {
        // Gone already.
      }
      const deadline = Date.now() + (def.stopGraceMs ?? 10_000)
      while (Date.now() < deadline && (await processesInGroup(pgid)).length > 0) await new Promise((r) => setTimeout(r, 50))
      signalGroup(pgid, 'SIGKILL')
      return left
    },
  })
  let watchDone: WatchResult | null = null
  void watching.then((w) => (watchDone = w), () => undefined)
  const onAbort = (): void => stopper.abort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const stop = async (): Promise<StoppedService> => {
    stopper.abort()
    const watch = await watching
    options.signal?.removeEventListener('abort', onAbort)
    return { watch, outputEvents, stderrTail, endedByRunner }
  }
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const deadline = startedAtMs + (def.readyTimeoutMs ?? 60_000)
  const ready = def.ready ?? { tcp: true as const }
  for (;;) {
    // An error here (command not found) is the watcher's: it rejects, and so do we.
    if (watchDone === null) await Promise.race([watching, new Promise((r) => setTimeout(r, 0))])
    if (watchDone !== null || options.signal?.aborted) {
      const stopped = await stop()
      throw new ServiceStartFailed(`The service \`${argv.join(' ')}\` exited before it was ready${exitOf(stopped.watch)}.${tailNote(stopped.stderrTail)}`, stopped.stderrTail, stopped)
    }
    const ok = 'http' in ready ? await httpReady(baseUrl + ready.http, ready.status) : await tcpReady(host, port)
    if (ok && rootPid !== null) break
    if (Date.now() >= deadline) {
      const stopped = await stop()
      const what = 'http' in ready ? `GET ${baseUrl}${ready.http} answered ${ready.status ?? '2xx'}` : `port ${port} accepted a connection`
      throw new ServiceStartFailed(`The service \`${argv.join(' ')}\` was not ready within ${def.readyTimeoutMs ?? 60_000} ms (waiting until ${what}); raise service.readyTimeoutMs or check the command.${tailNote(stopped.stderrTail)}`, stopped.stderrTail, stopped)
    }
    await new Promise((r) => setTimeout(r, READY_POLL_MS))
  }
  return { info: { url: baseUrl, host, port, pid: rootPid }, command: argv, readyMs: Date.now() - startedAtMs, stop }
}

function exitOf(watch: WatchResult): string {
  const exit = watch.command?.exit
  if (!exit) return ''
  return exit.signal ? ` (signal ${exit.signal})` : ` (exit code ${exit.exitCode})`
}

function tailNote(tail: string): string {
  const t = tail.trim()
  return t ? ` Its stderr ended with:\n${t.slice(-1500)}` : ' It wrote nothing on stderr.'
}

function httpReady(url: string, status: number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 2000 }, (res) => {
      res.resume()
      const code = res.statusCode ?? 0
      resolve(status !== undefined ? code === status : code >= 200 && code < 300)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
    req.end()
  })
}

function tcpReady(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}
