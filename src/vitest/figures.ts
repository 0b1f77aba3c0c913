/**
 * What each test records in `task.meta.memgate` (it travels to reporters and through
 * `--merge-reports` blobs), and the augmentation of vitest's types that makes it typed.
 */
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

/** One test's figures. Sizes in bytes; null where the platform does not provide them. */
export interface TestMemoryFigures {
  /** `file > describe > test`, the key of the per-test baseline. */
  key: string
  /** VmHWM at the end of the test, after a reset just before it. */
  peakRssBytes: number | null
  /** Whether the reset took (`false`: the peak is since the process started). */
  peakReset: boolean
  /** Peak RSS above the RSS at the start of the test. */
  peakRssIncreaseBytes: number | null
  /** After-GC heapUsed at the end minus at the start. */
  retainedHeapBytes: number
  /** After-GC RSS at the end minus at the start. */
  retainedRssBytes: number
  /** After-GC heapUsed at the end. */
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
  durationMs: number
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
