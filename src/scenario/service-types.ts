/**
 * A service target: a scenario may declare a command the runner starts before each worker (its
 * own process group), waits for, samples as a whole process tree on its own clock, and stops at
 * the end. The worker then only drives load (`ctx.load`) against `ctx.service.url`. Any program
 * that listens on a TCP port fits: `memgate serve`, a Python `http.server`, Gunicorn.
 * Types only: this file is loaded by the worker too.
 */

/** What a service's `command` and `env` functions receive, in the runner's process. */
export interface ServiceCommandContext<P> {
  params: P
  /** The run's variant (`--profile`), or the scenario's default; null when it declares none. */
  variant: string | null
  /** A free TCP port the runner picked for this repeat: pass it to the command. */
  port: number
  /** The interface to listen on. @default '127.0.0.1' */
  host: string
  /** A scratch directory for this repeat (databases, sockets), removed afterwards. */
  workDir: string
  /** Index of the repeat, from 0. */
  repeat: number
}

/**
 * When the service is ready: `{ http: '/healthz' }` waits for a 2xx (or `status`) on that path of
 * the base URL; `{ tcp: true }` for the port to accept a connection.
 */
export type ServiceReady = { http: string; status?: number } | { tcp: true }

/** Something the service said about itself (a JSON lifecycle line), turned into a tree event. */
export interface ServiceOutputEvent {
  /** ms since the epoch; the moment the line was read when absent. */
  atMs?: number
  kind: 'start' | 'exit' | 'recycle' | 'kill' | 'note'
  pid: number | null
  message: string
}

/** A process of the service's tree, as `roles` sees it. */
export interface ServiceProcessInfo {
  pid: number
  ppid: number | null
  command: string
  /** True for the command the runner started. */
  root: boolean
}

/** The service a scenario runs against. See {@link ServiceCommandContext}. */
export interface ServiceDefinition<P = Record<string, unknown>> {
  /** The command line (`argv[0]` looked up on PATH), or a function of the parameters and port. */
  command: readonly string[] | ((ctx: ServiceCommandContext<P>) => readonly string[])
  /** Extra environment of the service (the run's environment is inherited), or a function giving it. */
  env?: Readonly<Record<string, string>> | ((ctx: ServiceCommandContext<P>) => Readonly<Record<string, string>>)
  /** @default { tcp: true } */
  ready?: ServiceReady
  /** How long the service may take to be ready, ms; then the repeat fails with its stderr. @default 60000 */
  readyTimeoutMs?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Time between SIGTERM to the service's root and SIGKILL to its group at the end, ms. @default 10000 */
  stopGraceMs?: number
  /** Role of each process in run.json. @default root → 'primary', others → 'worker' */
  roles?: (process: ServiceProcessInfo) => string | null
  /**
   * Reads the service's output, one line at a time: a line the service prints about its workers
   * (born, retired, killed) becomes an event of the repeat. When it reports recycles, the runner
   * trusts them over its own guess (a death and a birth under one parent within one interval).
   */
  events?: (line: string, stream: 'stdout' | 'stderr') => ServiceOutputEvent | null
  /**
   * Least time between two PSS reads (`smaps_rollup`) of one process, ms. @default the watcher's:
   * about one read a second over the whole tree
   */
  smapsMinIntervalMs?: number
}

/** What a stage knows of the running service: `ctx.service`. */
export interface ServiceInfo {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  url: string
  host: string
  port: number
  /** PID of the command the runner started. */
  pid: number
}
