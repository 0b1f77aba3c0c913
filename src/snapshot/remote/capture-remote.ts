/**
 * `captureRemoteSnapshot`: a heap snapshot of a running Node.js process that memgate did not
 * start, through its inspector (see open-inspector.ts for how the inspector is found, opened and
 * closed again). Chunks of `HeapProfiler.addHeapSnapshotChunk` are appended to a temporary file
 * beside `outFile` as they arrive, renamed at the end; if the target dies mid-way the temporary
 * file is removed, so no half snapshot is ever left. The file is the standard `.heapsnapshot`
 * format: `memgate inspect`, `memgate diff` and Chrome DevTools read it.
 *
 * An abort (the CLI's SIGINT/SIGTERM) stops writing at once and removes the temporary file. V8
 * cannot stop a snapshot it has begun, and the target answers nothing else until it is done, so
 * closing the inspector waits for the target to finish it (its chunks are dropped).
 */
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { openAtomicStream } from '../../common/fs.js'
import { RemoteSnapshotError } from './errors.js'
import { InspectorClosedError, InspectorCommandError } from './inspector-client.js'
import { estimateSnapshotMemory, insufficientMemoryError, SNAPSHOT_MEMORY_FACTOR, type SnapshotMemoryEstimate } from './memory-estimate.js'
import { openRemoteInspector, TimeoutError, withTimeout, type ReleaseResult, type RemoteInspector } from './open-inspector.js'
import { isAlive } from './proc.js'

/**
 * Progress of a remote capture. `building`: V8 walks the heap (the target is paused); `writing`:
 * chunks arrive; `abandoned`: aborted mid-snapshot, the target is finishing it (`close()` waits).
 */
export type RemoteCaptureProgress =
  | { phase: 'connected'; port: number; inspectorWasOpen: boolean }
  | { phase: 'building'; done: number; total: number }
  | { phase: 'writing'; bytesWritten: number }
  | { phase: 'abandoned'; pid: number }

/** Options of {@link openRemoteSnapshotSession}. */
export interface RemoteSessionOptions {
  /** The target process. */
  pid: number
  /** Snapshot even when the memory estimate says the host lacks room. @default false */
  force?: boolean
  /** Called as each capture advances (on a TTY, the CLI draws a progress line from it). */
  onProgress?: (progress: RemoteCaptureProgress) => void
  /** Wait for the inspector to open, and for each small protocol step, in ms. @default 10000 */
  timeoutMs?: number
  /** Longest a snapshot may take before the target is considered hung, in ms. @default 1800000 (30 min) */
  snapshotTimeoutMs?: number
  /** Peak RSS increase per byte of used heap assumed by the memory check. @default SNAPSHOT_MEMORY_FACTOR */
  memoryFactor?: number
  /**
   * Abandons the capture (the CLI passes SIGINT/SIGTERM): nothing more is written, the temporary
   * file is removed, and the session or `take` rejects with reason `interrupted`. `close()` still
   * closes the inspector, after the target has finished a snapshot V8 had begun (at most
   * `snapshotTimeoutMs`).
   */
  signal?: AbortSignal
}

/** Options of {@link captureRemoteSnapshot}. */
export interface RemoteCaptureOptions extends RemoteSessionOptions {
  /** Where to write the `.heapsnapshot` (directories are created; relative to the cwd). */
  outFile: string
}

/** One snapshot written by a session. */
export interface RemoteSnapshotFile {
  /** Absolute path of the snapshot. */
  path: string
  sizeBytes: number
  /** The memory check made just before it. */
  memory: SnapshotMemoryEstimate
  /** Wall time from the memory check to the file's rename, in ms. */
  durationMs: number
}

/** What a remote capture wrote and what it found. */
export interface RemoteCaptureResult extends RemoteSnapshotFile {
  pid: number
  /** The inspector port used. */
  port: number
  /** True when the inspector was already open (it was reused and left open). */
  inspectorWasOpen: boolean
  /** True when no inspector memgate opened is left listening. */
  inspectorClosed: boolean
  /** Why the inspector could not be closed, when it could not. */
  warning?: string
}

/**
 * An inspector session on a target that can take several snapshots. Snapshots of one session
 * share V8's object ids, so `diffSnapshotFiles` matches objects one by one; V8 forgets the ids
 * when a session ends, so snapshots from separate sessions only compare by class totals (their
 * "new" and "freed" counts mean little). Always `close()` it.
 */
export interface RemoteSnapshotSession {
  pid: number
  port: number
  inspectorWasOpen: boolean
  /** Checks memory (unless `force`), then writes one snapshot to `outFile`. */
  take(outFile: string): Promise<RemoteSnapshotFile>
  /**
   * Ends the session and closes the inspector if memgate opened it (after an abandoned snapshot,
   * once the target has finished it). Never throws.
   */
  close(): Promise<ReleaseResult>
}

/**
 * Opens the inspector of process `pid` for one or more snapshots.
 * @throws RemoteSnapshotError as {@link captureRemoteSnapshot}.
 * @example
 * const session = await openRemoteSnapshotSession({ pid })
 * try { await session.take('a.heapsnapshot'); await load(); await session.take('b.heapsnapshot') } finally { await session.close() }
 */
export async function openRemoteSnapshotSession(options: RemoteSessionOptions): Promise<RemoteSnapshotSession> {
  const { pid, signal } = options
  const timeoutMs = options.timeoutMs ?? 10_000
  const snapshotTimeoutMs = options.snapshotTimeoutMs ?? 30 * 60_000
  if (signal?.aborted) throw interrupted(pid, 'nothing was sent to it')
  // Not abandoned half-way: after SIGUSR1 the inspector opens anyway, and only a session can close it.
  const inspector = await openRemoteInspector(pid, { timeoutMs })
  if (signal?.aborted) {
    await inspector.release()
    throw interrupted(pid, 'no snapshot was taken; its inspector was closed again')
  }
  options.onProgress?.({ phase: 'connected', port: inspector.port, inspectorWasOpen: inspector.wasOpen })
  let closing: Promise<ReleaseResult> | null = null
  /** A snapshot the target is still taking after an abort: the inspector answers once it is done. */
  let abandoned: Promise<unknown> | null = null
  return {
    pid,
    port: inspector.port,
    inspectorWasOpen: inspector.wasOpen,
    async take(outFile) {
      const path = resolve(outFile)
      if (signal?.aborted) throw interrupted(pid, 'no snapshot was taken')
      const startedMs = performance.now()
      const memory = await step(inspector, untilAborted(estimateSnapshotMemory(inspector.client, pid, options.memoryFactor ?? SNAPSHOT_MEMORY_FACTOR), signal, pid), timeoutMs, 'reading heap figures')
      if (!memory.fits && !options.force) throw insufficientMemoryError(pid, memory)
      await writeSnapshot(inspector, path, snapshotTimeoutMs, options.onProgress, signal, (pending) => (abandoned = pending))
      const durationMs = performance.now() - startedMs
      const { size } = await stat(path)
      return { path, sizeBytes: size, memory, durationMs }
    },
    close: () =>
      (closing ??= (async () => {
        // Rejections included: a target that died while finishing it is what release() checks for.
        if (abandoned) await withTimeout(abandoned, snapshotTimeoutMs).catch(() => undefined)
        return inspector.release()
      })()),
  }
}

/**
 * Takes a heap snapshot of process `pid` over its inspector, then leaves the target as found.
 * @throws RemoteSnapshotError: `no-such-process`, `permission-denied`, `not-node`,
 *   `inspector-unavailable`, `port-taken`, `insufficient-memory` (exit 2); `target-exited`,
 *   `timed-out` (exit 3); `protocol-error`, `write-failed` (exit 2).
 * @example
 * const { path, sizeBytes } = await captureRemoteSnapshot({ pid: 4242, outFile: 'staging.heapsnapshot' })
 */
export async function captureRemoteSnapshot(options: RemoteCaptureOptions): Promise<RemoteCaptureResult> {
  const session = await openRemoteSnapshotSession(options)
  let file: RemoteSnapshotFile
  try {
    file = await session.take(options.outFile)
  } finally {
    await session.close()
  }
  const { inspectorClosed, problem } = await session.close()
  return { ...file, pid: session.pid, port: session.port, inspectorWasOpen: session.inspectorWasOpen, inspectorClosed, ...(problem ? { warning: problem } : {}) }
}

async function writeSnapshot(
  inspector: RemoteInspector,
  path: string,
  snapshotTimeoutMs: number,
  onProgress: RemoteCaptureOptions['onProgress'],
  signal: AbortSignal | undefined,
  onAbandoned: (pending: Promise<unknown>) => void,
): Promise<void> {
  const { client } = inspector
  const pid = inspector.target.pid
  let out: Awaited<ReturnType<typeof openAtomicStream>>
  try {
    out = await openAtomicStream(path)
  } catch (error) {
    throw writeFailed(pid, path, error)
  }
  let bytesWritten = 0
  let writeError: Error | null = null
  out.stream.on('error', (error) => (writeError ??= error))
  const offChunk = client.on('HeapProfiler.addHeapSnapshotChunk', (params) => {
    const chunk = params['chunk'] as string
    bytesWritten += Buffer.byteLength(chunk)
    // No backpressure on purpose: pausing the socket would make the target buffer the chunks.
    out.stream.write(chunk)
    onProgress?.({ phase: 'writing', bytesWritten })
  })
  const offProgress = client.on('HeapProfiler.reportHeapSnapshotProgress', (params) => {
    onProgress?.({ phase: 'building', done: Number(params['done']), total: Number(params['total']) })
  })
  let taking: Promise<unknown> | null = null
  try {
    await step(inspector, untilAborted(client.send('HeapProfiler.enable'), signal, pid), snapshotTimeoutMs, 'enabling the heap profiler')
    taking = client.send('HeapProfiler.takeHeapSnapshot', { reportProgress: true, captureNumericValue: false })
    await step(inspector, untilAborted(taking, signal, pid), snapshotTimeoutMs, 'taking the snapshot')
    taking = null
    if (writeError) throw writeFailed(pid, path, writeError)
    try {
      await out.commit()
    } catch (error) {
      throw writeFailed(pid, path, error)
    }
  } catch (error) {
    offChunk() // before the file goes: no chunk may recreate it
    await out.abort()
    if (taking && error instanceof RemoteSnapshotError && error.reason === 'interrupted') {
      onAbandoned(taking)
      onProgress?.({ phase: 'abandoned', pid })
    }
    throw error
  } finally {
    offChunk()
    offProgress()
  }
}

/** `promise`, or a rejection with reason `interrupted` as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, pid: number): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(interrupted(pid, 'no file was written'))
  let onAbort = (): void => undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(interrupted(pid, 'no file was written'))
    signal.addEventListener('abort', onAbort, { once: true })
  })
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort))
}

function interrupted(pid: number, what: string): RemoteSnapshotError {
  return new RemoteSnapshotError('interrupted', pid, `Interrupted: the capture from process ${pid} was abandoned; ${what}.`)
}

/** Runs one protocol step and turns its failures into {@link RemoteSnapshotError}s. */
async function step<T>(inspector: RemoteInspector, promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const pid = inspector.target.pid
  try {
    return await withTimeout(promise, timeoutMs)
  } catch (error) {
    if (error instanceof RemoteSnapshotError) throw error
    if (error instanceof TimeoutError) {
      throw new RemoteSnapshotError('timed-out', pid, `Process ${pid} did not finish ${what} within ${(timeoutMs / 1000).toFixed(0)} s; no file was written. It may be hung or swapping.`, { cause: error })
    }
    if (error instanceof InspectorClosedError) {
      if (!(await isAlive(pid))) {
        throw new RemoteSnapshotError('target-exited', pid, `Process ${pid} exited while ${what}; no file was written. If it was killed by the OOM killer (see 'dmesg'), the snapshot needed more memory than the host had.`, { cause: error })
      }
      throw new RemoteSnapshotError('protocol-error', pid, `The inspector of process ${pid} closed the connection while ${what} (another tool may have closed it); no file was written.`, { cause: error })
    }
    if (error instanceof InspectorCommandError) throw new RemoteSnapshotError('protocol-error', pid, `The inspector of process ${pid} refused ${error.method}: ${error.message}.`, { cause: error })
    throw error
  }
}

function writeFailed(pid: number, path: string, error: unknown): RemoteSnapshotError {
  return new RemoteSnapshotError(
    'write-failed',
    pid,
    `Could not write the heap snapshot ${path}: ${(error as Error).message}. Check that the directory is writable and the disk has room (a snapshot is often larger than the heap).`,
    { cause: error },
  )
}
