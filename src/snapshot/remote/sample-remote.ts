/**
 * `sampleRemoteAllocations`: V8's sampling heap profiler in a running process, through its
 * inspector, for a number of seconds. Cheap (no stop-the-world, no copy of the heap), so no memory
 * check is needed. The profile is saved as `.heapprofile` JSON (Chrome DevTools' Memory tab loads
 * it) and summarised into allocation sites with the same code as in-process sampling
 * ({@link aggregateSites}).
 */
import { stat } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { resolve } from 'node:path'
import { writeFileAtomic } from '../../common/fs.js'
import { aggregateSites, DEFAULT_SAMPLING_INTERVAL_BYTES, type AllocationSite, type SamplingProfile } from '../allocation-sites.js'
import { RemoteSnapshotError } from './errors.js'
import { InspectorClosedError } from './inspector-client.js'
import { openRemoteInspector } from './open-inspector.js'
import { isAlive } from './proc.js'

/** Options of {@link sampleRemoteAllocations}. */
export interface RemoteSamplingOptions {
  /** The target process. */
  pid: number
  /** Where to write the `.heapprofile` JSON (relative to the cwd). */
  outFile: string
  /** How long to sample, in ms. */
  durationMs: number
  /** Mean bytes between samples. @default 131072 (128 KiB, see allocation-sites.ts) */
  samplingIntervalBytes?: number
  /** Sites to return, largest first. @default 20 */
  top?: number
  /** Run a full GC in the target before stopping, so only live memory is reported. @default true */
  gc?: boolean
  /** Wait for the inspector to open, and for each protocol step, in ms. @default 10000 */
  timeoutMs?: number
  /**
   * Stops early (the CLI passes SIGINT/SIGTERM): sampling is stopped, no profile is written, the
   * inspector is closed as usual, and the call rejects with reason `interrupted`.
   */
  signal?: AbortSignal
}

/** What a remote sampling wrote and found. */
export interface RemoteSamplingResult {
  /** Absolute path of the `.heapprofile`. */
  path: string
  sizeBytes: number
  pid: number
  port: number
  inspectorWasOpen: boolean
  inspectorClosed: boolean
  warning?: string
  /** Top sites by live bytes (self size by function and position). */
  sites: AllocationSite[]
  /** Estimated live bytes allocated during the sampling, over all sites. */
  totalLiveBytes: number
  samplingIntervalBytes: number
  /** How long sampling ran, in ms. */
  durationMs: number
}

/**
 * Samples allocations in process `pid` for `durationMs` and reports the sites of memory still live.
 * @throws RemoteSnapshotError as {@link captureRemoteSnapshot} does (no `insufficient-memory`).
 * @example
 * const { sites } = await sampleRemoteAllocations({ pid: 4242, outFile: 'api.heapprofile', durationMs: 30_000 })
 */
export async function sampleRemoteAllocations(options: RemoteSamplingOptions): Promise<RemoteSamplingResult> {
  const { pid } = options
  const timeoutMs = options.timeoutMs ?? 10_000
  const samplingIntervalBytes = options.samplingIntervalBytes ?? DEFAULT_SAMPLING_INTERVAL_BYTES
  const path = resolve(options.outFile)
  const inspector = await openRemoteInspector(pid, { timeoutMs })
  const { client } = inspector
  let released = false
  try {
    let profile: SamplingProfile
    let durationMs: number
    try {
      await client.send('HeapProfiler.enable')
      await client.send('HeapProfiler.startSampling', { samplingInterval: samplingIntervalBytes })
      const startedMs = performance.now()
      const stop = new AbortController()
      const ended = await Promise.race([
        sleep(options.durationMs, 'done' as const, { signal: stop.signal }).catch(() => 'done' as const),
        client.closed.then(() => 'died' as const),
        ...(options.signal ? [abortOf(options.signal)] : []),
      ])
      stop.abort() // the timer, when the sampling ended early
      if (ended === 'died') throw new InspectorClosedError(0)
      if (ended === 'aborted') {
        await client.send('HeapProfiler.stopSampling').catch(() => undefined)
        throw new RemoteSnapshotError('interrupted', pid, `Interrupted: sampling in process ${pid} was stopped; no profile was written.`)
      }
      durationMs = performance.now() - startedMs
      if (options.gc ?? true) await client.send('HeapProfiler.collectGarbage')
      profile = (await client.send<{ profile: SamplingProfile }>('HeapProfiler.stopSampling')).profile
    } catch (error) {
      if (error instanceof RemoteSnapshotError) throw error
      if (error instanceof InspectorClosedError) {
        const alive = await isAlive(pid)
        throw new RemoteSnapshotError(
          alive ? 'protocol-error' : 'target-exited',
          pid,
          alive ? `The inspector of process ${pid} closed the connection during sampling; no profile was written.` : `Process ${pid} exited during sampling; no profile was written.`,
          { cause: error },
        )
      }
      throw new RemoteSnapshotError('protocol-error', pid, `Sampling in process ${pid} failed: ${(error as Error).message}.`, { cause: error })
    }
    try {
      await writeFileAtomic(path, JSON.stringify(profile))
    } catch (error) {
      throw new RemoteSnapshotError('write-failed', pid, `Could not write the allocation profile ${path}: ${(error as Error).message}. Check that the directory is writable.`, { cause: error })
    }
    const { size } = await stat(path)
    const { sites, totalLiveBytes } = aggregateSites(profile)
    released = true
    const { inspectorClosed, problem } = await inspector.release()
    return {
      path,
      sizeBytes: size,
      pid,
      port: inspector.port,
      inspectorWasOpen: inspector.wasOpen,
      inspectorClosed,
      ...(problem ? { warning: problem } : {}),
      sites: sites.slice(0, options.top ?? 20),
      totalLiveBytes,
      samplingIntervalBytes,
      durationMs,
    }
  } finally {
    if (!released) await inspector.release()
  }
}

/** Resolves with `aborted` when `signal` aborts (at once when it already has). */
function abortOf(signal: AbortSignal): Promise<'aborted'> {
  return signal.aborted ? Promise.resolve('aborted') : new Promise((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }))
}
