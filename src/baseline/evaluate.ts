/** Applies a scenario's rules to its repeats, and turns verdicts into the CI exit code. */
import { ExitCode } from '../common/errors.js'
import { completedMeasuringRepeats } from '../run/figures.js'
import type { ScenarioResult } from '../run/schema.js'
import type { BaselineLookup } from './baseline-file.js'
import { METRICS, readingsOf, type MetricKey } from './metrics/catalogue.js'
import type { GatePolicy, ScenarioBudgets } from '../config/policy.js'
import { rulesFor } from './rules/index.js'
import type { ScenarioEvidence, Verdict } from './verdict.js'

/** The evidence rules see for `scenario`: its completed measuring repeats and baseline. */
export function evidenceOf(scenario: ScenarioResult, baseline: BaselineLookup, policy: GatePolicy): ScenarioEvidence {
  const completed = completedMeasuringRepeats(scenario.repeats)
  const cache = new Map<MetricKey, number[]>()
  return {
    scenario,
    completed,
    baseline,
    policy,
    series(metric) {
      let xs = cache.get(metric)
      if (!xs) {
        xs = readingsOf(METRICS[metric], completed).map((r) => r.value)
        cache.set(metric, xs)
      }
      return xs
    },
  }
}

/** Runs every rule of `budgets` on `scenario`, in order; rules that do not apply give no verdict. */
export function evaluateScenario(scenario: ScenarioResult, budgets: ScenarioBudgets, baseline: BaselineLookup, policy: GatePolicy): Verdict[] {
  const evidence = evidenceOf(scenario, baseline, policy)
  const verdicts: Verdict[] = []
  for (const rule of rulesFor(budgets)) {
    const v = rule.check(evidence)
    if (v) verdicts.push(v)
  }
  return verdicts
}

/** Counts of verdicts by kind. */
export interface VerdictCounts {
  pass: number
  fail: number
  inconclusive: number
}

/** Counts `verdicts` by kind. */
export function countVerdicts(verdicts: readonly Verdict[]): VerdictCounts {
  const counts: VerdictCounts = { pass: 0, fail: 0, inconclusive: 0 }
  for (const v of verdicts) counts[v.kind]++
  return counts
}

/**
 * The exit code of a check: 3 when a target crashed or hung (a failed `completed` rule), 1 when
 * a budget failed or, under `onInconclusive: 'fail'`, a verdict is inconclusive; else 0.
 */
export function gateExitCode(verdicts: readonly Verdict[], policy: Pick<GatePolicy, 'onInconclusive'>): ExitCode {
  if (verdicts.some((v) => v.kind === 'fail' && v.category === 'target')) return ExitCode.TargetFailed
  if (verdicts.some((v) => v.kind === 'fail')) return ExitCode.BudgetExceeded
  if (policy.onInconclusive === 'fail' && verdicts.some((v) => v.kind === 'inconclusive')) return ExitCode.BudgetExceeded
  return ExitCode.Ok
}
