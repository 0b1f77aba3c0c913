/**
 * `memgate serve` options: what a caller may set, validated once into {@link ResolvedServeOptions}
 * with every default filled (STYLE.md §3). Workers receive the resolved object as JSON.
 */
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { ConfigError } from '../common/errors.js'
import { parseBytes } from '../common/units.js'
import { isProfileName, LEAN_PROFILE, PROFILE_NAMES, type ProfileName } from '../engine/index.js'
import { STORE_KINDS, type StoreKind } from './store/types.js'

/** Profile names: the engine's own list (one owner per name). */
export const SERVE_PROFILE_NAMES: readonly ProfileName[] = PROFILE_NAMES

/** Options of {@link serve}. Every field is optional. */
export interface ServeOptions {
  /** TCP port; 0 picks a free one (reported in the `listening` event). @default 8080 */
  port?: number
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string
  /** Worker processes (node:cluster). @default 1 */
  workers?: number
  /** A worker retires gracefully after this many requests (plus jitter); 0 = never (Gunicorn `max_requests`). @default 0 */
  maxRequests?: number
  /** Up to this many extra requests, drawn per worker, so workers do not all retire at once (Gunicorn `max_requests_jitter`). @default 0 */
  maxRequestsJitter?: number
  /** A worker whose RSS passes this retires after its in-flight requests; bytes or `'600 MiB'`; 0 = off. @default 0 */
  maxMemory?: number | string
  /** A request running longer than this, or a worker silent this long, gets the worker killed and replaced, seconds (Gunicorn `timeout`). @default 30 */
  timeoutSec?: number
  /** OCR requests in flight per worker (running or waiting for the engine); more get 503 with Retry-After. @default 2 */
  concurrency?: number
  /** Engine profile (one of the engine's PROFILE_NAMES). @default LEAN_PROFILE */
  profile?: ProfileName
  /** ONNX Runtime intra-op threads per worker. @default max(1, floor(cores / workers)) */
  threads?: number
  /** SQLite file; ignored when `databaseUrl` is set. @default '<cwd>/.cache/memgate/serve.db' */
  db?: string
  /** PostgreSQL connection string (the CLI passes `DATABASE_URL`); the SQLite file is not used then. */
  databaseUrl?: string
  /**
   * Which store: `postgres` needs `databaseUrl` (a ConfigError names it when missing), `sqlite`
   * ignores it. @default 'postgres' when `databaseUrl` is set, else 'sqlite'
   */
  store?: StoreKind
  /** Largest accepted upload, bytes or `'20 MiB'`; larger bodies get 413. @default 20 MiB */
  maxBodyBytes?: number | string
  /** Expose the deliberately naive store reads (`?mode=naive` on /results and /stats) for data-access comparisons. @default false */
  naiveEndpoints?: boolean
  /** A module whose `openEngine(options)` replaces the built-in engine (tests, experiments). */
  engineModule?: string
  /** Also append the worker lifecycle events (JSON lines) to this file. */
  eventsFile?: string
  /** Directory relative paths are resolved against. @default process.cwd() */
  cwd?: string
}

/** Options with every default filled and sizes in bytes. */
export interface ResolvedServeOptions {
  port: number
  host: string
  workers: number
  maxRequests: number
  maxRequestsJitter: number
  maxMemoryBytes: number
  timeoutMs: number
  concurrency: number
  profile: ProfileName
  threads: number
  /** How `threads` was chosen, recorded in events and /healthz. */
  threadsSource: 'option' | 'cores/workers'
  store: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }
  maxBodyBytes: number
  naiveEndpoints: boolean
  engineModule: string | null
  eventsFile: string | null
}

const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024

function int(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`Expected an integer from ${min} to ${max} for ${name} but received ${JSON.stringify(value)}`)
  }
  return value
}

/** Validates options and fills defaults. @throws ConfigError naming the option. */
export function resolveServeOptions(raw: ServeOptions = {}, cores = availableParallelism()): ResolvedServeOptions {
  const cwd = raw.cwd ?? process.cwd()
  const workers = int(raw.workers, '--workers', 1, 64, 1)
  const profile: unknown = raw.profile ?? LEAN_PROFILE
  if (!isProfileName(profile)) throw new ConfigError(`Unknown profile '${String(profile)}' for --profile; choose one of ${SERVE_PROFILE_NAMES.join(', ')}`)
  const timeoutSec = raw.timeoutSec ?? 30
  if (typeof timeoutSec !== 'number' || !(timeoutSec > 0) || timeoutSec > 86_400) throw new ConfigError(`Expected a number of seconds above 0 for --timeout but received ${JSON.stringify(timeoutSec)}`)
  // One ORT pool per worker: more threads than cores per worker only adds contention.
  const threads = int(raw.threads, '--threads', 1, 256, Math.max(1, Math.floor(cores / workers)))
  const host = raw.host ?? '127.0.0.1'
  if (typeof host !== 'string' || host.length === 0) throw new ConfigError('Expected a host name or address for --host')
  const storeKind: unknown = raw.store ?? (raw.databaseUrl ? 'postgres' : 'sqlite')
  if (!STORE_KINDS.includes(storeKind as StoreKind)) throw new ConfigError(`Unknown store '${String(storeKind)}' for --store; choose one of ${STORE_KINDS.join(', ')}`)
  if (storeKind === 'postgres' && !raw.databaseUrl) {
    throw new ConfigError('--store postgres needs a PostgreSQL connection string in DATABASE_URL (e.g. DATABASE_URL=postgresql://user@host:5432/db), and it is not set. Set it, or use --store sqlite.')
  }
  const maxBodyBytes = parseBytes(raw.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, '--max-body')
  if (maxBodyBytes < 1024) throw new ConfigError(`--max-body must be at least 1 KiB, received ${maxBodyBytes} bytes`)
  return {
    port: int(raw.port, '--port', 0, 65535, 8080),
    host,
    workers,
    maxRequests: int(raw.maxRequests, '--max-requests', 0, Number.MAX_SAFE_INTEGER, 0),
    maxRequestsJitter: int(raw.maxRequestsJitter, '--max-requests-jitter', 0, Number.MAX_SAFE_INTEGER, 0),
    maxMemoryBytes: parseBytes(raw.maxMemory ?? 0, '--max-memory'),
    timeoutMs: Math.round(timeoutSec * 1000),
    concurrency: int(raw.concurrency, '--concurrency', 1, 1024, 2),
    profile,
    threads,
    threadsSource: raw.threads === undefined ? 'cores/workers' : 'option',
    store: storeKind === 'postgres' && raw.databaseUrl ? { kind: 'postgres', url: raw.databaseUrl } : { kind: 'sqlite', file: resolve(cwd, raw.db ?? join('.cache', 'memgate', 'serve.db')) },
    maxBodyBytes,
    naiveEndpoints: raw.naiveEndpoints ?? false,
    engineModule: raw.engineModule ? resolve(cwd, raw.engineModule) : null,
    eventsFile: raw.eventsFile ? resolve(cwd, raw.eventsFile) : null,
  }
}

/** Gunicorn's rule: this worker's request budget is N + randint(0, J); null when recycling by count is off. */
export function drawMaxRequests(options: Pick<ResolvedServeOptions, 'maxRequests' | 'maxRequestsJitter'>, random: () => number = Math.random): number | null {
  if (options.maxRequests <= 0) return null
  return options.maxRequests + Math.floor(random() * (options.maxRequestsJitter + 1))
}
