/** Worker lifecycle events as JSON lines: births, readiness, retirements, kills and deaths, with pid and reason. */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type ServiceEventName =
  | 'primary-start'
  | 'primary-listening'
  | 'primary-stop'
  | 'primary-stopped'
  | 'worker-fork'
  | 'worker-ready'
  | 'worker-retire'
  | 'worker-drain'
  | 'worker-drained'
  | 'worker-kill'
  | 'worker-exit'
  | 'worker-fatal'
  /** A connection handed over by a draining worker found no live worker and was closed. */
  | 'connection-dropped'

export interface ServiceEvent {
  /** Milliseconds since the epoch. */
  atMs: number
  event: ServiceEventName
  pid?: number
  reason?: string
  [key: string]: unknown
}

export type EventSink = (event: ServiceEvent) => void

/** A sink writing one JSON line per event to `write`, and to `file` when given. */
export function jsonLineSink(write: (line: string) => void, file: string | null): EventSink {
  if (file) mkdirSync(dirname(file), { recursive: true })
  return (event) => {
    const line = `${JSON.stringify(event)}\n`
    write(line)
    if (file) appendFileSync(file, line)
  }
}
