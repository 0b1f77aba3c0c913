/**
 * Writes a heap snapshot of the current process. `v8.writeHeapSnapshot` streams the snapshot
 * from C++ straight to a file; the inspector's `HeapProfiler.takeHeapSnapshot` would instead
 * deliver every chunk to JS synchronously, inside the call, so nothing could be flushed to disk
 * until the whole snapshot sat in memory as strings. The file is written under a temporary name
 * and renamed, so a crash never leaves a half snapshot at `path`. The result is the standard
 * `.heapsnapshot` format that Chrome DevTools opens.
 *
 * Taking a snapshot costs memory that stays: DESIGN.md ("Honest figures") measured +240 MB RSS
 * for a 49 MB snapshot. Take snapshots in a pass whose RSS figures you do not report.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import { MemgateError, toError } from '../common/errors.js'
import { tempPathFor } from '../common/fs.js'
import { collectGarbage } from './gc.js'

/** Options of {@link captureHeapSnapshot}. */
export interface CaptureOptions {
  /**
   * Run a full GC first, so the snapshot holds only live objects (V8 also collects before
   * snapshotting; an explicit GC makes the RSS-before figure comparable too). @default true
   */
  gc?: boolean
}

/** What a capture wrote and what it cost. */
export interface CaptureResult {
  /** Absolute path of the snapshot file. */
  path: string
  /** File size in bytes. */
  sizeBytes: number
  /** Wall time of the write (after the optional GC), in ms. */
  durationMs: number
  /** Resident set size just before writing, in bytes (after the optional GC). */
  rssBeforeBytes: number
  /** Resident set size right after writing, in bytes. Usually much higher, and it stays up. */
  rssAfterBytes: number
}

/**
 * Writes a heap snapshot of this process to `path` (directories are created).
 * @throws MemgateError `SNAPSHOT_WRITE_FAILED` when the file cannot be written (cause chained).
 * @example
 * const { path, sizeBytes } = await captureHeapSnapshot('reports/run-1/after.heapsnapshot')
 */
export async function captureHeapSnapshot(path: string, options: CaptureOptions = {}): Promise<CaptureResult> {
  const target = resolve(path)
  if (options.gc ?? true) await collectGarbage()
  const tmp = tempPathFor(target)
  try {
    await mkdir(dirname(target), { recursive: true })
    const rssBeforeBytes = process.memoryUsage.rss()
    const startedMs = performance.now()
    writeHeapSnapshot(tmp)
    const durationMs = performance.now() - startedMs
    const rssAfterBytes = process.memoryUsage.rss()
    await rename(tmp, target)
    const { size } = await stat(target)
    return { path: target, sizeBytes: size, durationMs, rssBeforeBytes, rssAfterBytes }
  } catch (error) {
    // Best effort: the temp file may not exist, or its directory may be the problem.
    await rm(tmp, { force: true }).catch(() => undefined)
    throw new MemgateError(
      'SNAPSHOT_WRITE_FAILED',
      `Could not write the heap snapshot ${target}: ${toError(error).message}. Check that the directory is writable and the disk has room (a snapshot is often larger than the heap).`,
      { cause: error },
    )
  }
}
