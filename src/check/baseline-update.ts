/**
 * `baseline update` as a library: judge every scenario of a run with its absolute budgets,
 * refuse the whole update if one crashed, broke a budget or has too few repeats, then write one
 * baseline file per scenario atomically and return what changed.
 */
import { execFile } from 'node:child_process'
import { baselineChanges, baselinePath, evaluateScenario, heapCompositionOf, readBaselineFile, summarizeBaseline, writeBaseline, type BaselineFile, type MetricChange } from '../baseline/index.js'
import { BudgetExceeded, TargetCrashed, UsageError } from '../common/errors.js'
import type { GatePolicy, ScenarioBudgets } from '../config/policy.js'
import { completedMeasuringRepeats } from '../run/figures.js'
import type { RunResult, ScenarioResult } from '../run/schema.js'
import type { GateConfig } from './config.js'
import type { OnCheckEvent } from './events.js'
import { heapClassesAtEnd, runDirOf } from './heap-composition.js'

/** One baseline file written. */
export interface BaselineWrite {
  scenario: string
  file: string
  previous: BaselineFile | null
  next: BaselineFile
  changes: MetricChange[]
}

/**
 * Writes the baselines of every scenario of `run` (all or nothing). Each records the scenario's
 * composition: the median RSS categories at the end of the last work stage and, when the run has
 * a completed snapshot pass (its files in `options.runDir`, or where the gate session read it),
 * the heap's top classes there.
 * @param cwd where `git rev-parse HEAD` is asked for the commit the baselines record
 * @throws TargetCrashed when a measuring repeat did not complete; BudgetExceeded when an absolute
 * budget fails; UsageError when there are fewer completed repeats than relative rules need
 */
export async function updateBaselines(run: RunResult, config: GateConfig, cwd: string, onEvent: OnCheckEvent, options: { runDir?: string } = {}): Promise<BaselineWrite[]> {
  const { check } = config
  // Judge every scenario before writing any file: an update is all or nothing.
  for (const s of run.scenarios) refuseIfFailed(s, onlyLimits(config.budgetsFor(s.name)), check.policy)
  const commit = await gitCommit(cwd)
  const written: BaselineWrite[] = []
  for (const s of run.scenarios) {
    const next = summarizeBaseline(run, s, commit)
    await addHeapComposition(next, s, options.runDir ?? runDirOf(run), onEvent)
    const file = baselinePath(check.baselineDir, next)
    let previous: BaselineFile | null = null
    try {
      previous = await readBaselineFile(file)
    } catch (error) {
      onEvent({ type: 'warning', message: `replacing an unreadable baseline: ${(error as Error).message}` })
    }
    await writeBaseline(check.baselineDir, next)
    written.push({ scenario: s.name, file, previous, next, changes: baselineChanges(previous, next) })
  }
  return written
}

/** Absolute budgets only: a baseline is updated precisely to accept a relative change. */
function onlyLimits(budgets: ScenarioBudgets): ScenarioBudgets {
  return { limits: budgets.limits, regressions: {} }
}

function refuseIfFailed(s: ScenarioResult, budgets: ScenarioBudgets, policy: GatePolicy): void {
  const verdicts = evaluateScenario(s, budgets, { state: 'missing', file: '' }, policy)
  const crashed = verdicts.find((v) => v.kind === 'fail' && v.category === 'target')
  if (crashed) throw new TargetCrashed('TARGET_CRASHED', `Refusing to write a baseline for '${s.name}': ${crashed.message}. Fix the crash and run again.`)
  const failed = verdicts.filter((v) => v.kind === 'fail')
  if (failed.length) throw new BudgetExceeded(`Refusing to write a baseline for '${s.name}' from a run that breaks its budgets: ${failed.map((v) => v.message).join('; ')}`)
  const completed = completedMeasuringRepeats(s.repeats).length
  if (completed < policy.minRepeats) throw new UsageError(`Refusing to write a baseline for '${s.name}' from ${completed} repeat${completed === 1 ? '' : 's'}: relative budgets need at least ${policy.minRepeats} (check.minRepeats); run with --repeat ${policy.minRepeats} or more.`)
}

/** `git rev-parse HEAD` in `cwd`, or null outside a git checkout or without git. */
function gitCommit(cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd, timeout: 5000 }, (error, stdout) => resolve(error ? null : stdout.trim() || null))
  })
}

/** Adds the heap's top classes at the end of the last work stage, from the run's snapshot pass (when it has one). */
async function addHeapComposition(next: BaselineFile, s: ScenarioResult, runDir: string | undefined, onEvent: OnCheckEvent): Promise<void> {
  const pass = s.repeats.find((r) => r.pass === 'snapshot' && r.state === 'completed')
  if (!pass || !runDir) return
  try {
    const end = await heapClassesAtEnd(pass, runDir)
    if (!end) return
    next.composition = { ...(next.composition ?? { stage: end.stage }), heap: heapCompositionOf(end.snapshot, end.classes) }
  } catch (error) {
    onEvent({ type: 'warning', message: `the baseline of '${s.name}' has no heap composition: ${(error as Error).message}` })
  }
}
