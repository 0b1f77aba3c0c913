/**
 * `memgate baseline update [SCENARIO...]`: the only writer of `baselines/`. Runs the configured
 * scenarios (or takes `--run DIR`), refuses a run whose repeats crashed, that broke an absolute
 * budget or that has too few repeats, then writes one file per scenario atomically and prints
 * what changes, metric by metric.
 */
import { execFile } from 'node:child_process'
import { relative } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import type { BaselineFile, ScenarioBudgets } from '../../baseline/index.js'
import { BudgetExceeded, ExitCode, TargetCrashed, UsageError } from '../../common/errors.js'
import type { ScenarioResult } from '../../scenario/harness.js'
import { println, type CommandContext } from '../io.js'
import { renderTable } from '../table.js'
import { gateRunOptions, gateSession, loadGateConfig, type GateRunArgs } from './check.js'

/** The `baseline` command (one subcommand: `update`). */
export function baselineCommand(ctx: CommandContext): CommandModule<object, object> {
  return {
    command: 'baseline',
    describe: 'Manage the committed baselines that relative budgets compare against',
    builder: (y: Argv<object>) =>
      y
        .command<GateRunArgs>({
          command: 'update [scenario..]',
          describe: 'Run the scenarios (or take --run DIR) and write their baselines; refuses a failed run',
          builder: (u: Argv<object>) => gateRunOptions(u, 'check.baselineRepeat, 5') as unknown as Argv<GateRunArgs>,
          handler: (args) => updateBaselines(ctx, args),
        })
        .demandCommand(1, 'Name a baseline command: update.'),
    handler: () => undefined,
  }
}

async function updateBaselines(ctx: CommandContext, args: GateRunArgs): Promise<void> {
  const { io } = ctx
  const b = await import('../../baseline/index.js')
  const { resolveScenarioBudgets } = await import('../../config/budgets.js')
  const { loaded, check } = await loadGateConfig(io, args)
  const { run } = await gateSession(io, loaded, { ...check, repeat: check.baselineRepeat }, args)
  const scenarios = run.scenarios
  // Judge every scenario before writing any file: an update is all or nothing.
  for (const s of scenarios) refuseIfFailed(s, onlyLimits(resolveScenarioBudgets(loaded.config.budgets, s.name)), check.policy.minRepeats, b)
  const commit = await gitCommit(io.cwd)
  for (const s of scenarios) {
    const next = b.summarizeBaseline(run, s, commit)
    const file = b.baselinePath(check.baselineDir, next)
    let previous: BaselineFile | null = null
    try {
      previous = await b.readBaselineFile(file)
    } catch (error) {
      println(io.stderr, `memgate: replacing an unreadable baseline: ${(error as Error).message}`)
    }
    await b.writeBaseline(check.baselineDir, next)
    println(io.stdout, `${previous ? 'Updated' : 'Created'} ${relative(io.cwd, file) || file}: ${s.name}, ${next.repeats} repeats of run ${run.id}${commit ? ` at ${commit.slice(0, 12)}` : ''}`)
    println(io.stdout, renderTable([{ header: 'metric' }, { header: 'old', right: true }, { header: 'new', right: true }, { header: 'change', right: true }], b.changeRows(b.baselineChanges(previous, next))))
    println(io.stdout)
  }
  ctx.exitCode = ExitCode.Ok
}

/** Absolute budgets only: a baseline is updated precisely to accept a relative change. */
function onlyLimits(budgets: ScenarioBudgets): ScenarioBudgets {
  return { limits: budgets.limits, regressions: {} }
}

/**
 * @throws TargetCrashed when a measuring repeat did not complete
 * @throws BudgetExceeded when an absolute budget fails
 * @throws UsageError when there are fewer completed repeats than relative rules need
 */
function refuseIfFailed(s: ScenarioResult, budgets: ScenarioBudgets, minRepeats: number, b: typeof import('../../baseline/index.js')): void {
  const verdicts = b.evaluateScenario(s, budgets, { state: 'missing', file: '' }, { ...b.DEFAULT_GATE_POLICY, minRepeats })
  const crashed = verdicts.find((v) => v.kind === 'fail' && v.category === 'target')
  if (crashed) throw new TargetCrashed('TARGET_CRASHED', `Refusing to write a baseline for '${s.name}': ${crashed.message}. Fix the crash and run again.`)
  const failed = verdicts.filter((v) => v.kind === 'fail')
  if (failed.length) throw new BudgetExceeded(`Refusing to write a baseline for '${s.name}' from a run that breaks its budgets: ${failed.map((v) => v.message).join('; ')}`)
  const completed = s.repeats.filter((r) => r.pass === 'measure' && r.state === 'completed').length
  if (completed < minRepeats) throw new UsageError(`Refusing to write a baseline for '${s.name}' from ${completed} repeat${completed === 1 ? '' : 's'}: relative budgets need at least ${minRepeats} (check.minRepeats); run with --repeat ${minRepeats} or more.`)
}

/** `git rev-parse HEAD` in `cwd`, or null outside a git checkout or without git. */
function gitCommit(cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd, timeout: 5000 }, (error, stdout) => resolve(error ? null : stdout.trim() || null))
  })
}
