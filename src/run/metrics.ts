/**
 * The names of the figures budgets are set on (their definitions, which read a repeat, are the
 * gate's: src/baseline/metrics/catalogue.ts). Names only, so config validates budget keys without
 * importing the gate.
 */

/** Budgeted metrics, by their config key. */
export const METRIC_KEYS = ['peakRss', 'retainedRss', 'fluctuation', 'swap', 'drift', 'threads', 'heapUsed', 'arrayBuffers', 'confidence', 'fieldAccuracy', 'cer', 'throughput', 'cpuPerOp', 'p95Latency', 'peakPss', 'workerPeakRss'] as const
/** A budgeted metric's key, as written in memgate.config. */
export type MetricKey = (typeof METRIC_KEYS)[number]

/** How a metric's values are written: bytes, a fraction (0.02 = 2%), a plain count or score, ops/s, ms. */
export type MetricUnit = 'bytes' | 'ratio' | 'count' | 'score' | 'perSec' | 'ms'

/** What a failing rule on the metric is about; memory failures get a "what grew" explanation. */
export type MetricCategory = 'memory' | 'speed' | 'accuracy'
