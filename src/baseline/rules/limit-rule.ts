/**
 * Absolute budgets: the median of the run's repeats must stay below a ceiling (memory, CER,
 * latency) or above a floor (confidence, field accuracy, throughput). The median, not the worst
 * repeat, so one disturbed repeat on a shared CI machine does not fail the job; the message says
 * how many repeats were past the limit anyway.
 */
import { median } from '../../common/stats.js'
import { formatAmount, formatChange, formatValue } from '../format.js'
import type { MetricSpec } from '../metrics/catalogue.js'
import type { LimitBudget } from '../../config/policy.js'
import type { BudgetRule, Verdict } from '../verdict.js'
import { contentionEvidence } from '../contention.js'

/** The absolute rule of `metric`, named like the metric (`peak-rss`). */
export function limitRule(metric: MetricSpec, budget: LimitBudget): BudgetRule {
  const { limit } = budget
  return {
    name: metric.name,
    category: metric.category,
    check({ scenario, series, completed }): Verdict | null {
      const xs = series(metric.key)
      const base = { scenario: scenario.name, rule: metric.name, category: metric.category, metric: metric.key, unit: metric.unit, limit, repeats: xs.length }
      if (xs.length === 0) {
        if (!budget.explicit) return null
        return { ...base, kind: 'inconclusive', value: null, moreRepeatsHelp: false, message: `no completed repeat of '${scenario.name}' reported ${metric.description}; remove the budget or make the scenario report it` }
      }
      const value = median(xs)
      const ceiling = metric.better === 'lower'
      const over = ceiling ? value - limit : limit - value
      const overRatio = limit !== 0 ? over / Math.abs(limit) : null
      const past = xs.filter((x) => (ceiling ? x > limit : x < limit)).length
      const of = `${xs.length === 1 ? 'one repeat' : `median of ${xs.length} repeats`}${past > 0 && over <= 0 ? `, ${past} past the limit` : ''}`
      const pct = overRatio === null ? '' : ` (${formatChange(ceiling ? overRatio : -overRatio)})`
      if (over > 0) {
        const verb = ceiling ? 'exceeded budget by' : 'fell short of budget by'
        const against = ceiling ? 'a limit of' : 'a minimum of'
        const evidence = metric.clock === 'wall' ? contentionEvidence(completed) : null
        if (evidence) return { ...base, kind: 'inconclusive', value, moreRepeatsHelp: true, message: `${metric.name} ${verb} ${formatAmount(over, metric.unit)}${pct}, but ${evidence}: a wall-clock figure taken under contention is not judged` }
        return { ...base, kind: 'fail', value, over, overRatio, message: `${metric.name} ${verb} ${formatAmount(over, metric.unit)}${pct}: ${formatValue(value, metric.unit)} against ${against} ${formatValue(limit, metric.unit)}, ${of}` }
      }
      const margin = overRatio === null ? '' : ` (${formatChange(-overRatio).replace(/^[+-]/, '')})`
      return {
        ...base,
        kind: 'pass',
        value,
        message: `${metric.name} ${formatValue(value, metric.unit)} is within budget ${formatValue(limit, metric.unit)} by ${formatAmount(-over, metric.unit)}${margin}, ${of}`,
      }
    },
  }
}
