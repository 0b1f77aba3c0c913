/**
 * `memgate report [RUN_DIR]`: the optimisation report of a finished run. Reads run.json, judges it
 * through the gate's one verdict path (relative budgets without a baseline are left out: the
 * report says "no baseline" once), and writes `report.md` (with its PNG charts) and a
 * self-contained `report.html` next to run.json. The committed profile comparison of the run's
 * machine (`profiles.<platform>-<arch>.node<major>.json` in the baseline directory, written by
 * `memgate compare --profiles default,lean --save-profiles`) is shown when present; a bad one is
 * a warning. Never re-runs anything, never loads native code.
 */
import { resolve } from 'node:path'
import type { Argv } from 'yargs'
import { ExitCode } from '../../common/errors.js'
import { prepareOutputDir } from '../../common/fs.js'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { parseFormats, reportOptions, type ReportFlags } from '../options.js'
import { judged, loadProfiles, profilesPath, shownPath, summaryLine, writeReport } from '../report-output.js'

interface Args extends ReportFlags {
  run?: string
  gate?: boolean
}

/** The `report` command. */
export function reportCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      reportOptions(y.positional('run', { type: 'string', default: 'reports/latest', describe: 'run directory (or its run.json)' })).option('gate', {
        type: 'boolean',
        default: false,
        describe: "exit like `memgate check --run`: 1 when a budget failed, 3 when a repeat crashed (the report is written either way)",
      }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const formats = parseFormats(args.format)
      // A bad --out fails before anything is read (a file, /proc, a read-only directory: exit 2).
      const out = args.out ? await prepareOutputDir(resolve(io.cwd, args.out), '--out') : undefined
      const c = await import('../../check/index.js')
      const { readRun, incompleteReason } = await import('../../run/index.js')
      const { run, dir } = await readRun(io.cwd, args.run ?? 'reports/latest', 'RUN_DIR')
      const incomplete = incompleteReason(run)
      if (incomplete) println(io.stderr, `memgate report: ${incomplete}; its figures cover only what was measured${args.gate ? ', and --gate exits 3' : ''}.`)
      const config = await c.loadGateConfig(io.cwd, args.config, { baselineDir: args.baselines })
      const outcome = await c.judgeRun(run, dir, config, {}, { explain: false, withoutBaseline: 'omit' })
      const profiles = await loadProfiles(io, await profilesPath(config.check.baselineDir, run))
      const { generateReport } = await import('../../report/index.js')
      const generated = await generateReport({ lang: args.lang as 'en', run: judged(run, shownPath(io.cwd, dir), outcome), before: null, profiles }, formats)
      await writeReport(io, generated, out ?? dir)
      println(io.stdout, summaryLine(generated))
      if (args.gate) ctx.exitCode = incomplete ? ExitCode.TargetFailed : outcome.exitCode
    },
  }
}
