/**
 * `memgate check [SCENARIO...]`: the CI gate. Parses flags, asks the gate library (src/check) to
 * run the configured scenarios (or read `--run DIR`) and judge them, prints the verdicts (table,
 * `--json`, `--junit`, GitHub annotations and step summary) and exits 0 (all pass), 1 (a budget
 * or regression failed), 2 (usage or config error) or 3 (the target crashed or hung).
 */
import { appendFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Argv } from 'yargs'
import { writeFileAtomic } from '../../common/fs.js'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { gateRunOptions, runFlagsOf, type GateRunArgs } from '../options.js'
import { createReporter } from '../reporter.js'
import { renderTable } from '../../report/render/table.js'

interface Args extends GateRunArgs {
  'extra-repeats'?: number
  'on-inconclusive'?: 'fail' | 'warn'
  explain?: boolean
  junit?: string
  json?: boolean
}

/** The `check` command. */
export function checkCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      gateRunOptions(y, 'check.repeat, 3')
        .option('extra-repeats', { type: 'number', describe: 'most extra repeats while a relative rule is inconclusive or a close pass is confirmed [default: check.extraRepeats, 2]' })
        .option('on-inconclusive', { type: 'string', choices: ['fail', 'warn'], describe: "what an inconclusive verdict does to the exit code [default: check.onInconclusive, 'warn']" })
        .option('explain', { type: 'boolean', describe: 'on a failing memory rule, re-run in snapshot mode and say what grew (--no-explain skips it) [default: true]' })
        .option('junit', { type: 'string', describe: 'also write a JUnit XML report (one test case per rule) to this file' })
        .option('json', { type: 'boolean', describe: 'print the verdicts as JSON (schema memgate.check v1) instead of the table' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const c = await import('../../check/index.js')
      const b = await import('../../baseline/index.js')
      const config = await c.loadGateConfig(io.cwd, args.config, { repeat: args.repeat, baselineDir: args.baselines, extraRepeats: args['extra-repeats'], onInconclusive: args['on-inconclusive'], explain: args.explain })
      const reporter = createReporter('repeats', io.stderr)
      const target: import('../../check/index.js').GateTarget = args.run ? { kind: 'run', path: args.run, scenarios: args.scenario } : { kind: 'scenarios', flags: runFlagsOf(args) }
      const session = await c.openGateSession(io, config, target, reporter.onEvent)
      const outcome = await c.judgeRun(session.run, session.dir, config, session.hooks)
      reporter.end()
      const policy = config.check.policy.onInconclusive
      if (args.json) io.stdout.write(b.renderCheckJson(outcome, session.dir, policy))
      else {
        println(io.stdout, `memgate check: run ${session.run.id} (${join(session.dir, 'run.json')}), baselines in ${config.check.baselineDir}`)
        println(io.stdout)
        println(io.stdout, renderTable(b.VERDICT_COLUMNS, b.verdictRows(outcome)))
        println(io.stdout)
        for (const line of b.detailLines(outcome, policy)) println(io.stdout, line)
      }
      if (args.junit) {
        const file = resolve(io.cwd, args.junit)
        await writeFileAtomic(file, b.renderJunit(outcome, policy))
        println(io.stderr, `JUnit report written to ${file}`)
      }
      if (io.env.GITHUB_ACTIONS === 'true') {
        // Workflow commands are read from stdout and stderr; keep stdout pure JSON under --json.
        for (const line of b.annotationLines(outcome, policy)) println(args.json ? io.stderr : io.stdout, line)
        const summary = io.env.GITHUB_STEP_SUMMARY
        if (summary) await appendFile(summary, b.renderStepSummary(outcome, policy))
      }
      ctx.exitCode = outcome.exitCode
    },
  }
}
