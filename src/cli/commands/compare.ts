/**
 * `memgate compare BEFORE_DIR AFTER_DIR`: the before-vs-after report of two runs of the same
 * scenarios (two configurations or two commits). With `--profiles default,lean` it first runs the
 * scenarios once per profile (variant), so the profile comparison is one command.
 */
import { join, resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import { ExitCode, UsageError } from '../../common/errors.js'
import { println, type CommandContext } from '../io.js'
import { parseFormats, reportOptions, type ReportFlags } from '../options.js'
import { createReporter } from '../reporter.js'
import { judged, shownPath, summaryLine, writeReport } from '../report-output.js'

interface Args extends ReportFlags {
  before?: string
  after?: string
  profiles?: string
  scenario?: string[]
  repeat?: number
  param?: string[]
}

/** `default,lean` → the two variants, before then after; each scenario validates them when it runs. */
function parseProfiles(given: string): [string, string] {
  const [before, after, ...rest] = given.split(',').map((p) => p.trim())
  if (!before || !after || rest.length || before === after) throw new UsageError(`--profiles takes two different profiles, before then after, e.g. --profiles default,lean; received '${given}'.`)
  return [before, after]
}

/** The `compare` command. */
export function compareCommand(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'compare [before] [after]',
    describe: 'Write the before-vs-after report of two runs (or run two profiles first with --profiles default,lean)',
    builder: (y: Argv<object>) =>
      reportOptions(
        y
          .positional('before', { type: 'string', describe: 'run directory of the "before" side' })
          .positional('after', { type: 'string', describe: 'run directory of the "after" side' })
          .option('profiles', { type: 'string', describe: 'run the scenarios with two engine profiles first, before then after, e.g. default,lean' })
          .option('scenario', { type: 'string', array: true, describe: 'with --profiles: scenarios to run [default: the default suite]' })
          .option('repeat', { type: 'number', describe: 'with --profiles: measuring repeats per scenario [default: 1]' })
          .option('param', { type: 'string', array: true, describe: 'with --profiles: scenario parameter k=v or scenario.k=v (repeatable)' }),
      ) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const formats = parseFormats(args.format)
      const c = await import('../../check/index.js')
      const { readRun } = await import('../../run/index.js')
      const config = await c.loadGateConfig(io.cwd, args.config, { baselineDir: args.baselines })
      let beforeDir = args.before
      let afterDir = args.after
      if (args.profiles) {
        if (beforeDir || afterDir) throw new UsageError('Give either two run directories or --profiles, not both.')
        const [b, a] = parseProfiles(args.profiles)
        const base = resolve(io.cwd, args.out ?? join('reports', `compare-${b}-${a}`))
        const reporter = createReporter('repeats', io.stderr)
        const runAs = async (profile: string): Promise<string> => {
          const flags = { scenarios: args.scenario, repeat: args.repeat, profile, params: args.param, outDir: join(base, profile) }
          return (await c.runTargets(io, config.loaded, flags, config.loaded.config.run, reporter.onEvent)).outcome.dir
        }
        beforeDir = await runAs(b)
        afterDir = await runAs(a)
        reporter.end()
        args.out ??= base
      }
      if (!beforeDir || !afterDir) throw new UsageError('Give two run directories, BEFORE_DIR and AFTER_DIR (e.g. memgate compare reports/run-a reports/run-b), or --profiles default,lean.')
      const before = await readRun(io.cwd, beforeDir, 'BEFORE_DIR')
      const after = await readRun(io.cwd, afterDir, 'AFTER_DIR')
      const judge = async (r: typeof before) => judged(r.run, shownPath(io.cwd, r.dir), await c.judgeRun(r.run, r.dir, config, {}, { explain: false, withoutBaseline: 'omit' }))
      const { generateReport } = await import('../../report/index.js')
      const generated = await generateReport({ lang: args.lang as 'en', before: await judge(before), run: await judge(after) }, formats)
      const out = args.out ? resolve(io.cwd, args.out) : join(after.dir, `compare-${before.run.id}`)
      await writeReport(io, generated, out)
      println(io.stdout, summaryLine(generated))
      const missing = after.run.scenarios.filter((s) => !before.run.scenarios.some((x) => x.name === s.name)).map((s) => s.name)
      if (missing.length) println(io.stderr, `memgate compare: ${missing.join(', ')} ran only in the after run; they have no "before" figures.`)
      ctx.exitCode = ExitCode.Ok
    },
  }
}
