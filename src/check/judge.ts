/**
 * The one verdict path: `memgate check`, `memgate report` (and `--gate`), `memgate compare` and
 * `memgate baseline update` all judge a run here, with the same budgets, baselines and policy.
 */
import { checkRun, lookupBaseline, type CheckOutcome, type GateHooks } from '../baseline/index.js'
import { writeRun } from '../run/run-dir.js'
import type { RunResult } from '../run/schema.js'
import type { GateConfig } from './config.js'

/** How a judgement differs by caller. */
export interface JudgeOptions {
  /** Attach "what grew" to failing memory verdicts (needs hooks.heapGrowth). @default config's check.explain */
  explain?: boolean
  /** See GateInputs.withoutBaseline. @default 'inconclusive' */
  withoutBaseline?: 'inconclusive' | 'omit'
}

/**
 * Judges every scenario of `run`. With hooks, inconclusive relative rules get extra repeats,
 * which are written back into `dir`'s run.json so a later `check --run` sees the same evidence.
 */
export async function judgeRun(run: RunResult, dir: string, config: Pick<GateConfig, 'check' | 'budgetsFor'>, hooks: GateHooks = {}, options: JudgeOptions = {}): Promise<CheckOutcome> {
  const { check } = config
  const outcome = await checkRun(
    run,
    {
      budgetsFor: config.budgetsFor,
      baselineFor: (s) => lookupBaseline(check.baselineDir, run, s),
      policy: check.policy,
      explain: options.explain ?? check.explain,
      withoutBaseline: options.withoutBaseline ?? 'inconclusive',
    },
    hooks,
  )
  if (outcome.scenarios.some((s) => s.extraRepeats > 0)) await writeRun(dir, run)
  return outcome
}
