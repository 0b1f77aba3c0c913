/**
 * Reading another process's `/proc/<pid>/smaps` and splitting its RSS by where it lives. The
 * measured process does nothing: the reader's kernel call walks the target's page tables (under
 * the target's mmap lock, which only delays its own `mmap`/`munmap` meanwhile).
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { MemgateError } from '../common/errors.js'
import { procReadFailure } from './proc-read.js'
import { attributeSmaps, type RssAttribution, type RssHints } from './rss-categories.js'
import { assertPid } from './sample-pid.js'
import { SmapsParser } from './smaps-parse.js'

/** RSS categories of one process at one moment. Sizes in bytes. */
export interface RssCategories extends RssAttribution {
  pid: number
  /** When the read started, ms since the Unix epoch. */
  atMs: number
  /**
   * Wall time of read + parse + categorise, ms. The read's cost grows with the target's RSS
   * (~1 KiB of text per mapping, and a page-table walk); feed it to a `SmapsSchedule` to throttle.
   */
  readMs: number
  /** The hints used, as given (so a reader of run.json can judge the hint-based split). */
  hints: RssHints
}

/** Text parsed per batch; any size works (the parser takes lines cut across batches). */
const CHUNK_BYTES = 64 * 1024
/** Longest stretch of synchronous reading, ms. */
const SLICE_MS = 1
/** Parse and reuse the buffer when less than this is free (a seq_file page, twice over). */
const MIN_FREE_BYTES = 8192

/** Idle chunk buffers kept for the next read (reads of several PIDs may overlap). */
const POOL_LIMIT = 4
const pool: Buffer[] = []

/**
 * Reads `/proc/<pid>/smaps` and splits the process's RSS and PSS into categories (see
 * {@link attributeSmaps} for the rules and their limits). Not throttled: call it at stage
 * boundaries, or throttle with `readMs` as `samplePid` does for smaps_rollup.
 *
 * @param hints The target's own figures from the same moment, when it can send them
 * (`process.memoryUsage()`, `v8.getHeapSpaceStatistics()`); without them there is no
 * ArrayBuffers/external category and those bytes stay in "malloc mmap blocks".
 * @returns `null` when the process is gone (exited, or a zombie with no mappings left).
 * @throws ConfigError when `pid` is not a positive integer or a hint is not a byte count.
 * @throws MemgateError `PROBE_UNAVAILABLE` off Linux, and when the process exists but its smaps
 * may not be read (another user's process without CAP_SYS_PTRACE, or a ptrace-restricting LSM).
 * @example
 * const before = await readRssCategories(worker.pid)
 * // ... stage runs ...
 * const after = await readRssCategories(worker.pid)
 * describeRssDiff(diffRssCategories(before!, after!)) // 'glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB'
 */
export async function readRssCategories(pid: number, hints: RssHints = {}): Promise<RssCategories | null> {
  assertPid(pid)
  if (process.platform !== 'linux') {
    throw new MemgateError('PROBE_UNAVAILABLE', `RSS categories come from /proc/<pid>/smaps, which only Linux has (this is ${process.platform}); use samplePid() for RSS alone`)
  }
  const atMs = Date.now()
  const startedMs = performance.now()
  const path = `/proc/${pid}/smaps`
  const parser = new SmapsParser()
  const outcome = await streamFile(path, parser)
  if (outcome === 'denied') {
    throw new MemgateError(
      'PROBE_UNAVAILABLE',
      `May not read ${path}: the kernel allows it only to the process's user (with ptrace access) or root. Run memgate as the target's user, or grant CAP_SYS_PTRACE.`,
    )
  }
  const mappings = parser.end()
  // A zombie's smaps is empty: it has no memory left, as samplePid also reports.
  if (outcome === 'gone' || mappings.length === 0) return null
  const attribution = attributeSmaps(mappings, hints)
  return { pid, atMs, readMs: performance.now() - startedMs, hints: { ...hints }, ...attribution }
}

/**
 * Feeds the whole file to `parser`. The kernel returns smaps one seq_file page (~4 KiB, a few
 * mappings) per `read`, so a 250 MiB process takes ~100 reads: asynchronous reads would pay a
 * thread-pool round trip for each. Instead the reads are synchronous, in slices of about
 * {@link SLICE_MS}, yielding to the event loop between slices so that timers (a timeline's
 * 10 ms samples) are held up by at most a slice.
 */
async function streamFile(path: string, parser: SmapsParser): Promise<'ok' | 'gone' | 'denied'> {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    return failure(error, path)
  }
  const buf = pool.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)
  try {
    let filled = 0
    for (;;) {
      const sliceStartMs = performance.now()
      let n: number
      do {
        n = readSync(fd, buf, filled, buf.length - filled, null)
        filled += n
        // Parse once the buffer is nearly full: the next page of text may not fit.
        if (buf.length - filled < MIN_FREE_BYTES) {
          parser.write(buf, filled)
          filled = 0
        }
      } while (n > 0 && performance.now() - sliceStartMs < SLICE_MS)
      if (n === 0) break
      await yieldToEventLoop()
    }
    parser.write(buf, filled)
    return 'ok'
  } catch (error) {
    return failure(error, path) // ESRCH: the process exited between two reads
  } finally {
    closeSync(fd)
    if (pool.length < POOL_LIMIT) pool.push(buf)
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** `gone`/`denied` from a failed open or read. @throws MemgateError PROBE_UNAVAILABLE for EMFILE, EIO... */
function failure(error: unknown, path: string): 'gone' | 'denied' {
  const result = procReadFailure(error, path)
  return result.ok ? 'denied' : result.reason
}
