/**
 * `memgate report [RUN_DIR]`: the optimisation report of a finished run. Reads run.json, applies
 * the budgets of memgate.config (or the built-in ones) with the gate's rules, and writes
 * `report.md` (with its PNG charts) and a self-contained `report.html` next to run.json. Never
 * re-runs anything and never loads native OCR code.
 */
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, isAbsolute, join, relative, resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import type { GatePolicy, ScenarioBudgets, Verdict } from '../../baseline/index.js'
import { InputError, UsageError } from '../../common/errors.js'
import { writeFileAtomic } from '../../common/fs.js'
import type { GeneratedReport, JudgedRun, Lang, ReportFormat } from '../../report/index.js'
import type { RunResult } from '../../scenario/schema.js'
import { println, type CliIO, type CommandContext } from '../io.js'

/** Flags shared by `report` and `compare`: language, formats, output, budgets. */
export interface ReportFlags {
  lang?: string
  format?: string[]
  out?: string
  config?: string
  baselines?: string
}

interface Args extends ReportFlags {
  run?: string
  gate?: boolean
}

/** Adds the flags of {@link ReportFlags}. */
export function reportOptions(y: Argv<object>): Argv<object> {
  return y
    .option('lang', { type: 'string', choices: ['en', 'es', 'pt'], default: 'en', describe: 'language of the report' })
    .option('format', { type: 'string', array: true, default: ['md', 'html'], describe: 'formats, comma-separated or repeated: md (with PNG charts), html (self-contained)' })
    .option('out', { type: 'string', describe: 'output directory [default: the run directory]' })
    .option('config', { type: 'string', describe: 'config file with the budgets [default: memgate.config.{ts,mts,js,mjs,json} in the working directory]' })
    .option('baselines', { type: 'string', describe: 'baseline directory for relative budgets [default: check.baselineDir, baselines]' })
}

/** `md,html` or repeated flags → the formats, validated. */
export function parseFormats(given: readonly string[] | undefined): ReportFormat[] {
  const all = (given ?? ['md', 'html']).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean)
  const bad = all.filter((f) => f !== 'md' && f !== 'html')
  if (bad.length || all.length === 0) throw new UsageError(`--format takes md and/or html (e.g. --format md,html) but received '${(given ?? []).join(',')}'.`)
  return [...new Set(all)] as ReportFormat[]
}

/**
 * Reads a finished run: its directory (holding run.json), run.json itself, or `reports/latest`.
 * @param what how the user gave it, for the message (`RUN_DIR`, `BEFORE_DIR`)
 * @throws InputError when there is no such run or it does not validate
 */
export async function readRunDir(cwd: string, given: string, what: string): Promise<{ run: RunResult; dir: string }> {
  const { parseRun } = await import('../../scenario/schema.js')
  let path = resolve(cwd, given)
  if (!existsSync(path)) throw new InputError('INPUT_NOT_FOUND', `${what} ${given}: ${path} does not exist; give a run directory written by \`memgate run\`, such as reports/latest.`, path)
  // Where symlinks are not allowed, `reports/latest` is a text file naming the newest run.
  if (basename(path) === 'latest' && statSync(path).isFile()) {
    path = resolve(path, '..', (await readFile(path, 'utf8')).trim())
    if (!existsSync(path)) throw new InputError('INPUT_NOT_FOUND', `${what} ${given} names run ${basename(path)}, but ${path} does not exist; run \`memgate run\` again.`, path)
  }
  const isDir = statSync(path).isDirectory()
  const dir = isDir ? path : resolve(path, '..')
  const file = isDir ? join(path, 'run.json') : path
  if (!existsSync(file)) throw new InputError('INPUT_NOT_FOUND', `${what} ${given}: ${dir} holds no run.json; give a directory written by \`memgate run\`.`, file)
  let json: unknown
  try {
    json = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new InputError('RUN_INVALID', `${file} is not JSON (${(error as Error).message}); the run was cut short or edited by hand. Re-run the scenarios.`, file, { cause: error })
  }
  return { run: parseRun(json, file), dir }
}

/** What judging a run needs from the configuration. */
export interface JudgeOptions {
  budgetsFor(scenario: string): ScenarioBudgets
  baselineDir: string
  policy: GatePolicy
}

/**
 * The gate's verdicts on every scenario of `run`, as `memgate check --run` gives them but without
 * extra repeats or snapshot passes. A relative budget without a committed baseline is left out
 * rather than listed as inconclusive: the report says "no baseline" once, in its before/after section.
 */
export async function judgeRun(run: RunResult, dir: string, options: JudgeOptions): Promise<JudgedRun> {
  const { evaluateScenario, lookupBaseline } = await import('../../baseline/index.js')
  const verdicts: Verdict[] = []
  for (const scenario of run.scenarios) {
    const budgets = options.budgetsFor(scenario.name)
    const baseline = await lookupBaseline(options.baselineDir, run, scenario)
    const effective = baseline.state === 'missing' ? { ...budgets, regressions: {} } : budgets
    verdicts.push(...evaluateScenario(scenario, effective, baseline, options.policy))
  }
  return { run, dir, verdicts }
}

/** Loads memgate.config's budgets and check section and returns how to judge runs with them. */
export async function judgeOptions(io: CliIO, flags: ReportFlags): Promise<JudgeOptions> {
  const { loadGateConfig } = await import('./check.js')
  const { resolveScenarioBudgets } = await import('../../config/budgets.js')
  const { loaded, check } = await loadGateConfig(io, { config: flags.config, baselines: flags.baselines })
  return { budgetsFor: (name) => resolveScenarioBudgets(loaded.config.budgets, name), baselineDir: check.baselineDir, policy: check.policy }
}

/** `p` as the user should read it: relative to the working directory when inside it, else absolute. */
export function shownPath(cwd: string, p: string): string {
  const rel = relative(cwd, p)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? p : rel
}

/** Writes the generated files into `outDir` atomically and prints where they are. */
export async function writeReport(io: CliIO, generated: GeneratedReport, outDir: string): Promise<string[]> {
  const written: string[] = []
  for (const f of generated.files) {
    const path = join(outDir, f.name)
    await writeFileAtomic(path, f.data)
    written.push(path)
  }
  const main = written.filter((p) => p.endsWith('.md') || p.endsWith('.html'))
  const charts = written.length - main.length
  for (const p of main) println(io.stdout, `Report written to ${shownPath(io.cwd, p)}`)
  if (charts) println(io.stdout, `${charts} chart${charts === 1 ? '' : 's'} (PNG) written to ${shownPath(io.cwd, outDir)}`)
  return written
}

/** One line for the terminal: rating and verdict counts. */
export function summaryLine(generated: GeneratedReport): string {
  const { after } = generated.report
  const count = (k: Verdict['kind']) => after.verdicts.filter((v) => v.kind === k).length
  return `Rating ${after.rating.rating.toUpperCase().replace('-', ' ')}: ${count('pass')} passed, ${count('fail')} failed, ${count('inconclusive')} inconclusive.`
}

/** The `report` command. */
export function reportCommand(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'report [run]',
    describe: 'Write the optimisation report of a finished run (report.md with PNG charts, report.html)',
    builder: (y: Argv<object>) =>
      reportOptions(y.positional('run', { type: 'string', default: 'reports/latest', describe: 'run directory (or its run.json)' })).option('gate', {
        type: 'boolean',
        default: false,
        describe: "exit like `memgate check --run`: 1 when a budget failed, 3 when a repeat crashed (the report is written either way)",
      }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const formats = parseFormats(args.format)
      const { run, dir } = await readRunDir(io.cwd, args.run ?? 'reports/latest', 'RUN_DIR')
      const options = await judgeOptions(io, args)
      const judged = await judgeRun(run, shownPath(io.cwd, dir), options)
      const { generateReport } = await import('../../report/index.js')
      const generated = await generateReport({ lang: (args.lang ?? 'en') as Lang, run: judged, before: null }, formats)
      await writeReport(io, generated, args.out ? resolve(io.cwd, args.out) : dir)
      println(io.stdout, summaryLine(generated))
      if (args.gate) {
        const { gateExitCode } = await import('../../baseline/index.js')
        ctx.exitCode = gateExitCode(judged.verdicts, options.policy)
      }
    },
  }
}
