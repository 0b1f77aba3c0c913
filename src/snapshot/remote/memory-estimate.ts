/**
 * Will the host survive the snapshot? V8 builds the whole snapshot graph inside the target before
 * serialising it, and the memory it takes stays mapped afterwards (DESIGN.md, "Honest figures").
 * The estimate is the target's used heap times a measured factor, compared with MemAvailable (and
 * the target's cgroup headroom): the OOM killer picks the biggest process, often the target.
 */
import { formatBytes } from '../../common/units.js'
import { RemoteSnapshotError } from './errors.js'
import type { InspectorClient } from './inspector-client.js'
import { availableMemory, type AvailableMemory } from './proc.js'

/**
 * Peak RSS increase of a snapshotted process per byte of used heap (`heapUsed`). Measured on
 * Node 20 x64 with the target's VmHWM reset before the snapshot (`npx tsx bench/remote-snapshot.ts`):
 * a heap of small objects (an object, a short string and a two-element array per item) cost
 * 12.2× at 20 MiB and 13.3–13.4× at 200 MiB, remote and in-process alike (+2.6 GiB for 200 MiB);
 * 200 MiB of 4 KiB strings cost 10.2× (the strings are copied into the snapshot). node issue
 * 56207 reports ~16× (~2 GB for a ~120 MB heap). 15 covers what was measured with a little margin,
 * so the check errs towards refusing; `--force` overrides it.
 */
export const SNAPSHOT_MEMORY_FACTOR = 15

/** The target's heap figures and what the snapshot is expected to need. */
export interface SnapshotMemoryEstimate {
  /** Target RSS before the snapshot, in bytes. */
  targetRssBytes: number
  /** Target V8 used heap, in bytes. */
  heapUsedBytes: number
  /** Target V8 heap size (committed), in bytes. */
  heapTotalBytes: number
  /** Expected peak RSS increase of the target: heapUsedBytes × factor, in bytes. */
  neededBytes: number
  factor: number
  /** What the host (and the target's cgroup) has left. */
  available: AvailableMemory
  /** True when neededBytes fits in available.availableBytes. */
  fits: boolean
}

/** Heap figures evaluated in the target; `process.memoryUsage()` exists in CommonJS and ESM alike. */
const HEAP_FIGURES = `JSON.stringify((() => { const m = process.memoryUsage(); return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal } })())`

/** Reads the target's heap figures and the host's available memory. */
export async function estimateSnapshotMemory(client: InspectorClient, pid: number, factor = SNAPSHOT_MEMORY_FACTOR): Promise<SnapshotMemoryEstimate> {
  const r = await client.send<{ result?: { value?: unknown }; exceptionDetails?: { text: string } }>('Runtime.evaluate', { expression: HEAP_FIGURES, returnByValue: true, silent: true })
  if (r.exceptionDetails || typeof r.result?.value !== 'string') {
    throw new RemoteSnapshotError('protocol-error', pid, `Could not read the heap figures of process ${pid}: ${r.exceptionDetails?.text ?? 'no value returned'}.`)
  }
  const m = JSON.parse(r.result.value) as { rss: number; heapUsed: number; heapTotal: number }
  const available = await availableMemory(pid)
  const neededBytes = Math.round(m.heapUsed * factor)
  return { targetRssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal, neededBytes, factor, available, fits: neededBytes <= available.availableBytes }
}

/** The refusal: what was estimated, from what, and how to proceed. */
export function insufficientMemoryError(pid: number, e: SnapshotMemoryEstimate): RemoteSnapshotError {
  const where =
    e.available.cgroupAvailableBytes !== null && e.available.cgroupAvailableBytes < e.available.hostAvailableBytes
      ? `its memory cgroup has ${formatBytes(e.available.cgroupAvailableBytes)} left below its limit`
      : `the host has ${formatBytes(e.available.hostAvailableBytes)} available (MemAvailable)`
  return new RemoteSnapshotError(
    'insufficient-memory',
    pid,
    `Refusing to snapshot process ${pid}: a heap of ${formatBytes(e.heapUsedBytes)} used is estimated to raise its RSS by up to ${formatBytes(e.neededBytes)} (${e.factor}× the used heap, measured), but ${where}. The OOM killer could end the target. Free memory, use --sampling SECONDS (no snapshot), or pass --force to take the risk.`,
  )
}
