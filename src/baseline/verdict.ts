/**
 * Verdicts: what each budget rule says about one scenario of a run (STYLE.md §9). Three kinds,
 * because memory is noisy and a gate that guesses cries wolf: `inconclusive` is an answer.
 */
import type { RepeatResult, ScenarioResult } from '../run/schema.js'
import type { BaselineLookup } from './baseline-file.js'
import type { Explanation } from './explain.js'
import type { MetricCategory, MetricKey, MetricUnit } from './metrics/catalogue.js'
import type { GatePolicy } from '../config/policy.js'

/** `target`: the run itself (did every repeat complete?); its failure means exit 3, not 1. */
export type RuleCategory = MetricCategory | 'target'

/** A relative rule's figures: the run's median against the baseline's, and the change's interval. */
export interface ChangeFigures {
  baselineMedian: number
  baselineRepeats: number
  /** run median / baseline median − 1, e.g. 0.076 for +7.6%. */
  change: number
  /** Bounds of the change at the policy's confidence level (same form as `change`). */
  low: number
  high: number
  /** Allowed change, signed in the worse direction (+0.05 for memory, −0.10 for throughput). */
  allowed: number
  confidenceLevel: number
}

interface VerdictBase {
  scenario: string
  /** e.g. `peak-rss`, `peak-rss-regression`, `completed`. */
  rule: string
  category: RuleCategory
  /** Null for the `completed` rule. */
  metric: MetricKey | null
  unit: MetricUnit | null
  /** Median of the run's repeats (null when none reported the metric). */
  value: number | null
  /** Absolute limit in the metric's unit; null for relative rules (see `change.allowed`). */
  limit: number | null
  /** Repeats the verdict is based on. */
  repeats: number
  /** Relative rules only, when both sides had figures. */
  change?: ChangeFigures
  /** One line: the figure, the limit and the margin (or why no verdict). */
  message: string
}

/** A budget holds. */
export interface PassVerdict extends VerdictBase {
  kind: 'pass'
  /**
   * Relative rules: the figure did get worse (the interval's better end is past 0), by less than
   * allowed. The gate confirms such a pass with its extra repeats, because a spread estimated from
   * 3 repeats is often too small, and a pass on a real growth is where that hides a regression of
   * the allowed size.
   */
  confirmWithMoreRepeats?: boolean
}

/** A budget is exceeded. */
export interface FailVerdict extends VerdictBase {
  kind: 'fail'
  /** How far past the limit, in the metric's unit (bytes for memory); for relative rules, the estimated change in the worse direction as a fraction (0.076). */
  over: number
  /** `over` relative to the limit; null when the limit is 0. */
  overRatio: number | null
  /** Memory failures: what grew and what holds it (added by the gate unless `--no-explain`). */
  explanation?: Explanation
}

/** No verdict: too few repeats, too much spread, no baseline, or the figure is missing. */
export interface InconclusiveVerdict extends VerdictBase {
  kind: 'inconclusive'
  /** True when more repeats could settle it (noise, too few repeats), not a missing baseline. */
  moreRepeatsHelp: boolean
}

/** What a rule says: pass, fail or inconclusive. */
export type Verdict = PassVerdict | FailVerdict | InconclusiveVerdict
/** `pass`, `fail` or `inconclusive`. */
export type VerdictKind = Verdict['kind']

/** What a rule sees: one scenario of a run, its completed measuring repeats, its baseline. */
export interface ScenarioEvidence {
  scenario: ScenarioResult
  /** Measuring-pass repeats that completed (figures of failed ones are partial and left out). */
  completed: readonly RepeatResult[]
  /** Values of a metric over the completed repeats, nulls dropped. */
  series(metric: MetricKey): number[]
  baseline: BaselineLookup
  policy: GatePolicy
}

/** One budget as a named rule (STYLE.md §9). */
export interface BudgetRule {
  name: string
  category: RuleCategory
  /** The verdict, or null when the rule does not apply to this scenario (an inherited budget on a figure it lacks). */
  check(evidence: ScenarioEvidence): Verdict | null
}
