/**
 * `memgate compare BEFORE_DIR AFTER_DIR`: the before-vs-after report of two runs of the same
 * scenarios (two configurations or two commits). With `--profiles default,lean` it first runs the
 * scenarios once per profile, so the profile comparison is one command.
 */
import { join, resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import { ExitCode, UsageError } from '../../common/errors.js'
import { formatBytes, formatMs } from '../../common/units.js'
import type { Lang } from '../../report/index.js'
import type { RunEvent } from '../../scenario/harness.js'
import { println, type CliIO, type CommandContext } from '../io.js'
import { judgeOptions, judgeRun, parseFormats, readRunDir, reportOptions, shownPath, summaryLine, writeReport, type ReportFlags } from './report.js'

interface Args extends ReportFlags {
  before?: string
  after?: string
  profiles?: string
  scenario?: string[]
  repeat?: number
  param?: string[]
}

/** `default,lean` → the two profiles, validated. */
function parseProfiles(given: string): ['default' | 'lean', 'default' | 'lean'] {
  const parts = given.split(',').map((p) => p.trim())
  const ok = (p: string | undefined): p is 'default' | 'lean' => p === 'default' || p === 'lean'
  if (parts.length !== 2 || !ok(parts[0]) || !ok(parts[1]) || parts[0] === parts[1]) throw new UsageError(`--profiles takes two different profiles, before then after, e.g. --profiles default,lean; received '${given}'.`)
  return [parts[0], parts[1]]
}

/** Runs the scenarios with `profile` into `<out>/<profile>/<run-id>`; returns the run directory. */
async function runProfile(io: CliIO, args: Args, profile: 'default' | 'lean', outDir: string): Promise<string> {
  const { loadConfig, resolveRunOptions } = await import('../../config/index.js')
  const { loadScenarios, runScenarios } = await import('../../scenario/harness.js')
  const loaded = await loadConfig(io.cwd, args.config)
  const options = resolveRunOptions({ scenarios: args.scenario, repeat: args.repeat, profile, params: args.param, outDir: join(outDir, profile) }, loaded.config.run, io.cwd, loaded.baseDir)
  println(io.stderr, `memgate compare: running ${options.scenarios.join(', ')} × ${options.repeat} with profile ${profile}`)
  const scenarios = await loadScenarios(options.scenarios)
  const outcome = await runScenarios({ ...options, scenarios, baseEnv: io.env, argv: [...io.argv], onEvent: progress(io) })
  return outcome.dir
}

function progress(io: CliIO): (e: RunEvent) => void {
  return (e) => {
    if (e.type !== 'repeat-end') return
    const r = e.repeat
    println(io.stderr, `  ${e.scenario} #${r.index + 1}: ${r.state}, peak RSS ${formatBytes(r.peakRssBytes)}, ${formatMs(r.endedAtMs - r.startedAtMs)}`)
  }
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
      let beforeDir = args.before
      let afterDir = args.after
      if (args.profiles) {
        if (beforeDir || afterDir) throw new UsageError('Give either two run directories or --profiles, not both.')
        const [b, a] = parseProfiles(args.profiles)
        const base = resolve(io.cwd, args.out ?? join('reports', `compare-${b}-${a}`))
        beforeDir = await runProfile(io, args, b, base)
        afterDir = await runProfile(io, args, a, base)
        args.out ??= base
      }
      if (!beforeDir || !afterDir) throw new UsageError('Give two run directories, BEFORE_DIR and AFTER_DIR (e.g. memgate compare reports/run-a reports/run-b), or --profiles default,lean.')
      const before = await readRunDir(io.cwd, beforeDir, 'BEFORE_DIR')
      const after = await readRunDir(io.cwd, afterDir, 'AFTER_DIR')
      const options = await judgeOptions(io, args)
      const show = (d: string) => shownPath(io.cwd, d)
      const input = {
        lang: (args.lang ?? 'en') as Lang,
        before: await judgeRun(before.run, show(before.dir), options),
        run: await judgeRun(after.run, show(after.dir), options),
      }
      const { generateReport } = await import('../../report/index.js')
      const generated = await generateReport(input, formats)
      const out = args.out ? resolve(io.cwd, args.out) : join(after.dir, `compare-${before.run.id}`)
      await writeReport(io, generated, out)
      println(io.stdout, summaryLine(generated))
      const missing = after.run.scenarios.filter((s) => !before.run.scenarios.some((b) => b.name === s.name)).map((s) => s.name)
      if (missing.length) println(io.stderr, `memgate compare: ${missing.join(', ')} ran only in the after run; they have no "before" figures.`)
      ctx.exitCode = ExitCode.Ok
    },
  }
}
