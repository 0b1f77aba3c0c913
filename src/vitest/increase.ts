/**
 * The per-test `--fail-on-increase`: one new value against the test's baseline values, with a
 * prediction interval from the baseline's robust spread (median, MAD with small-sample factors,
 * Student t; memgate's baseline statistics). Memory is noisy: an increase that the interval or
 * the noise floor explains is `inconclusive` or `pass`, never `fail`.
 */
import { mad, median } from '../common/index.js'
import { madToSigma, tQuantile } from '../baseline/index.js'
import type { BaselineVerdict } from './figures.js'
import type { ResolvedIncrease } from './options.js'
import { formatBytes } from '../common/index.js'

/** Fewest baseline values that give a spread. */
export const MIN_BASELINE_RUNS = 3

/**
 * Compares `value` with `baseline` values of one metric.
 * @param floorBytes an increase smaller than this never fails, and the spread is never taken below a quarter of it.
 */
export function compareWithBaseline(metric: BaselineVerdict['metric'], value: number, baseline: readonly number[], policy: ResolvedIncrease, floorBytes: number): BaselineVerdict {
  const n = baseline.length
  const name = metric === 'peakRssBytes' ? 'peak RSS' : 'retained heap'
  if (n < MIN_BASELINE_RUNS) {
    return { metric, kind: 'inconclusive', value, baselineMedian: n ? median(baseline) : null, baselineRuns: n, allowedBytes: null, lowBytes: null, highBytes: null, message: `${name}: the baseline has ${n} value(s), ${MIN_BASELINE_RUNS} needed (run with MEMGATE_UPDATE_BASELINE=1)` }
  }
  const m = median(baseline)
  const sigma = Math.max(madToSigma(n) * mad(baseline), floorBytes / 4)
  // Prediction interval of one new value: spread of a value plus the uncertainty of the median.
  const half = tQuantile(policy.confidenceLevel, n - 1) * sigma * Math.sqrt(1 + Math.PI / (2 * n))
  const increase = value - m
  const allowed = Math.max(policy.ratio * Math.abs(m), floorBytes)
  const low = increase - half
  const high = increase + half
  const figures = `${formatBytes(value)} vs baseline median ${formatBytes(m)} (${formatBytes(increase, true)}, interval ${formatBytes(low, true)} … ${formatBytes(high, true)}, allowed ${formatBytes(allowed, true)})`
  const kind = low > allowed ? 'fail' : high <= allowed || increase <= floorBytes ? 'pass' : 'inconclusive'
  const what = kind === 'fail' ? 'grew past its baseline' : kind === 'pass' ? 'within its baseline' : 'inconclusive against its baseline (noise)'
  return { metric, kind, value, baselineMedian: m, baselineRuns: n, allowedBytes: allowed, lowBytes: low, highBytes: high, message: `${name} ${what}: ${figures}` }
}
