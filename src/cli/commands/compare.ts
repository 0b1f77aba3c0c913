/**
 * `memgate compare BEFORE_DIR AFTER_DIR`: the before-vs-after report of two runs of the same
 * scenarios (two configurations or two commits). With `--profiles default,lean` it first runs the
 * scenarios once per profile (variant), so the profile comparison is one command, and
 * `--save-profiles [FILE]` keeps its headline figures with provenance (by default next to the
 * baselines, `profiles.<platform>-<arch>.node<major>.json`), for `memgate report` to show; it works
 * on two run directories too, when each ran one profile.
 */
import { loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { Argv } from 'yargs'
import { ExitCode, UsageError } from '../../common/errors.js'
import { checkOutputDir, prepareOutputDir } from '../../common/fs.js'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { parseFormats, reportOptions, type ReportFlags } from '../options.js'
import { createReporter } from '../reporter.js'
import { commandLine, gitCommitOf, judged, profilesPath, saveProfiles, shownPath, summaryLine, writeReport } from '../report-output.js'

interface Args extends ReportFlags {
  before?: string
  after?: string
  profiles?: string
  scenario?: string[]
  repeat?: number
  param?: string[]
  'save-profiles'?: string
}

/** `default,lean` → the two variants, before then after; each scenario validates them when it runs. */
function parseProfiles(given: string): [string, string] {
  const [before, after, ...rest] = given.split(',').map((p) => p.trim())
  if (!before || !after || rest.length || before === after) throw new UsageError(`--profiles takes two different profiles, before then after, e.g. --profiles default,lean; received '${given}'.`)
  return [before, after]
}

/** The one profile (variant) every scenario of `run` ran with, for `--save-profiles` of two run directories. */
function profileOf(run: { id: string; scenarios: readonly { variant: string | null }[] }, side: string): string {
  const variants = [...new Set(run.scenarios.map((s) => s.variant))]
  const only = variants[0]
  if (variants.length !== 1 || !only) throw new UsageError(`--save-profiles needs runs of one profile each; ${side} (run ${run.id}) ran ${variants.map((v) => v ?? 'no profile').join(', ') || 'no scenario'}.`)
  return only
}

/** The `compare` command. */
export function compareCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      reportOptions(
        y
          .positional('before', { type: 'string', describe: 'run directory of the "before" side' })
          .positional('after', { type: 'string', describe: 'run directory of the "after" side' })
          .option('profiles', { type: 'string', describe: 'run the scenarios with two engine profiles first, before then after, e.g. default,lean' })
          .option('scenario', { type: 'string', array: true, describe: 'with --profiles: scenarios to run [default: the default suite]' })
          .option('repeat', { type: 'number', describe: 'with --profiles: measuring repeats per scenario [default: 1]' })
          .option('param', { type: 'string', array: true, describe: 'with --profiles: scenario parameter k=v or scenario.k=v (repeatable)' })
          .option('save-profiles', { type: 'string', describe: 'write the headline figures of both profiles with provenance to FILE [default: profiles.<platform>-<arch>.node<major>.json in the baseline directory]' }),
      ) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const formats = parseFormats(args.format)
      const save = args['save-profiles']
      const loadAvgStart = loadavg()[0] ?? null
      // A bad --out fails before any run or read (a file, /proc, a read-only directory: exit 2).
      if (args.out) await checkOutputDir(resolve(io.cwd, args.out), '--out')
      const c = await import('../../check/index.js')
      const { readRun } = await import('../../run/index.js')
      const config = await c.loadGateConfig(io.cwd, args.config, { baselineDir: args.baselines })
      // So does a directory --save-profiles cannot write to.
      if (save !== undefined) await checkOutputDir(save ? dirname(resolve(io.cwd, save)) : config.check.baselineDir, '--save-profiles')
      let beforeDir = args.before
      let afterDir = args.after
      let profiles: [string, string] | null = null
      if (args.profiles) {
        if (beforeDir || afterDir) throw new UsageError('Give either two run directories or --profiles, not both.')
        const [b, a] = (profiles = parseProfiles(args.profiles))
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
      const saveAs = save === undefined ? null : (profiles ?? [profileOf(before.run, 'BEFORE_DIR'), profileOf(after.run, 'AFTER_DIR')])
      const judge = async (r: typeof before) => judged(r.run, shownPath(io.cwd, r.dir), await c.judgeRun(r.run, r.dir, config, {}, { explain: false, withoutBaseline: 'omit' }))
      const { generateReport } = await import('../../report/index.js')
      const generated = await generateReport({ lang: args.lang as 'en', before: await judge(before), run: await judge(after) }, formats)
      const out = await prepareOutputDir(args.out ? resolve(io.cwd, args.out) : join(after.dir, `compare-${before.run.id}`), args.out ? '--out' : 'the report directory')
      await writeReport(io, generated, out)
      println(io.stdout, summaryLine(generated))
      if (saveAs) {
        const path = save ? resolve(io.cwd, save) : await profilesPath(config.check.baselineDir, after.run)
        const provenance = { createdAt: new Date().toISOString(), gitCommit: await gitCommitOf(io.cwd), command: commandLine(io.argv), loadAvgStart, loadAvgEnd: loadavg()[0] ?? null }
        await saveProfiles(path, generated, saveAs, provenance)
        println(io.stdout, `Profile comparison (${saveAs.join(' → ')}) written to ${shownPath(io.cwd, path)}`)
      }
      const missing = after.run.scenarios.filter((s) => !before.run.scenarios.some((x) => x.name === s.name)).map((s) => s.name)
      if (missing.length) println(io.stderr, `memgate compare: ${missing.join(', ')} ran only in the after run; they have no "before" figures.`)
      ctx.exitCode = ExitCode.Ok
    },
  }
}
