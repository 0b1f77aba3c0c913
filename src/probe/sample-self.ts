/**
 * Sampling this process. Runs on the measured process's own thread, so it is kept cheap: two
 * synchronous `/proc/self` reads into one reused buffer, parsed without building strings.
 */
import { getHeapSpaceStatistics } from 'node:v8'
import { emptySample } from './empty-sample.js'
import { takeEventLoopDelayP99Ms } from './event-loop.js'
import { readSelfProcFile, selfProcBuffer } from './proc-read.js'
import { S, createStatusFields } from './proc-status.js'
import { createSmapsFields, privateBytesOf, pssBytesOf } from './smaps-rollup.js'
import { smapsSchedule, type SmapsOptions } from './smaps-schedule.js'
import type { HeapSpaceSample, MemorySample } from './types.js'

/** Options of {@link sampleSelf}. */
export interface SampleSelfOptions extends SmapsOptions {
  /**
   * Include per-space V8 figures (`new_space`, `old_space`, `large_object_space`, ...). Costs one
   * small object per space per sample.
   * @default true
   */
  heapSpaces?: boolean
}

const statusFields = createStatusFields()
const smapsFields = createSmapsFields()

/**
 * One sample of this process.
 *
 * - Linux: `rss`, `peakRss` (VmHWM), `swap`, `threads` from `/proc/self/status`; `pss`, `private`
 *   from `/proc/self/smaps_rollup` at most once per `smapsMinIntervalMs` (null in between, and
 *   where the kernel lacks the file, before 4.14).
 * - Elsewhere: see {@link sampleSelfPortable}.
 * - Everywhere: V8 heap figures from `process.memoryUsage()` and `v8.getHeapSpaceStatistics()`,
 *   CPU from `process.cpuUsage()`, and event-loop delay p99 when
 *   {@link startEventLoopMonitor} was called (otherwise null).
 *
 * @example const { rssBytes, heapUsedBytes } = sampleSelf({ heapSpaces: false })
 * @example const steady = sampleSelf({ smapsMinIntervalMs: 0 }) // always with PSS
 */
export function sampleSelf(options: SampleSelfOptions = {}): MemorySample {
  if (process.platform !== 'linux') return sampleSelfPortable(options)
  const sample = sampleV8AndCpu(options)
  const statusLength = readSelfProcFile('/proc/self/status')
  if (statusLength < 0) {
    // procfs hidden (sandbox): fall back rather than report nothing.
    return fillPortableRss(sample)
  }
  statusFields.parse(selfProcBuffer(), statusLength)
  sample.rssBytes = statusFields.get(S.rss)
  sample.peakRssBytes = statusFields.get(S.hwm)
  sample.swapBytes = statusFields.get(S.swap)
  sample.threads = statusFields.get(S.threads)
  if (!smapsSchedule.due(sample.pid, sample.atMs, options.smapsMinIntervalMs)) return sample
  const startedMs = performance.now()
  const smapsLength = readSelfProcFile('/proc/self/smaps_rollup')
  smapsSchedule.done(sample.pid, performance.now() - startedMs)
  if (smapsLength >= 0) {
    smapsFields.parse(selfProcBuffer(), smapsLength)
    sample.pssBytes = pssBytesOf(smapsFields)
    sample.privateBytes = privateBytesOf(smapsFields)
  }
  return sample
}

/**
 * The platform-neutral sample used off Linux (and on Linux when `/proc` is hidden): `rss` from
 * `process.memoryUsage()`, `peakRss` from `process.resourceUsage().maxRSS` (the OS's lifetime
 * peak: {@link resetPeakRss} cannot reset it). `swap`, `threads`, `pss` and `private` are null.
 */
export function sampleSelfPortable(options: SampleSelfOptions = {}): MemorySample {
  return fillPortableRss(sampleV8AndCpu(options))
}

function fillPortableRss(sample: MemorySample): MemorySample {
  sample.rssBytes = process.memoryUsage.rss()
  sample.peakRssBytes = process.resourceUsage().maxRSS * 1024 // documented in KiB
  return sample
}

function sampleV8AndCpu(options: SampleSelfOptions): MemorySample {
  const sample = emptySample(process.pid, Date.now())
  const mem = process.memoryUsage()
  sample.heapUsedBytes = mem.heapUsed
  sample.heapTotalBytes = mem.heapTotal
  sample.externalBytes = mem.external
  sample.arrayBuffersBytes = mem.arrayBuffers
  if (options.heapSpaces ?? true) sample.heapSpaces = heapSpaces()
  const cpu = process.cpuUsage()
  sample.cpuUserMs = cpu.user / 1000 // µs
  sample.cpuSystemMs = cpu.system / 1000
  sample.eventLoopDelayP99Ms = takeEventLoopDelayP99Ms()
  return sample
}

function heapSpaces(): Record<string, HeapSpaceSample> {
  const spaces: Record<string, HeapSpaceSample> = {}
  for (const space of getHeapSpaceStatistics()) {
    spaces[space.space_name] = { usedBytes: space.space_used_size, sizeBytes: space.space_size }
  }
  return spaces
}
