/**
 * The worker's time limit: past it, ask the worker to abort (so its stage records why), then kill
 * it after a grace period.
 */
import type { ChildProcess } from 'node:child_process'

/** A running time limit. */
export interface WorkerTimeout {
  /** True once the limit passed. */
  readonly fired: boolean
  clear(): void
}

/** Arms the limit on `child`; `kill` ends the worker (and its process group). */
export function armTimeout(child: ChildProcess, timeoutMs: number, graceMs: number, kill: () => void): WorkerTimeout {
  let fired = false
  let killTimer: NodeJS.Timeout | undefined
  const timer = setTimeout(() => {
    fired = true
    if (child.connected) child.send({ t: 'abort', reason: `timeout after ${timeoutMs} ms` }, () => undefined)
    killTimer = setTimeout(kill, graceMs)
  }, timeoutMs)
  return {
    get fired() {
      return fired
    },
    clear() {
      clearTimeout(timer)
      clearTimeout(killTimer)
    },
  }
}
