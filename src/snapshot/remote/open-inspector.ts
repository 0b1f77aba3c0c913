/**
 * Opens (or finds) the inspector of a running Node.js process and closes it again afterwards,
 * leaving the target as it was found:
 *
 * 1. /proc checks: the PID exists, may be signalled, is Node, and handles SIGUSR1 (a process run
 *    with `--disable-sigusr1` has the default action, which would terminate it: never sent).
 * 2. An inspector already listening (one of the target's own listening sockets answers
 *    `/json/list`) is reused and left open.
 * 3. Otherwise the port SIGUSR1 would use (`--inspect-port`, NODE_OPTIONS, default 9229) is checked
 *    for another owner, SIGUSR1 is sent, and the new listening socket owned by the target's fds
 *    is found in /proc/PID/net/tcp{,6} (so the port is matched to the PID, never guessed).
 * 4. {@link RemoteInspector.release} closes an inspector memgate opened
 *    (`inspector.close()` through `Runtime.evaluate`, which works in CommonJS and ESM targets)
 *    and waits until the port no longer listens.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { RemoteSnapshotError } from './errors.js'
import { connectInspector, type InspectorClient } from './inspector-client.js'
import {
  inspectorAddressFrom,
  inspectTarget,
  isAlive,
  listeningSockets,
  nodeOptionsOf,
  ownListeningSockets,
  socketOwner,
  type ListeningSocket,
  type TargetProcess,
} from './proc.js'

/** A connected inspector session on a target process. */
export interface RemoteInspector {
  client: InspectorClient
  target: TargetProcess
  /** host:port of the inspector's HTTP/WebSocket endpoint. */
  host: string
  port: number
  /** True when the inspector was already open: memgate reused it and leaves it open. */
  wasOpen: boolean
  /**
   * Disconnects; closes the inspector if memgate opened it and waits (up to `timeoutMs`) for the
   * port to stop listening. Never throws.
   */
  release(): Promise<ReleaseResult>
}

/** What {@link RemoteInspector.release} left behind. */
export interface ReleaseResult {
  /** True when no inspector memgate opened is left listening (always true when it was already open). */
  inspectorClosed: boolean
  /** Why the inspector could not be closed, when it could not. */
  problem?: string
}

/** Options of {@link openRemoteInspector}. */
export interface OpenInspectorOptions {
  /** How long to wait for the inspector to open after SIGUSR1, and for each step of closing it, in ms. @default 10000 */
  timeoutMs?: number
}

const POLL_MS = 50

/**
 * Connects to the inspector of process `pid`, opening it with SIGUSR1 when needed.
 * @throws RemoteSnapshotError `no-such-process`, `permission-denied`, `not-node`,
 *   `inspector-unavailable`, `port-taken` or `target-exited`.
 */
export async function openRemoteInspector(pid: number, options: OpenInspectorOptions = {}): Promise<RemoteInspector> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const target = await inspectTarget(pid)
  const before = await ownListeningSockets(pid)
  const existing = await findInspector(before)
  if (existing) return connect(target, existing, true, timeoutMs)

  if (target.sigusr1 === 'default' || target.sigusr1 === 'ignored') {
    throw new RemoteSnapshotError(
      'inspector-unavailable',
      pid,
      `Process ${pid} does not handle SIGUSR1 (it ${target.sigusr1 === 'ignored' ? 'ignores it' : 'has the default action, which would terminate it'}), so its inspector cannot be opened from outside: it was probably started with --disable-sigusr1. Nothing was sent. Restart it without that flag, with --inspect=127.0.0.1:0, or with 'node --import memgate/heapdump' and send SIGUSR2.`,
    )
  }
  const address = inspectorAddressFrom(target.argv, await nodeOptionsOf(pid))
  await assertPortFree(pid, address.port, before)

  try {
    process.kill(pid, 'SIGUSR1')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EPERM') throw new RemoteSnapshotError('permission-denied', pid, `Not allowed to send SIGUSR1 to process ${pid} (EPERM). Run memgate as the process's user.`, { cause: error })
    throw new RemoteSnapshotError('target-exited', pid, `Process ${pid} exited before the inspector could be opened.`, { cause: error })
  }

  const known = new Set(before.map((s) => s.inode))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    await sleep(POLL_MS)
    if (!(await isAlive(pid))) throw new RemoteSnapshotError('target-exited', pid, `Process ${pid} exited right after SIGUSR1, before its inspector opened.`)
    const fresh = (await ownListeningSockets(pid)).filter((s) => !known.has(s.inode))
    const found = await findInspector(fresh)
    if (found) return connect(target, found, false, timeoutMs)
  }
  await assertPortFree(pid, address.port, before)
  throw new RemoteSnapshotError(
    'inspector-unavailable',
    pid,
    `Sent SIGUSR1 to process ${pid}, but no inspector opened within ${(timeoutMs / 1000).toFixed(1)} s. The process may handle SIGUSR1 itself (process.on('SIGUSR1')), run with --disable-sigusr1, or be a Node.js build without the inspector; the inspector may also have failed to bind ${address.host}:${address.port} (see the process's stderr). Restart it with --inspect=127.0.0.1:0, or use 'node --import memgate/heapdump' and SIGUSR2.`,
  )
}

/** A listening socket that answers like a Node.js inspector. */
interface FoundInspector {
  host: string
  port: number
  webSocketUrl: string
}

async function findInspector(sockets: readonly ListeningSocket[]): Promise<FoundInspector | null> {
  // The default inspector port first: the likeliest answer, and it spares the app's own ports a request.
  const ordered = [...sockets].sort((a, b) => Number(b.port === 9229) - Number(a.port === 9229))
  for (const s of ordered) {
    const host = s.address === '0.0.0.0' ? '127.0.0.1' : s.address === '::' || s.address === '::1' ? '[::1]' : s.address
    try {
      const response = await fetch(`http://${host}:${s.port}/json/list`, { signal: AbortSignal.timeout(2000) })
      if (!response.ok) continue
      const list = (await response.json()) as { webSocketDebuggerUrl?: string; type?: string }[]
      const entry = Array.isArray(list) ? list.find((e) => typeof e.webSocketDebuggerUrl === 'string') : undefined
      if (entry?.webSocketDebuggerUrl) {
        // The inspector reports the address it bound; connect where we found it.
        const url = new URL(entry.webSocketDebuggerUrl)
        url.host = `${host}:${s.port}`
        return { host, port: s.port, webSocketUrl: url.toString() }
      }
    } catch {
      // Not HTTP, not an inspector, or slow: not ours.
    }
  }
  return null
}

async function assertPortFree(pid: number, port: number, own: readonly ListeningSocket[]): Promise<void> {
  if (port === 0) return
  const ownInodes = new Set(own.map((s) => s.inode))
  const taken = (await listeningSockets(pid)).find((s) => s.port === port && !ownInodes.has(s.inode))
  if (!taken) return
  const owner = await socketOwner(taken.inode)
  throw new RemoteSnapshotError(
    'port-taken',
    pid,
    `Cannot open the inspector of process ${pid}: inspector port taken: ${port} is already in use by ${owner === null ? 'another process' : `process ${owner}`}, so SIGUSR1 would fail to bind it. Nothing was sent. Free the port${owner === null ? '' : ` (stop process ${owner} or close its inspector)`}, or restart the target with --inspect-port=0.`,
  )
}

async function connect(target: TargetProcess, found: FoundInspector, wasOpen: boolean, timeoutMs: number): Promise<RemoteInspector> {
  let client: InspectorClient
  try {
    client = await connectInspector(found.webSocketUrl, timeoutMs)
  } catch (error) {
    if (!wasOpen) await closeWithoutSession(target.pid, found, timeoutMs)
    if (!(await isAlive(target.pid))) throw new RemoteSnapshotError('target-exited', target.pid, `Process ${target.pid} exited while memgate connected to its inspector.`, { cause: error })
    throw new RemoteSnapshotError('protocol-error', target.pid, `Could not connect to the inspector of process ${target.pid} at ${found.webSocketUrl}: ${(error as Error).message}.`, { cause: error })
  }
  return {
    client,
    target,
    host: found.host,
    port: found.port,
    wasOpen,
    release: () => (wasOpen ? client.close().then(() => ({ inspectorClosed: true })) : closeInspector(target.pid, client, found.port, timeoutMs)),
  }
}

/**
 * Evaluated in the target: close its inspector a moment later, after this session has detached
 * (`inspector.close()` waits for sessions to end). `process.getBuiltinModule` (Node ≥ 20.16)
 * works in ESM and CommonJS; older versions get `require` from the command-line API. The module
 * is looked up now, not in the timer, where neither scope exists; errors never reach the app.
 */
const CLOSE_EXPRESSION = `(() => {
  try {
    const req = typeof require === 'function' ? require : undefined
    const inspector = process.getBuiltinModule?.('node:inspector') ?? req?.('node:inspector')
    if (!inspector) return 'unavailable'
    setTimeout(() => { try { inspector.close() } catch {} }, 50).unref?.()
    return 'scheduled'
  } catch { return 'unavailable' }
})()`

async function closeInspector(pid: number, client: InspectorClient, port: number, timeoutMs: number): Promise<ReleaseResult> {
  let answer = 'unavailable'
  try {
    const r = await withTimeout(client.send<{ result?: { value?: unknown } }>('Runtime.evaluate', { expression: CLOSE_EXPRESSION, includeCommandLineAPI: true, returnByValue: true, silent: true }), timeoutMs)
    answer = String(r.result?.value)
  } catch {
    // The target died or the session closed: the port check below tells.
  }
  await client.close()
  if (!(await isAlive(pid))) return { inspectorClosed: true }
  const closed = await waitPortClosed(pid, port, timeoutMs)
  if (closed) return { inspectorClosed: true }
  return {
    inspectorClosed: false,
    problem:
      answer === 'unavailable'
        ? `could not reach inspector.close() in process ${pid}; its inspector still listens on port ${port}`
        : `process ${pid}'s inspector still listens on port ${port} after inspector.close() (another debugger may be attached)`,
  }
}

/** When the WebSocket could not even be opened: nothing more can be done from outside but report. */
async function closeWithoutSession(pid: number, found: FoundInspector, timeoutMs: number): Promise<void> {
  try {
    const client = await connectInspector(found.webSocketUrl, timeoutMs)
    await closeInspector(pid, client, found.port, timeoutMs)
  } catch {
    // Reported by the caller's error.
  }
}

async function waitPortClosed(pid: number, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (!(await ownListeningSockets(pid)).some((s) => s.port === port)) return true
    if (Date.now() >= deadline || !(await isAlive(pid))) return !(await isAlive(pid))
    await sleep(POLL_MS)
  }
}

/** Rejects with a `timed-out` marker error after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(ms)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** A step did not finish within its time. */
export class TimeoutError extends Error {
  constructor(readonly afterMs: number) {
    super(`no answer within ${afterMs} ms`)
    this.name = 'TimeoutError'
  }
}
