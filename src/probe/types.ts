/**
 * Probe data types. Every figure is optional-by-null: a figure the platform cannot give is `null`
 * ("missing"), never 0. Sizes are bytes, times milliseconds (STYLE.md §6).
 */

/** Used/size of one V8 heap space (new_space, old_space, code_space, large_object_space, ...). */
export interface HeapSpaceSample {
  usedBytes: number
  sizeBytes: number
}

/** One memory/CPU sample of one process. */
export interface MemorySample {
  /** Wall-clock time of the sample, ms since the Unix epoch. */
  atMs: number
  pid: number
  /** Resident set size (VmRSS). */
  rssBytes: number | null
  /** Peak resident set size since start or the last reset (VmHWM). */
  peakRssBytes: number | null
  /** Swapped-out memory (VmSwap). */
  swapBytes: number | null
  /** OS threads of the process. */
  threads: number | null
  /** Proportional set size and private (clean + dirty) memory, from smaps_rollup where readable. */
  pssBytes: number | null
  privateBytes: number | null
  /** V8 figures: only for the sampling process itself (null for another PID). */
  heapUsedBytes: number | null
  heapTotalBytes: number | null
  externalBytes: number | null
  arrayBuffersBytes: number | null
  heapSpaces: Record<string, HeapSpaceSample> | null
  /** Cumulative CPU time of the process. */
  cpuUserMs: number | null
  cpuSystemMs: number | null
  /** Event-loop delay p99 over the interval since the previous sample (in-process only). */
  eventLoopDelayP99Ms: number | null
}

/** A process tree at one instant: the root and its descendants, and their sum. */
export interface TreeSample {
  atMs: number
  rootPid: number
  /** Sum over processes of rss/pss/private/swap/threads/cpu (null if missing for every process). */
  total: MemorySample
  processes: MemorySample[]
}

/** A source of samples: returns null when the target is gone (exited, not readable). */
export type SampleSource = () => MemorySample | null | Promise<MemorySample | null>
