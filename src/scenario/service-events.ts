/**
 * Helpers for a scenario's `service`: memgate's own CLI as a command, and a reader of JSON
 * lifecycle lines (one object a line, as `memgate serve` prints on stderr and many process
 * managers can) for `service.events`. Light: the worker loads this file too.
 */
import { join } from 'node:path'
import { packageRoot } from './paths.js'
import type { ServiceOutputEvent } from './service-types.js'

/**
 * The command line that runs memgate's CLI with `args`, with this Node.
 * @example command: ({ port }) => memgateCommand('serve', '--port', String(port), '--workers', '2')
 */
export function memgateCommand(...args: string[]): string[] {
  return [process.execPath, join(packageRoot(), 'bin', 'memgate.js'), ...args]
}

/** Options of {@link jsonLineEvents}. */
export interface JsonLineEventOptions {
  /** Event names (the `event` field) and the tree-event kind each becomes; other lines are ignored. */
  kinds: Readonly<Record<string, ServiceOutputEvent['kind']>>
  /** Field holding the event name. @default 'event' */
  eventKey?: string
  /** Field holding the process id. @default 'pid' */
  pidKey?: string
  /** Field holding the time, ms since the epoch. @default 'atMs' */
  timeKey?: string
}

/**
 * A `service.events` reader for JSON lines: `{"atMs":…,"event":"worker-retire","pid":42,"reason":"max-requests"}`
 * becomes a `recycle` event of pid 42 when `kinds` maps `worker-retire` to `recycle`.
 * @example events: jsonLineEvents({ kinds: { 'worker-retire': 'recycle', 'worker-kill': 'kill' } })
 */
export function jsonLineEvents(options: JsonLineEventOptions): (line: string) => ServiceOutputEvent | null {
  const eventKey = options.eventKey ?? 'event'
  const pidKey = options.pidKey ?? 'pid'
  const timeKey = options.timeKey ?? 'atMs'
  return (line) => {
    if (!line.startsWith('{')) return null
    const o = JSON.parse(line) as Record<string, unknown>
    const name = o[eventKey]
    if (typeof name !== 'string') return null
    const kind = options.kinds[name]
    if (!kind) return null
    const pid = typeof o[pidKey] === 'number' ? (o[pidKey] as number) : null
    const atMs = typeof o[timeKey] === 'number' ? (o[timeKey] as number) : undefined
    const details = Object.entries(o)
      .filter(([k]) => k !== eventKey && k !== pidKey && k !== timeKey)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ')
    return { ...(atMs !== undefined ? { atMs } : {}), kind, pid, message: `${name}${pid !== null ? ` ${pid}` : ''}${details ? ` (${details})` : ''}` }
  }
}
