/**
 * The `service` declaration the `memgate serve` scenarios share (the leading underscore keeps this
 * file out of the scenario list): the command, readiness on /healthz, the stop grace, the smaps
 * interval and which lifecycle lines become tree events. Each scenario gives only its own flags.
 */
import { jsonLineEvents, memgateCommand, type ServiceCommandContext, type ServiceDefinition } from '../src/scenario/index.js'

/** What `memgate serve` prints about its workers (events.ts) and the tree event each becomes. */
const SERVE_EVENT_KINDS = { 'worker-retire': 'recycle', 'worker-kill': 'kill', 'worker-fatal': 'note', 'connection-dropped': 'note' } as const

/** Options of {@link serveService}. */
export interface ServeServiceOptions<P> {
  /** Flags after `memgate serve --port <port>` (workers, profile, recycling, store...). */
  args: (ctx: ServiceCommandContext<P>) => readonly string[]
  /** Extra environment of the service. */
  env?: ServiceDefinition<P>['env']
  /** @default 90000: workers load their models first */
  readyTimeoutMs?: number
  /** @default 30000: a worker still loading its models when the stop comes drains only once loaded */
  stopGraceMs?: number
  /** Least time between two PSS reads of one process, ms. @default 1000 */
  smapsMinIntervalMs?: number
}

/**
 * A scenario's `service`: `memgate serve --port <port> ...args`, ready when /healthz answers 200.
 * @example service: serveService({ args: ({ params }) => ['--workers', String(params.workers)] })
 */
export function serveService<P>(options: ServeServiceOptions<P>): ServiceDefinition<P> {
  return {
    command: (ctx) => memgateCommand('serve', '--port', String(ctx.port), ...options.args(ctx)),
    ...(options.env !== undefined ? { env: options.env } : {}),
    ready: { http: '/healthz' },
    readyTimeoutMs: options.readyTimeoutMs ?? 90_000,
    stopGraceMs: options.stopGraceMs ?? 30_000,
    smapsMinIntervalMs: options.smapsMinIntervalMs ?? 1000,
    events: jsonLineEvents({ kinds: SERVE_EVENT_KINDS }),
  }
}
