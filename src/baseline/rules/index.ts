/**
 * The ordered rule list of a scenario: `completed` first, then per metric (catalogue order) its
 * absolute rule and its relative rule, for the budgets that are set.
 */
import { METRIC_KEYS, METRICS } from '../metrics/catalogue.js'
import type { RegressionKey, ScenarioBudgets } from '../../config/policy.js'
import type { BudgetRule } from '../verdict.js'
import { completedRule } from './completed-rule.js'
import { limitRule } from './limit-rule.js'
import { regressionRule } from './regression-rule.js'

export { completedRule } from './completed-rule.js'
export { limitRule } from './limit-rule.js'
export { regressionRule } from './regression-rule.js'

/** The rules for `budgets`, in report order. */
export function rulesFor(budgets: ScenarioBudgets): BudgetRule[] {
  const rules: BudgetRule[] = [completedRule]
  for (const key of METRIC_KEYS) {
    const limit = budgets.limits[key]
    if (limit) rules.push(limitRule(METRICS[key], limit))
    const regression = budgets.regressions[key as RegressionKey]
    if (regression) rules.push(regressionRule(METRICS[key], regression))
  }
  return rules
}
