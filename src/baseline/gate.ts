/**
 * The gate over a run: per scenario, evaluate its rules; while a relative rule is inconclusive
 * for want of repeats, or passed on a figure that did get worse (to be confirmed), ask for one
 * more repeat (up to `extraRepeats`); then explain failing memory verdicts. Running processes and
 * reading snapshots are the caller's (src/check's) hooks, so this module works from saved JSON and
 * never loads the runner or native code. src/check drives it.
 */
import { completedMeasuringRepeats } from '../run/figures.js'
import type { RepeatResult, RunResult, ScenarioResult } from '../run/schema.js'
import type { BaselineLookup } from './baseline-file.js'
import { evaluateScenario, gateExitCode } from './evaluate.js'
import { memorySplit, type HeapGrowth, type Explanation } from './explain.js'
import { heapVsBaseline, rssGrowth } from './explain-rss.js'
import { nativeGrowth } from './explain-native.js'
import type { GatePolicy, ScenarioBudgets } from '../config/policy.js'
import type { FailVerdict, Verdict } from './verdict.js'

/** What the gate needs besides the run. */
export interface GateInputs {
  budgetsFor(scenario: string): ScenarioBudgets
  baselineFor(scenario: ScenarioResult): Promise<BaselineLookup>
  policy: GatePolicy
  /** Attach "what grew" to failing memory verdicts. @default true */
  explain?: boolean
  /**
   * Relative budgets of a scenario without a committed baseline: `inconclusive` verdicts (the
   * gate: CI should see that nothing was compared) or left out (a report says "no baseline" once).
   * @default 'inconclusive'
   */
  withoutBaseline?: 'inconclusive' | 'omit'
}

/** Process work the gate may ask of its caller. A missing hook means "cannot" (e.g. `--run DIR`). */
export interface GateHooks {
  /** Runs one more measuring repeat of `scenario` in a fresh process. */
  moreRepeat?(scenario: ScenarioResult): Promise<RepeatResult>
  /**
   * Growth by class between heap snapshots framing the scenario's stages (re-running it in snapshot
   * mode if needed). With `composition`, also the classes at the end of the last work stage, to
   * diff against the baseline's heap composition.
   */
  heapGrowth?(scenario: ScenarioResult, composition?: boolean): Promise<HeapGrowth>
}

/** The check of one scenario. */
export interface ScenarioCheck {
  scenario: string
  verdicts: Verdict[]
  baseline: BaselineLookup
  /** Completed measuring repeats judged, extra ones included. */
  repeats: number
  /** Repeats added because a relative rule was inconclusive. */
  extraRepeats: number
}

/** The check of a run. */
export interface CheckOutcome {
  runId: string
  scenarios: ScenarioCheck[]
  exitCode: 0 | 1 | 3
}

const isMemoryFail = (v: Verdict): v is FailVerdict => v.kind === 'fail' && v.category === 'memory'

/**
 * Checks every scenario of `run`. Extra repeats are appended to the run's scenario results (the
 * caller may write the run back so `--run DIR` later sees the same evidence).
 */
export async function checkRun(run: RunResult, inputs: GateInputs, hooks: GateHooks = {}): Promise<CheckOutcome> {
  const { policy } = inputs
  const scenarios: ScenarioCheck[] = []
  for (const scenario of run.scenarios) {
    const baseline = await inputs.baselineFor(scenario)
    const configured = inputs.budgetsFor(scenario.name)
    const budgets = baseline.state === 'missing' && inputs.withoutBaseline === 'omit' ? { ...configured, regressions: {} } : configured
    let verdicts = evaluateScenario(scenario, budgets, baseline, policy)
    let extra = 0
    while (hooks.moreRepeat && extra < policy.extraRepeats && wantsMoreRepeats(verdicts)) {
      const measured = scenario.repeats.filter((r) => r.pass === 'measure').length
      const repeat = await hooks.moreRepeat(scenario)
      // Keep the run's numbering: the extra repeat continues the measuring pass.
      scenario.repeats.push({ ...repeat, index: measured })
      extra++
      verdicts = evaluateScenario(scenario, budgets, baseline, policy)
    }
    if (inputs.explain !== false && verdicts.some(isMemoryFail)) await explain(scenario, verdicts, baseline, hooks)
    const repeats = completedMeasuringRepeats(scenario.repeats).length
    scenarios.push({ scenario: scenario.name, verdicts, baseline, repeats, extraRepeats: extra })
  }
  const all = scenarios.flatMap((s) => s.verdicts)
  return { runId: run.id, scenarios, exitCode: gateExitCode(all, policy) as 0 | 1 | 3 }
}

/**
 * More repeats help only while nothing crashed and some verdict is about noise: an inconclusive
 * one more repeats could settle, or a relative pass on a figure that got worse, to confirm it.
 * A failure elsewhere does not stop them: every verdict in the report should be as sure as the
 * repeats allow.
 */
function wantsMoreRepeats(verdicts: readonly Verdict[]): boolean {
  if (verdicts.some((v) => v.kind === 'fail' && v.category === 'target')) return false
  return verdicts.some((v) => (v.kind === 'inconclusive' && v.moreRepeatsHelp) || (v.kind === 'pass' && v.confirmWithMoreRepeats === true))
}

async function explain(scenario: ScenarioResult, verdicts: Verdict[], baseline: BaselineLookup, hooks: GateHooks): Promise<void> {
  const completed = completedMeasuringRepeats(scenario.repeats)
  let heap: HeapGrowth | null = null
  if (hooks.heapGrowth) {
    try {
      heap = await hooks.heapGrowth(scenario, baseline.state === 'found' && baseline.baseline.composition?.heap !== undefined)
    } catch (error) {
      // The verdict stands without the explanation; say why it is missing.
      heap = { state: 'unavailable', reason: (error as Error).message }
    }
  }
  for (const v of verdicts) {
    if (!isMemoryFail(v)) continue
    const split = memorySplit(completed, baseline, v.change !== undefined)
    const rss = rssGrowth(completed, baseline, v.change !== undefined)
    const explanation: Explanation = {
      split,
      heap,
      rss,
      heapVsBaseline: heapVsBaseline(heap?.state === 'ok' ? (heap.composition ?? null) : null, baseline),
      native: nativeGrowth(scenario.analysis?.native, rss, split),
    }
    v.explanation = explanation
  }
}
