/**
 * Relative budgets: the run's repeats against the baseline's (see compare.ts). Three answers from
 * the interval of the change, in the worse direction, against the allowed change A:
 *
 * - pass: the interval's worse end is below A (a regression of A or more is ruled out). When its
 *   better end is past 0 too (the metric did get worse, by less than A), the pass asks the gate to
 *   confirm it with extra repeats: the spread comes from MADs of 3 to 5 values, which often
 *   underestimate it, and a growth just under A is where a too-narrow interval passes a
 *   regression of A. A clean run's interval holds 0, so it costs no repeat;
 * - fail: the interval's better end is past 0 (the metric did get worse) and its worse end
 *   reaches A (a regression of A is not ruled out): a regression of exactly A is caught about as
 *   often as the confidence level, while a clean run fails only when noise mimics one;
 * - inconclusive: the interval holds both 0 and A, so these repeats cannot tell "no change" from
 *   "a regression of A" (too few repeats or too much spread). More repeats narrow it.
 *
 * Time: a wall-clock figure that got worse under contention is inconclusive, never a failure. A
 * CPU-time figure is compared at equal host speed (../speed-scale.ts), and under contention fails
 * only when the whole interval is past A.
 */
import { median } from '../../common/stats.js'
import { formatChange, formatValue } from '../format.js'
import { baselineValues } from '../baseline-file.js'
import { compareSeries, halfWidth } from '../compare.js'
import type { MetricSpec } from '../metrics/catalogue.js'
import type { RegressionBudget } from '../../config/policy.js'
import type { BudgetRule, ChangeFigures, Verdict } from '../verdict.js'
import { contentionEvidence } from '../contention.js'
import { atEqualHostSpeed } from '../speed-scale.js'

/** The relative rule of `metric`, named `<metric>-regression`. */
export function regressionRule(metric: MetricSpec, budget: RegressionBudget): BudgetRule {
  const name = `${metric.name}-regression`
  // Signed in the worse direction: +5% for memory, −10% for throughput.
  const allowed = metric.better === 'lower' ? budget.allowed : -budget.allowed
  return {
    name,
    category: metric.category,
    check({ scenario, series, baseline, policy, completed }): Verdict | null {
      const raw = series(metric.key)
      const base = { scenario: scenario.name, rule: name, category: metric.category, metric: metric.key, unit: metric.unit, limit: null, repeats: raw.length }
      const inconclusive = (message: string, value: number | null, moreRepeatsHelp: boolean, change?: ChangeFigures): Verdict => ({ ...base, kind: 'inconclusive', value, message, moreRepeatsHelp, ...(change ? { change } : {}) })
      if (baseline.state === 'missing') {
        if (raw.length === 0 && !budget.explicit) return null
        return inconclusive(`no baseline at ${baseline.file}; commit one with \`memgate baseline update ${scenario.name}\``, raw.length ? median(raw) : null, false)
      }
      if (baseline.state === 'mismatch') return inconclusive(`baseline ${baseline.file} is not comparable: ${baseline.reason}; update it with \`memgate baseline update ${scenario.name}\``, raw.length ? median(raw) : null, false)
      // A CPU-time figure is compared at equal host speed where both sides timed the reference.
      const scaled = metric.speedScaled ? atEqualHostSpeed(metric, completed, baseline.baseline.metrics[metric.key]) : null
      const xs = scaled?.ok ? scaled.run : raw
      const ys = scaled?.ok ? scaled.baseline : baselineValues(baseline.baseline, metric.key)
      const speedNote = scaled === null ? '' : scaled.ok ? ` at equal host speed (${hostSpeedText(scaled.hostSlower)})` : ` (raw CPU time: ${scaled.reason})`
      if (xs.length === 0 && ys.length === 0 && !budget.explicit) return null
      const runMedianText = xs.length ? ` (${formatValue(median(xs), metric.unit)})` : ''
      if (xs.length < policy.minRepeats || ys.length < policy.minRepeats) {
        return inconclusive(`too few repeats to compare (run ${xs.length}${runMedianText}, baseline ${ys.length}; at least ${policy.minRepeats} each)`, xs.length ? median(xs) : null, ys.length >= policy.minRepeats)
      }
      const c = compareSeries(xs, ys, { noiseFloor: policy.noiseFloor, confidenceLevel: policy.confidenceLevel })
      if (!c) return inconclusive(`a value is zero or negative, so no ratio to the baseline can be taken`, median(xs), false)
      const change: ChangeFigures = { baselineMedian: c.baselineMedian, baselineRepeats: c.baselineRepeats, change: c.change, low: c.low, high: c.high, allowed, confidenceLevel: c.confidenceLevel }
      // Work in the worse direction: positive = worse.
      const sign = metric.better === 'lower' ? 1 : -1
      const [better, worse] = sign > 0 ? [c.low, c.high] : [-c.high, -c.low]
      const limit = budget.allowed
      const verb = c.change >= 0 ? 'grew' : 'fell'
      const figures = `${verb} ${formatChange(c.change)} against the baseline${speedNote} (${formatValue(c.baselineMedian, metric.unit)} → ${formatValue(c.runMedian, metric.unit)}; ${Math.round(c.confidenceLevel * 100)}% interval ${formatChange(c.low)} to ${formatChange(c.high)}; ${c.runRepeats} + ${c.baselineRepeats} repeats)`
      if (worse < limit) return { ...base, kind: 'pass', value: c.runMedian, change, message: `${metric.name} ${figures}, within the ${formatChange(allowed)} allowed`, ...(better > 0 ? { confirmWithMoreRepeats: true } : {}) }
      if (better > 0 && metric.clock === 'wall') {
        // A wall-clock figure a busy neighbour explains is not a regression of the code.
        const evidence = contentionEvidence(completed)
        if (evidence) return inconclusive(`${metric.name} ${figures}, but ${evidence}: a wall-clock figure taken under contention is not judged`, c.runMedian, true, change)
      }
      // CPU time does not count waiting, but a busy neighbour still adds to it: every preemption
      // refills the caches on the worker's clock (clean checks beside two busy loops read +1% to +6%
      // CPU per operation here while the speed reference held). Under contention, CPU time fails
      // only on a regression the whole interval puts past the allowed change.
      const cpuEvidence = better > 0 && metric.speedScaled ? contentionEvidence(completed) : null
      if (cpuEvidence && better < limit) return inconclusive(`${metric.name} ${figures}, but ${cpuEvidence}: under contention CPU time fails only when the whole interval is past the ${formatChange(allowed)} allowed`, c.runMedian, true, change)
      if (better > 0) {
        const over = sign * c.change
        const why = cpuEvidence ? `the whole interval is past the ${formatChange(allowed)} allowed, though ${cpuEvidence}` : over >= limit ? `more than the ${formatChange(allowed)} allowed` : `it got worse, and a ${formatChange(allowed)} regression is within the interval`
        return { ...base, kind: 'fail', value: c.runMedian, change, over, overRatio: null, message: `${metric.name} ${figures}: ${why}` }
      }
      // More repeats help only if, at this spread, extra ones could shrink the interval enough to
      // exclude 0 or the allowed change around the current estimate; a metric far noisier than
      // its budget would burn them for nothing.
      const allowedLog = Math.abs(Math.log1p(allowed))
      const estimate = sign * Math.log1p(c.change)
      const helps = halfWidth(c.spread, c.runRepeats + policy.extraRepeats, c.baselineRepeats, c.confidenceLevel) < Math.max(allowedLog - estimate, estimate)
      const hint = helps || policy.extraRepeats === 0 ? '' : `; at a spread of ${formatChange(c.spread).replace(/^\+/, '±')} per repeat, ${policy.extraRepeats} more repeats would not settle it`
      return inconclusive(`${metric.name} ${figures}: too noisy to tell a ${formatChange(allowed)} regression from none${hint}`, c.runMedian, helps, change)
    },
  }
}

/** How the host's speed differed from the baseline's, in words. */
function hostSpeedText(hostSlower: number): string {
  const pct = `${(Math.abs(hostSlower) * 100).toFixed(1)}%`
  return `the host's speed reference took ${pct} ${hostSlower >= 0 ? 'more' : 'less'} CPU than for the baseline; values scaled to the baseline's speed`
}
