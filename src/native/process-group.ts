/**
 * Runs a command as the leader of its own process group, so it and everything it starts (heaptrack's
 * launcher script, the traced program, heaptrack's interpreter and compressor) end together: on
 * timeout, after it exits, and when this process exits.
 */
import { spawn } from 'node:child_process'

/** How a group's leader ended. */
export interface GroupExit {
  /** PID of the leader, which is also the process group's id. */
  pid: number
  /** Exit code of the leader, or null when a signal ended it. */
  code: number | null
  signal: NodeJS.Signals | null
  /** True when `timeoutMs` passed and the group was killed. */
  timedOut: boolean
  /** True when `signal` aborted and the group was killed. */
  aborted: boolean
  /** Everything the leader's stdout carried (`keepStdout: 'all'`) or its last `tailBytes`. */
  stdout: string
  /** The last `tailBytes` of stderr. */
  stderr: string
  wallMs: number
}

/** Options of {@link runGroup}. */
export interface GroupOptions {
  /** Environment of the leader (complete; not merged here). */
  env: NodeJS.ProcessEnv
  cwd?: string
  /** Kill the group after this long. */
  timeoutMs: number
  /** `'all'` keeps all of stdout (a parser reads it); `'tail'` keeps the last `tailBytes`. @default 'tail' */
  keepStdout?: 'all' | 'tail'
  /** Bytes of output kept for error messages. @default 8192 */
  tailBytes?: number
  /** Time between SIGTERM and SIGKILL on timeout or abort, ms. @default 2000 */
  graceMs?: number
  /** Aborting kills the group like a timeout. */
  signal?: AbortSignal
}

const liveGroups = new Set<number>()
let exitHookInstalled = false

/** Sends `signal` to a whole process group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false // ESRCH: nothing left in the group
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // 'exit' handlers must be synchronous; a SIGKILL per group is.
  process.once('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL')
  })
}

function appendTail(kept: string, chunk: string, max: number): string {
  const joined = kept + chunk
  return joined.length > max ? joined.slice(joined.length - max) : joined
}

/**
 * Spawns `file args` detached (a new session, so a new process group whose id is the leader's PID),
 * collects its output, kills the group on timeout or abort (SIGTERM, then SIGKILL), and resolves when the leader has exited and the group has been swept with
 * SIGKILL. Never rejects for a non-zero exit: the caller decides what that means.
 */
export function runGroup(file: string, args: readonly string[], options: GroupOptions): Promise<GroupExit> {
  const tailBytes = options.tailBytes ?? 8192
  const graceMs = options.graceMs ?? 2000
  const started = performance.now()
  return new Promise<GroupExit>((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    const pgid = child.pid
    let stdout = ''
    let stderr = ''
    let timedOut = false
    let aborted = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = options.keepStdout === 'all' ? stdout + chunk : appendTail(stdout, chunk, tailBytes)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = appendTail(stderr, chunk, tailBytes)
    })
    if (pgid === undefined) {
      child.once('error', reject)
      return
    }
    liveGroups.add(pgid)
    installExitHook()
    let killTimer: NodeJS.Timeout | undefined
    const stop = () => {
      if (killTimer) return
      signalGroup(pgid, 'SIGTERM')
      killTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs)
    }
    const timeout = setTimeout(() => {
      timedOut = true
      stop()
    }, options.timeoutMs)
    const onAbort = () => {
      aborted = true
      stop()
    }
    if (options.signal?.aborted) onAbort()
    else options.signal?.addEventListener('abort', onAbort, { once: true })
    child.once('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort)
      clearTimeout(timeout)
      clearTimeout(killTimer)
      signalGroup(pgid, 'SIGKILL')
      liveGroups.delete(pgid)
      reject(error)
    })
    child.once('exit', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort)
      clearTimeout(timeout)
      clearTimeout(killTimer)
      // Whatever the leader left behind in its group ends with it.
      signalGroup(pgid, 'SIGKILL')
      liveGroups.delete(pgid)
      const finish = () => resolve({ pid: pgid, code, signal, timedOut, aborted, stdout, stderr, wallMs: performance.now() - started })
      // Output still in the pipes arrives before 'close'; a process that left the group could
      // hold them open forever, so wait a little, then stop reading.
      const closeTimer = setTimeout(() => {
        child.stdout.destroy()
        child.stderr.destroy()
        finish()
      }, 2000)
      child.once('close', () => {
        clearTimeout(closeTimer)
        finish()
      })
    })
  })
}
