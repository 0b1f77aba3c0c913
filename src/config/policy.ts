/**
 * What the gate needs from the configuration, every default filled (STYLE.md §3): the budgets of
 * one scenario and the statistical policy. `src/config` parses memgate.config into these.
 */
import type { MetricKey } from '../run/metrics.js'

/** Metrics a relative (against-the-baseline) budget may be set on: positive, continuous figures. */
export const REGRESSION_KEYS = ['peakRss', 'retainedRss', 'heapUsed', 'arrayBuffers', 'throughput', 'cpuPerOp', 'p95Latency', 'peakPss', 'workerPeakRss'] as const
/** A metric a relative budget may be set on. */
export type RegressionKey = (typeof REGRESSION_KEYS)[number] & MetricKey

/** An absolute budget: the metric's median over the repeats must stay on the good side of `limit`. */
export interface LimitBudget {
  /** In the metric's unit (bytes, fraction, count, score, ops/s, ms). */
  limit: number
  /**
   * Set for this scenario by name. A scenario that does not report the metric is then
   * `inconclusive`; an inherited budget is skipped instead (a default `cer` budget does not
   * apply to a scenario that reads no ground truth).
   */
  explicit: boolean
}

/** A relative budget: how much worse than the baseline the metric may get. */
export interface RegressionBudget {
  /** Allowed change as a positive fraction in the worse direction: 0.05 = 5% more memory or 5% less throughput. */
  allowed: number
  /** As {@link LimitBudget.explicit}. */
  explicit: boolean
}

/** The budgets of one scenario. */
export interface ScenarioBudgets {
  limits: Partial<Record<MetricKey, LimitBudget>>
  regressions: Partial<Record<RegressionKey, RegressionBudget>>
}

/** What CI does with an `inconclusive` verdict: fail the job, or pass it with a warning. */
export type InconclusivePolicy = 'fail' | 'warn'

/** The statistical policy of relative rules and the gate's handling of inconclusive verdicts. */
export interface GatePolicy {
  /** Fewer completed repeats than this, in the run or the baseline, is `inconclusive`. @default 3 */
  minRepeats: number
  /**
   * Up to this many more repeats are run, one at a time, while a relative rule is inconclusive or
   * passed on a figure that did get worse (see `PassVerdict.confirmWithMoreRepeats`). @default 2
   */
  extraRepeats: number
  /**
   * Smallest per-repeat spread assumed, as a fraction (0.005 = 0.5%). Five identical figures do not
   * prove a machine noiseless; without a floor a 0.1% change would read as significant.
   * @default 0.005
   */
  noiseFloor: number
  /** Two-sided confidence level of the change's interval. @default 0.95 */
  confidenceLevel: ConfidenceLevel
  /** @default 'warn' */
  onInconclusive: InconclusivePolicy
}

/** Confidence levels with exact small-sample quantiles. */
export const CONFIDENCE_LEVELS = [0.9, 0.95, 0.99] as const
/** A supported confidence level. */
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number]

/** The policy's defaults. */
export const DEFAULT_GATE_POLICY: Readonly<GatePolicy> = {
  minRepeats: 3,
  extraRepeats: 2,
  noiseFloor: 0.005,
  confidenceLevel: 0.95,
  onInconclusive: 'warn',
}
