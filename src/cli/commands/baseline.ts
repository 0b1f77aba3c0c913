/**
 * `memgate baseline update [SCENARIO...]`: the only writer of `baselines/`. Runs the configured
 * scenarios (or takes `--run DIR`) through the gate library, which refuses a run whose repeats
 * crashed, that broke an absolute budget or that has too few repeats, then prints what changed.
 */
import { relative, resolve } from 'node:path'
import type { Argv } from 'yargs'
import { ExitCode } from '../../common/errors.js'
import { checkOutputDir } from '../../common/fs.js'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { gateRunOptions, runFlagsOf, type GateRunArgs } from '../options.js'
import { createReporter } from '../reporter.js'
import { renderTable } from '../../report/render/table.js'

/** Flags of `baseline update`: the gate's run flags, and whether to take the snapshot pass. */
interface BaselineArgs extends GateRunArgs {
  snapshots?: 'none' | 'stages'
}

/** The `baseline` command (one subcommand: `update`). */
export function baselineCommand(ctx: CommandContext): CommandBody<object> {
  return {
    builder: (y: Argv<object>) =>
      y
        .command<BaselineArgs>({
          command: 'update [scenario..]',
          describe: 'Run the scenarios (or take --run DIR) and write their baselines; refuses a failed run',
          builder: (u: Argv<object>) =>
            gateRunOptions(u, 'check.baselineRepeat, 5').option('snapshots', {
              type: 'string',
              choices: ['none', 'stages'],
              describe: "'stages' (default): one more process per scenario takes heap snapshots, and the baseline keeps the heap's top classes at the end of the last work stage, which a failing memory rule's explanation diffs against; 'none' skips it",
            }) as unknown as Argv<BaselineArgs>,
          handler: (args) => updateBaselines(ctx, args),
        })
        .demandCommand(1, 'Name a baseline command: update.'),
    handler: () => undefined,
  }
}

async function updateBaselines(ctx: CommandContext, args: BaselineArgs): Promise<void> {
  const { io } = ctx
  const c = await import('../../check/index.js')
  const b = await import('../../baseline/index.js')
  const config = await c.loadGateConfig(io.cwd, args.config, { repeat: args.repeat, baselineDir: args.baselines })
  // Unwritable destinations fail before the scenarios run, not after.
  await checkOutputDir(config.check.baselineDir, args.baselines ? '--baselines' : 'check.baselineDir')
  if (args.out && !args.run) await checkOutputDir(resolve(io.cwd, args.out), '--out')
  const reporter = createReporter('repeats', io.stderr)
  // The snapshot pass runs in its own process after the measuring repeats: no figure comes from it.
  const flags = { ...runFlagsOf(args), repeat: args.repeat ?? config.check.baselineRepeat, snapshots: args.snapshots ?? 'stages' }
  const session = await c.openGateSession(io, config, args.run ? { kind: 'run', path: args.run, scenarios: args.scenario } : { kind: 'scenarios', flags }, reporter.onEvent)
  const written = await c.updateBaselines(session.run, config, io.cwd, reporter.onEvent)
  reporter.end()
  const columns = [{ header: 'metric' }, { header: 'old', right: true }, { header: 'new', right: true }, { header: 'change', right: true }]
  for (const w of written) {
    const commit = w.next.gitCommit
    println(io.stdout, `${w.previous ? 'Updated' : 'Created'} ${relative(io.cwd, w.file) || w.file}: ${w.scenario}, ${w.next.repeats} repeats of run ${session.run.id}${commit ? ` at ${commit.slice(0, 12)}` : ''}`)
    println(io.stdout, renderTable(columns, b.changeRows(w.changes)))
    println(io.stdout)
  }
  ctx.exitCode = ExitCode.Ok
}
