/**
 * HTTP load against a service, inside the worker (`ctx.load`): autocannon, imported on first
 * use. Every response is recorded as one of the stage's operations (its latency, ok when 2xx or
 * an expected status); the stage's `http` figures split them by outcome (2xx, other statuses,
 * connection errors, timeouts) and keep the latency of accepted (2xx) requests apart, since
 * under overload the fast 503s would otherwise hide what accepted requests cost.
 */
import { latencyStats } from './op-recorder.js'
import type { HttpStats } from '../run/schema.js'

/** One request of a load; fields override the load's own. */
export interface HttpRequestSpec {
  /** @default 'GET', or 'POST' when a body is given */
  method?: string
  /** Path on the service's base URL, e.g. `/ocr?lang=es`. @default '/' */
  path?: string
  headers?: Readonly<Record<string, string>>
  body?: string | Buffer
}

/** Options of `ctx.load`. Give `durationMs` or `amount` (amount wins when both are given). */
export interface HttpLoadOptions extends HttpRequestSpec {
  /** Base URL. @default the scenario's service (`ctx.service.url`) */
  url?: string
  /** Requests sent in turn (e.g. one per corpus image), cycling; they override the fields above. */
  requests?: readonly HttpRequestSpec[]
  /** Concurrent connections. @default 1 */
  connections?: number
  /** Requests in flight per connection. @default 1 */
  pipelining?: number
  /** Load for this long, ms. @default 10000 when `amount` is not given */
  durationMs?: number
  /** Send this many requests, then stop. */
  amount?: number
  /** A request with no response after this long counts as a timeout, ms. @default 30000 */
  timeoutMs?: number
  /** Statuses besides 2xx that are not op errors (e.g. `[503]` past capacity). @default [] */
  expectStatus?: readonly number[]
}

/** What one load did. */
export type HttpLoadResult = HttpStats

/** Where `ctx.load` records: the stage's op recorder and its http figures. */
export interface HttpLoadSink {
  recordResponse(latencyMs: number, ok: boolean, status: number): void
  recordFailure(message: string): void
}

/**
 * Drives one load and returns its figures (also recorded through `sink`).
 * @throws RangeError for a bad option; Error when autocannon cannot start (bad URL)
 */
export async function driveLoad(options: HttpLoadOptions, baseUrl: string | null, signal: AbortSignal, sink: HttpLoadSink): Promise<HttpLoadResult> {
  const url = options.url ?? baseUrl
  if (!url) throw new RangeError('ctx.load needs a url: declare a service in the scenario or pass { url }.')
  const connections = positiveInt('connections', options.connections ?? 1)
  const pipelining = positiveInt('pipelining', options.pipelining ?? 1)
  const amount = options.amount === undefined ? undefined : positiveInt('amount', options.amount)
  const durationMs = options.durationMs ?? 10_000
  if (!(durationMs > 0)) throw new RangeError(`ctx.load: durationMs must be positive, not ${durationMs}.`)
  const timeoutMs = options.timeoutMs ?? 30_000
  const expected = new Set(options.expectStatus ?? [])
  const base = { method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'), path: options.path ?? '/', headers: { ...options.headers }, body: options.body }
  const requests = (options.requests ?? []).map((r) => ({
    method: r.method ?? (r.body !== undefined ? 'POST' : base.method),
    path: r.path ?? base.path,
    headers: { ...base.headers, ...r.headers },
    ...(r.body !== undefined ? { body: r.body } : base.body !== undefined ? { body: base.body } : {}),
  }))
  const { default: autocannon } = await import('autocannon')
  const latencies: number[] = []
  const okLatencies: number[] = []
  const statusCounts: Record<string, number> = {}
  let ok = 0
  let non2xx = 0
  const t0 = performance.now()
  const result = await new Promise<import('autocannon').Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: url + (requests.length === 0 ? base.path : ''),
        method: base.method as never,
        headers: base.headers,
        ...(base.body !== undefined && requests.length === 0 ? { body: base.body as never } : {}),
        ...(requests.length > 0 ? { requests: requests as never } : {}),
        connections,
        pipelining,
        ...(amount !== undefined ? { amount } : { duration: durationMs / 1000 }),
        timeout: timeoutMs / 1000,
      },
      (error: Error | null, res: import('autocannon').Result) => (error ? reject(error) : resolve(res)),
    )
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      const key = String(status)
      statusCounts[key] = (statusCounts[key] ?? 0) + 1
      latencies.push(responseTime)
      const is2xx = status >= 200 && status < 300
      if (is2xx) {
        ok++
        okLatencies.push(responseTime)
      } else non2xx++
      sink.recordResponse(responseTime, is2xx || expected.has(status), status)
    })
    instance.on('reqError', (error: unknown) => sink.recordFailure(error instanceof Error ? error.message : String(error)))
    const stop = (): void => instance.stop()
    signal.addEventListener('abort', stop, { once: true })
    instance.on('done', () => signal.removeEventListener('abort', stop))
  })
  const durationMsActual = performance.now() - t0
  const requestsDone = ok + non2xx
  return {
    requests: requestsDone,
    ok,
    non2xx,
    statusCounts,
    errors: Math.max(0, result.errors - result.timeouts),
    timeouts: result.timeouts,
    sent: result.requests.sent,
    latencyMs: latencyStats(latencies),
    okLatencyMs: latencyStats(okLatencies),
    throughputPerSec: durationMsActual > 0 ? (requestsDone * 1000) / durationMsActual : 0,
    durationMs: durationMsActual,
    connections,
    pipelining,
  }
}

/** Latencies kept per stage for the http figures (the stage's ops keep their own sample). */
const MAX_HTTP_LATENCIES = 100_000

/** A stage's http figures over every `ctx.load` it made. */
export class HttpAccumulator {
  private readonly all: number[] = []
  private readonly accepted: number[] = []
  private totals: HttpStats | null = null

  /** Keeps one response's latency. */
  response(latencyMs: number, status: number): void {
    if (this.all.length < MAX_HTTP_LATENCIES) this.all.push(latencyMs)
    if (status >= 200 && status < 300 && this.accepted.length < MAX_HTTP_LATENCIES) this.accepted.push(latencyMs)
  }

  /** Adds one finished load's counts. */
  add(load: HttpStats): void {
    const t = this.totals
    if (!t) {
      this.totals = { ...load, statusCounts: { ...load.statusCounts } }
      return
    }
    for (const [k, v] of Object.entries(load.statusCounts)) t.statusCounts[k] = (t.statusCounts[k] ?? 0) + v
    t.requests += load.requests
    t.ok += load.ok
    t.non2xx += load.non2xx
    t.errors += load.errors
    t.timeouts += load.timeouts
    t.sent += load.sent
    t.durationMs += load.durationMs
    t.connections = load.connections
    t.pipelining = load.pipelining
  }

  /** The stage's figures, or undefined when it made no load. */
  stats(): HttpStats | undefined {
    const t = this.totals
    if (!t) return undefined
    return { ...t, latencyMs: latencyStats(this.all), okLatencyMs: latencyStats(this.accepted), throughputPerSec: t.durationMs > 0 ? (t.requests * 1000) / t.durationMs : 0 }
  }
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`ctx.load: ${name} must be a positive integer, not ${String(value)}.`)
  return value
}
