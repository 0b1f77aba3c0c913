/**
 * The HTTP app (fastify): `POST /ocr`, `GET /healthz`, `GET /metrics`, `GET /results`, `GET /stats`.
 * Built from injected parts so it runs the same in a cluster worker and in a test.
 *
 * Limits: raw bodies and multipart files are capped at `maxBodyBytes` (413); at most `concurrency`
 * OCR requests per worker are in flight, the rest are refused with 503 and Retry-After before
 * their body is read, so nothing queues without bound.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { InputError, MemgateError } from '../common/errors.js'
import type { OcrResult } from '../engine/index.js'
import { canHandOver, ConnectionTracker, adoptHandle, type StreamHandle } from './handover.js'
import { codeOf, statusFor } from './http-errors.js'
import type { WorkerMetrics } from './metrics.js'
import { errorJson, okJson } from '../engine/index.js'
import type { ResolvedServeOptions } from './options.js'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, statsNaive, type NewResult, type ResultStore } from './store/index.js'

/** The part of the engine the service uses. */
export interface Recognizer {
  recognize(image: Uint8Array): Promise<OcrResult>
}

export interface AppDeps {
  /** Resolves once the models are loaded; /healthz answers 503 until then. */
  engine: Promise<Recognizer>
  store: ResultStore
  metrics: WorkerMetrics
  /** Prometheus text for the whole service (the primary's aggregate in a cluster). */
  metricsText(): Promise<{ contentType: string; text: string }>
  options: Pick<ResolvedServeOptions, 'maxBodyBytes' | 'concurrency' | 'naiveEndpoints'>
  /** Shown by /healthz (profile, threads, pid...). */
  info: Record<string, unknown>
  /** Called after each counted request (all but /healthz and /metrics): drives max-requests. */
  onCounted?(): void
}

export interface ServiceApp {
  app: FastifyInstance
  /** The oldest request in flight: start time (performance.now() ms) and `METHOD url`; null when idle. */
  oldestInFlight(): { startedMs: number; what: string } | null
  /** OCR requests in flight. */
  ocrInFlight(): number
  /**
   * Stop taking new work: /healthz says draining. With `handOver` (a live worker can take the
   * connections), each kept-alive connection is handed over at its next request boundary and
   * keeps its keep-alive; without it (the service stops), responses close their connections.
   */
  startDraining(handOver?: (handle: StreamHandle) => Promise<void>): void
  /** Stops accepting and resolves when every connection has ended or been handed over (requests in flight answered). */
  close(maxWaitMs: number): Promise<void>
  /** Serves a connection another worker handed over (see handover.ts). */
  adopt(handle: StreamHandle): void
  /** Connections handed over during the drain. */
  handedOver(): number
}

/** Keep-alive timeout advertised to clients, seconds. */
export const ADVERTISED_KEEP_ALIVE_S = 5
/** Idle time after which the server closes a kept-alive connection itself, milliseconds. */
export const SERVER_IDLE_MS = 15_000

const PROBES = new Set(['/healthz', '/metrics'])

/** Invoice total text (`"1234.56"`) as a number. */
function totalOf(r: OcrResult): number | null {
  const v = r.fields.total?.value
  const n = v === undefined ? NaN : Number(v)
  return Number.isFinite(n) ? n : null
}

function toNewResult(file: string, r: OcrResult, json: unknown): NewResult {
  return {
    file,
    text: r.text,
    lineCount: r.lines.length,
    confidence: r.confidence,
    ms: r.ms,
    total: totalOf(r),
    currency: r.fields.currency?.value ?? null,
    invoiceNumber: r.fields.invoiceNumber?.value ?? null,
    date: r.fields.date?.value ?? null,
    resultJson: JSON.stringify(json),
  }
}

function tooLarge(file: string, maxBodyBytes: number): InputError {
  return new InputError('INPUT_TOO_LARGE', `The upload ${file} is larger than this service accepts (${maxBodyBytes} bytes, --max-body). Downscale or compress the image.`, file)
}

/** Parses a positive integer query parameter or throws `QUERY_INVALID`. */
function queryInt(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw Object.assign(new Error(`Expected ${name} to be an integer from 1 to ${max} but received '${String(value)}'`), { code: 'QUERY_INVALID', statusCode: 400 })
  }
  return n
}

function naiveGuard(enabled: boolean, mode: unknown): boolean {
  if (mode === undefined || mode === 'sql') return false
  if (mode !== 'naive') throw Object.assign(new Error(`Expected mode=sql or mode=naive but received '${String(mode)}'`), { code: 'QUERY_INVALID', statusCode: 400 })
  if (!enabled) throw Object.assign(new Error('mode=naive reads the whole table and is off; start the service with --naive-endpoints to compare it'), { code: 'NAIVE_DISABLED', statusCode: 404 })
  return true
}

export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const { options, metrics, store } = deps
  const app = Fastify({
    logger: false,
    bodyLimit: options.maxBodyBytes,
    // Requests already on a kept-alive connection are served during a drain, not refused.
    return503OnClosing: false,
    forceCloseConnections: false,
    // Clients are told 5 s (Keep-Alive header below) and the server waits 15 s before closing an
    // idle connection, so the client always closes first and never writes a request into a
    // connection the server is closing ("other side closed"), even when its timers run late.
    keepAliveTimeout: SERVER_IDLE_MS,
  })
  const multipart = (await import('@fastify/multipart')).default
  await app.register(multipart, { limits: { fileSize: options.maxBodyBytes, files: 1, fields: 10, fieldSize: 1024, parts: 20 } })
  app.addContentTypeParser(/^image\/[\w.+-]+$/i, { parseAs: 'buffer', bodyLimit: options.maxBodyBytes }, (_req, body, done) => done(null, body))

  let ready = false
  let loadError: unknown = null
  let draining = false
  let handOver: ((handle: StreamHandle) => Promise<void>) | null = null
  const connections = new ConnectionTracker(app.server)
  deps.engine.then(
    () => (ready = true),
    (error: unknown) => (loadError = error),
  )
  const started = new Map<FastifyRequest, number>()
  const ocrSlots = new Set<FastifyRequest>()
  const fileNames = new WeakMap<FastifyRequest, string>()

  const release = (req: FastifyRequest) => {
    started.delete(req)
    if (ocrSlots.delete(req)) metrics.inFlight.set(ocrSlots.size)
  }

  app.addHook('onRequest', async (req, reply) => {
    started.set(req, performance.now())
    if (req.method === 'POST' && req.routeOptions.url === '/ocr') {
      // Checked before the body is read: fastify would otherwise parse text and JSON bodies itself.
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (!type.startsWith('image/') && type !== 'multipart/form-data') {
        const what = type ? `Content-Type ${type}` : 'a request without Content-Type'
        throw Object.assign(new Error(`POST /ocr takes an image: send multipart/form-data with a file part, or the raw image bytes with an image/* Content-Type; received ${what}.`), {
          code: 'INPUT_UNSUPPORTED_FORMAT',
          statusCode: 415,
        })
      }
      if (ocrSlots.size >= options.concurrency) {
        reply.header('retry-after', '1')
        reply.code(503).send(errorJson('', 'SERVICE_OVERLOADED', `This worker already has ${options.concurrency} OCR requests in flight (--concurrency); retry shortly.`))
        return reply
      }
      ocrSlots.add(req)
      metrics.inFlight.set(ocrSlots.size)
    }
  })
  app.addHook('onSend', async (_req, reply, payload) => {
    // Handed-over connections stay open: only a service that stops closes them.
    if (draining && !handOver) reply.header('connection', 'close')
    else reply.header('keep-alive', `timeout=${ADVERTISED_KEEP_ALIVE_S}`)
    return payload
  })
  app.addHook('onResponse', async (req, reply) => {
    const t0 = started.get(req)
    release(req)
    const route = req.routeOptions.url ?? 'unknown'
    metrics.requests.inc({ route, status: String(reply.statusCode) })
    if (t0 !== undefined) metrics.latency.observe({ route }, (performance.now() - t0) / 1000)
    if (!PROBES.has(route)) deps.onCounted?.()
  })
  app.addHook('onRequestAbort', async (req) => release(req))

  app.setErrorHandler((error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const code = codeOf(error)
    const given = (error as { statusCode?: number }).statusCode
    // Codes outside the table keep a 4xx the framework chose; anything else unknown is a 500.
    const status = statusFor(code) === 500 && code !== 'INTERNAL' && given !== undefined && given >= 400 && given < 500 ? given : statusFor(code)
    const route = req.routeOptions.url ?? 'unknown'
    const own = error instanceof MemgateError
    const message = code === 'INPUT_TOO_LARGE' && !own ? tooLarge(fileNames.get(req) ?? 'body', options.maxBodyBytes).message : error instanceof Error ? error.message : String(error)
    metrics.errors.inc({ route, code })
    if (route === '/ocr') return reply.code(status).send(errorJson(fileNames.get(req) ?? '', code, message))
    return reply.code(status).send({ ok: false, error: { code, message } })
  })

  app.get('/healthz', async (_req, reply) => {
    const status = draining ? 'draining' : ready ? 'ready' : loadError ? 'failed' : 'loading'
    return reply.code(status === 'ready' ? 200 : 503).send({ status, ...deps.info })
  })

  app.get('/metrics', async (_req, reply) => {
    const { contentType, text } = await deps.metricsText()
    return reply.type(contentType).send(text)
  })

  app.post('/ocr', async (req, reply) => {
    let file = 'body'
    let bytes: Buffer | undefined
    if (req.isMultipart()) {
      const part = await req.file()
      if (!part) throw new InputError('INPUT_EMPTY', 'The multipart request has no file part; send the image as a file field (e.g. curl -F file=@page.png).')
      file = part.filename || part.fieldname || 'upload'
      fileNames.set(req, file)
      bytes = await part.toBuffer()
      // toBuffer() misses the limit when busboy flags it after the last chunk: check again.
      if (part.file.truncated) throw tooLarge(file, options.maxBodyBytes)
    } else {
      const name = req.headers['x-file-name']
      if (typeof name === 'string' && name) file = name
      fileNames.set(req, file)
      bytes = Buffer.isBuffer(req.body) ? req.body : undefined
    }
    if (!bytes || bytes.length === 0) throw new InputError('INPUT_EMPTY', `The uploaded image ${file} is empty (0 bytes). Send the image file's bytes.`)
    const engine = await deps.engine
    const result = await engine.recognize(bytes)
    const json = okJson(file, result)
    const id = await store.insert(toNewResult(file, result, json))
    reply.header('x-memgate-result-id', String(id))
    return json
  })

  app.get('/results', async (req) => {
    const q = req.query as Record<string, unknown>
    if (naiveGuard(options.naiveEndpoints, q.mode)) {
      const rows = await store.readAllNaive()
      return { mode: 'naive', total: rows.length, items: rows }
    }
    const page = queryInt(q.page, 'page', 1, 10_000_000)
    const pageSize = queryInt(q.pageSize, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    return store.page(page, pageSize)
  })

  app.get('/stats', async (req) => {
    const q = req.query as Record<string, unknown>
    if (naiveGuard(options.naiveEndpoints, q.mode)) return { mode: 'naive', ...(await statsNaive(store)) }
    return { mode: 'sql', ...(await store.stats()) }
  })

  return {
    app,
    oldestInFlight() {
      let oldest: { startedMs: number; what: string } | null = null
      for (const [req, t] of started) if (oldest === null || t < oldest.startedMs) oldest = { startedMs: t, what: `${req.method} ${req.url}` }
      return oldest
    },
    ocrInFlight: () => ocrSlots.size,
    startDraining(send) {
      draining = true
      if (send && canHandOver(app.server)) handOver = send
    },
    async close(maxWaitMs: number) {
      // Node's server.close() also closes idle keep-alive connections, and a client may be writing
      // its next request to one at that instant ("other side closed"). Keep them instead: they are
      // handed over to a live worker at a request boundary; when none can take them (the service
      // stops), their next request is served with Connection: close, and the client's own idle
      // timeout (shorter than ours) ends the rest. After the server's idle timeout, whatever is
      // idle is closed.
      const server = app.server
      const closeIdle = server.closeIdleConnections.bind(server)
      server.closeIdleConnections = () => undefined
      let sweeper: NodeJS.Timeout | undefined
      let idleTimer: NodeJS.Timeout | undefined
      const send = handOver
      if (send) {
        const sweep = () => {
          for (const socket of connections.idle()) void connections.handOver(socket, send)
        }
        // At once after each answer: a client like autocannon writes its next request within a
        // millisecond, and a connection is only handed over between requests.
        connections.onSettled = (socket) => void connections.handOver(socket, send)
        sweep()
        // Connections accepted while the listener closes, and ones whose answer left before the drain.
        sweeper = setInterval(sweep, 25)
      } else idleTimer = setTimeout(closeIdle, SERVER_IDLE_MS + 500)
      const hardTimer = setTimeout(() => server.closeAllConnections(), Math.max(maxWaitMs, SERVER_IDLE_MS + 1000))
      try {
        // app.close() waits for the connections the listener accepted; adopted ones are only in the tracker.
        await Promise.all([app.close(), connections.whenEmpty()])
      } finally {
        clearInterval(sweeper)
        clearTimeout(idleTimer)
        clearTimeout(hardTimer)
        connections.onSettled = null
      }
    },
    adopt(handle) {
      adoptHandle(app.server, handle)
    },
    handedOver: () => connections.handedOver,
  }
}
