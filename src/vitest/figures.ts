/**
 * What each test records in `task.meta.memgate` (it travels to reporters and through
 * `--merge-reports` blobs), and the augmentation of vitest's types that makes it typed.
 */
import type { LeakCheckTimings } from './leak-check.js'
import type { TestMemoryLimits } from './options.js'

/** A verdict against the per-test baseline. */
export interface BaselineVerdict {
  metric: 'peakRssBytes' | 'retainedHeapBytes'
  kind: 'pass' | 'fail' | 'inconclusive'
  value: number
  /** Median of the baseline's values; null when the test has none. */
  baselineMedian: number | null
  baselineRuns: number
  /** Allowed increase in bytes (ratio × median, at least the noise floor). */
  allowedBytes: number | null
  /** Bounds of the increase (value − median) at the confidence level. */
  lowBytes: number | null
  highBytes: number | null
  message: string
}

/**
 * One test's figures. Sizes in bytes; null where the platform does not provide them, or (retained
 * figures) where the test was not measured after a GC (see {@link TestMemoryFigures.gc}).
 */
export interface TestMemoryFigures {
  /** `file > describe > test`, the key of the per-test baseline. */
  key: string
  /**
   * How the heap and RSS readings around the test were taken:
   * - `'settled'`: after a settled full GC (GC, a turn of the event loop, two GCs) just before and
   *   just after the test. Taken when something needs a retained figure: a `retained` or
   *   `retainedRss` limit, a per-test baseline to compare with or to record, or `gcEveryTest`.
   * - `'none'`: no GC forced (the cheap path, two forced GCs per test cost more than most unit
   *   tests). `retainedHeapBytes` and `retainedRssBytes` are null, and `heapUsedBytes` includes
   *   whatever garbage was waiting. Peak RSS is exact either way.
   */
  gc: 'settled' | 'none'
  /** VmHWM at the end of the test, after a reset just before it. */
  peakRssBytes: number | null
  /** Whether the reset took (`false`: the peak is since the process started). */
  peakReset: boolean
  /** Peak RSS above the RSS at the start of the test (after GC when `gc` is `'settled'`). */
  peakRssIncreaseBytes: number | null
  /** After-GC heap (JS heap without compiled code) at the end minus at the start; null when `gc` is `'none'`. */
  retainedHeapBytes: number | null
  /** After-GC RSS at the end minus at the start; null when `gc` is `'none'`. */
  retainedRssBytes: number | null
  /** JS heap without compiled code at the end: after GC when `gc` is `'settled'`, else as found. */
  heapUsedBytes: number
  durationMs: number
  /** Limits that applied (bytes). */
  limits: { peakRssBytes?: number; retainedBytes?: number; retainedRssBytes?: number }
  /** Limits exceeded, one line each. */
  exceeded: string[]
  /** Leak checks run in the test (toLeakMemory). */
  leakChecks: LeakCheckFigures[]
  baseline: BaselineVerdict[]
}

/** One `toLeakMemory` call. */
export interface LeakCheckFigures {
  iterations: number
  growthBytes: number
  limitBytes: number
  leaked: boolean
  /** Wall time of the check, snapshot included. */
  durationMs: number
  /** CPU time of the worker during the check: on a loaded machine, wall time is this over the CPU share the worker got. */
  cpuMs: number
  /** Where that time went (wall ms); most of a leak's goes to its heap snapshot. */
  timings: LeakCheckTimings
}

/** The form of `meta.memgate`: limits set by the test, then figures added by the setup file. */
export interface MemgateMeta extends TestMemoryLimits {
  figures?: TestMemoryFigures
}

declare module 'vitest' {
  interface TaskMeta {
    memgate?: MemgateMeta
  }
}
// `vitest` re-exports TaskMeta from @vitest/runner; the augmentation must reach the declaring module.
declare module '@vitest/runner' {
  interface TaskMeta {
    memgate?: MemgateMeta
  }
}
