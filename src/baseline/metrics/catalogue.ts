/**
 * The figures budgets are set on, one per measuring repeat, read from run.json. Each metric knows
 * its unit, which direction is worse, and how to read one repeat. A metric a repeat cannot give
 * (no cycle stage for drift, no `cer` metric) reads as null, never as 0.
 */
import { cpuPerOpOf, driftOf, fluctuationOf, maxTimeline, p95LatencyOf, retainedRssOf, throughputOf } from '../../run/figures.js'
import type { RepeatResult } from '../../run/schema.js'
import { maxStageAfter, peakPssOf, workerPeakRssOf } from './memory.js'
import { maxStageMetric, minStageMetric } from './work.js'

import { METRIC_KEYS, type MetricCategory, type MetricKey, type MetricUnit } from '../../run/metrics.js'

export { METRIC_KEYS, type MetricCategory, type MetricKey, type MetricUnit }

/** One metric. */
export interface MetricSpec {
  key: MetricKey
  /** Kebab-case name used in rule names and messages, e.g. `peak-rss`. */
  name: string
  /** One line for reports. */
  description: string
  unit: MetricUnit
  /** `lower`: a rise is a regression (memory, latency); `higher`: a fall is (throughput, accuracy). */
  better: 'lower' | 'higher'
  category: MetricCategory
  /**
   * `wall`: a wall-clock figure, which a busy neighbour slows (throughput, latency). Under
   * contention its regression and limit rules answer inconclusive, never fail.
   */
  clock?: 'wall'
  /**
   * `true`: a CPU-time figure, which moves with the host core's own speed (boost clocks, a busy
   * sibling hyper-thread) although it does not count waiting. Its regression rule compares it at
   * equal host speed when the run and the baseline both timed the speed reference
   * (src/scenario/speed-reference.ts; see ../speed-scale.ts).
   */
  speedScaled?: true
  /** The figure of one completed measuring repeat, or null when it has none. */
  read(repeat: RepeatResult): number | null
}

const spec = (s: MetricSpec): MetricSpec => s

/** Every metric, in the order rules are run and reported. */
export const METRICS: Readonly<Record<MetricKey, MetricSpec>> = {
  peakRss: spec({ key: 'peakRss', name: 'peak-rss', description: 'peak RSS of the process (VmHWM)', unit: 'bytes', better: 'lower', category: 'memory', read: (r) => r.peakRssBytes }),
  retainedRss: spec({ key: 'retainedRss', name: 'retained-rss', description: 'RSS after GC once the workload is done (last stage before teardown)', unit: 'bytes', better: 'lower', category: 'memory', read: retainedRssOf }),
  fluctuation: spec({ key: 'fluctuation', name: 'fluctuation', description: 'largest transient RSS rise above both ends of one work, cycle, bench or idle stage', unit: 'bytes', better: 'lower', category: 'memory', read: fluctuationOf }),
  swap: spec({ key: 'swap', name: 'swap', description: 'largest swapped-out size (VmSwap)', unit: 'bytes', better: 'lower', category: 'memory', read: (r) => maxTimeline(r, (s) => s.swapBytes) }),
  drift: spec({ key: 'drift', name: 'drift', description: 'RSS growth across cycle stages (after GC) along a Theil–Sen line, first cycle excluded from 3 on', unit: 'ratio', better: 'lower', category: 'memory', read: driftOf }),
  threads: spec({ key: 'threads', name: 'threads', description: 'most OS threads at once', unit: 'count', better: 'lower', category: 'memory', read: (r) => maxTimeline(r, (s) => s.threads) }),
  heapUsed: spec({ key: 'heapUsed', name: 'heap-used', description: 'largest V8 heap used after a stage (after GC)', unit: 'bytes', better: 'lower', category: 'memory', read: (r) => maxStageAfter(r, (s) => s.heapUsedBytes) }),
  arrayBuffers: spec({ key: 'arrayBuffers', name: 'array-buffers', description: 'largest ArrayBuffer/Buffer memory after a stage (after GC)', unit: 'bytes', better: 'lower', category: 'memory', read: (r) => maxStageAfter(r, (s) => s.arrayBuffersBytes) }),
  confidence: spec({ key: 'confidence', name: 'confidence', description: "lowest stage's mean recognition confidence", unit: 'score', better: 'higher', category: 'accuracy', read: (r) => minStageMetric(r, ['meanConfidence', 'confidence']) }),
  fieldAccuracy: spec({ key: 'fieldAccuracy', name: 'field-accuracy', description: "lowest stage's share of fields read right", unit: 'ratio', better: 'higher', category: 'accuracy', read: (r) => minStageMetric(r, ['fieldAccuracy']) }),
  cer: spec({ key: 'cer', name: 'cer', description: "highest stage's character error rate", unit: 'ratio', better: 'lower', category: 'accuracy', read: (r) => maxStageMetric(r, ['cer']) }),
  throughput: spec({ key: 'throughput', name: 'throughput', description: 'operations per second over the work, cycle and bench stages', unit: 'perSec', better: 'higher', category: 'speed', clock: 'wall', read: throughputOf }),
  cpuPerOp: spec({ key: 'cpuPerOp', name: 'cpu-per-op', description: 'CPU time (user + system) per operation over the work, cycle and bench stages', unit: 'ms', better: 'lower', category: 'speed', speedScaled: true, read: cpuPerOpOf }),
  p95Latency: spec({ key: 'p95Latency', name: 'p95-latency', description: "slowest stage's 95th-percentile operation latency", unit: 'ms', better: 'lower', category: 'speed', clock: 'wall', read: p95LatencyOf }),
  peakPss: spec({ key: 'peakPss', name: 'peak-pss', description: "peak PSS: the process's, or summed over a service's process tree (shared pages counted once)", unit: 'bytes', better: 'lower', category: 'memory', read: peakPssOf }),
  workerPeakRss: spec({ key: 'workerPeakRss', name: 'worker-peak-rss', description: 'highest peak RSS of any one worker of a service', unit: 'bytes', better: 'lower', category: 'memory', read: workerPeakRssOf }),
}

/** One repeat's figure of a metric, with the repeat it was read from. */
export interface MetricReading {
  value: number
  repeat: RepeatResult
}

/**
 * `metric`'s figure of each of `repeats`, in order, with its repeat; a repeat without a finite
 * figure is left out. Kept with the repeat so per-repeat context (its speed reference) stays aligned.
 */
export function readingsOf(metric: MetricSpec, repeats: readonly RepeatResult[]): MetricReading[] {
  const out: MetricReading[] = []
  for (const repeat of repeats) {
    const value = metric.read(repeat)
    if (value !== null && Number.isFinite(value)) out.push({ value, repeat })
  }
  return out
}
