/**
 * Sampling another process from outside, as the scenario runner does with its worker: the
 * figures survive the worker crashing or running out of memory, because nothing runs inside it.
 */
import { ConfigError } from '../common/errors.js'
import { clockTicksPerSecond } from './clock-ticks.js'
import { emptySample } from './empty-sample.js'
import { closePidFiles, readPidFile } from './pid-files.js'
import { releaseProcBuffer, type ProcFileResult } from './proc-read.js'
import { parseProcStat, ticksToMs } from './proc-stat.js'
import { S, createStatusFields } from './proc-status.js'
import { samplePidPs } from './sample-ps.js'
import { createSmapsFields, privateBytesOf, pssBytesOf } from './smaps-rollup.js'
import { smapsSchedule, type SmapsOptions } from './smaps-schedule.js'
import type { MemorySample } from './types.js'

// Shared by concurrent calls: each parse and its reads happen with no `await` in between.
const statusFields = createStatusFields()
const smapsFields = createSmapsFields()

/**
 * One sample of another process.
 *
 * - Linux: `/proc/<pid>/status` (rss, peakRss, swap, threads), `/proc/<pid>/stat` (CPU user and
 *   system time) and `/proc/<pid>/smaps_rollup` (pss, private) at most once per
 *   `smapsMinIntervalMs`; pss and private are null in between, when the kernel lacks the file,
 *   or when we may not read it (another user's process).
 * - Elsewhere: `ps` (see {@link samplePidPs}): rss only, plus nothing else.
 * - V8 figures and event-loop delay are always null: they exist only inside the process.
 *
 * The `/proc` files stay open between samples (see `pid-files.ts`), so while a timeline keeps
 * sampling a process, its exit is seen as `null` even if the OS hands the PID to a new process
 * at once; a PID sampled afresh is whatever process holds it now.
 *
 * @returns `null` when the process is gone: it does not exist, or it is a zombie (exited, not yet
 * reaped by its parent), since a zombie has no memory left to measure.
 * @throws ConfigError when `pid` is not a positive integer.
 * @example const s = await samplePid(child.pid!); if (s === null) console.log('child exited')
 */
export async function samplePid(pid: number, options: SamplePidOptions = {}): Promise<MemorySample | null> {
  assertPid(pid)
  if (process.platform !== 'linux') return samplePidPs(pid)
  const atMs = Date.now()
  const [status, stat, smaps] = await Promise.all([
    readPidFile(pid, 'status'),
    readPidFile(pid, 'stat'),
    // null: not due by the schedule, so PSS stays null this time.
    smapsSchedule.due(pid, atMs, options.smapsMinIntervalMs) ? timedSmapsRead(pid) : null,
  ])
  try {
    // Only `gone` on smaps means the process died mid-sample; `denied` just hides PSS.
    if (!status.ok || !stat.ok || (smaps && !smaps.ok && smaps.reason === 'gone')) return gone(pid)
    const parsedStat = parseProcStat(stat.buf, stat.length)
    if (parsedStat === null || parsedStat.state === 'Z' || parsedStat.state === 'X') return gone(pid)
    const sample = emptySample(pid, atMs)
    statusFields.parse(status.buf, status.length)
    sample.rssBytes = statusFields.get(S.rss)
    sample.peakRssBytes = statusFields.get(S.hwm)
    sample.swapBytes = statusFields.get(S.swap)
    sample.threads = statusFields.get(S.threads) ?? parsedStat.threads
    const ticksPerSecond = clockTicksPerSecond()
    sample.cpuUserMs = ticksToMs(parsedStat.utimeTicks, ticksPerSecond)
    sample.cpuSystemMs = ticksToMs(parsedStat.stimeTicks, ticksPerSecond)
    if (smaps?.ok) {
      smapsFields.parse(smaps.buf, smaps.length)
      sample.pssBytes = pssBytesOf(smapsFields)
      sample.privateBytes = privateBytesOf(smapsFields)
    }
    return sample
  } finally {
    release(status)
    release(stat)
    release(smaps)
  }
}

/** Options of {@link samplePid} and {@link sampleTree}. */
export type SamplePidOptions = SmapsOptions

/** Reads `smaps_rollup` and tells the schedule how long it took (wall time: it is what the target feels). */
async function timedSmapsRead(pid: number): Promise<ProcFileResult> {
  const startedMs = performance.now()
  const result = await readPidFile(pid, 'smaps_rollup')
  smapsSchedule.done(pid, performance.now() - startedMs)
  return result
}

function gone(pid: number): null {
  smapsSchedule.forget(pid)
  closePidFiles(pid)
  return null
}

function release(result: ProcFileResult | null): void {
  if (result?.ok) releaseProcBuffer(result.buf)
}

/** @throws ConfigError when `pid` is not a positive integer. */
export function assertPid(pid: number, where = 'pid'): void {
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    throw new ConfigError(`Expected a positive integer process id for ${where} but received ${String(pid)} (${typeof pid}); pass child.pid after the child has spawned`)
  }
}
