/**
 * `memgate check [SCENARIO...]`: the CI gate. Runs the configured scenarios (or `--run DIR` checks a
 * finished run), applies every budget rule, prints a verdict table and exits 0 (all pass), 1 (a
 * budget or regression failed), 2 (usage or config error) or 3 (the target crashed or hung).
 * Inconclusive relative rules, and relative passes on a figure that got worse, get extra repeats;
 * failing memory rules get a "what grew" section from a snapshot pass. Also `--junit FILE`,
 * `--json`, and GitHub Actions annotations and summary.
 */
import { existsSync, statSync } from 'node:fs'
import { appendFile, readFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import type { GateHooks, HeapGrowth } from '../../baseline/index.js'
import { InputError, MemgateError, UsageError } from '../../common/errors.js'
import { writeFileAtomic } from '../../common/fs.js'
import { formatBytes, formatMs } from '../../common/units.js'
import type { ResolvedCheckConfig } from '../../config/memgate-config-check.js'
import type { LoadedMemgateConfig } from '../../config/load-config.js'
import type { RunRequest } from '../../scenario/runner.js'
import type { RunEvent, RunResult, ScenarioResult } from '../../scenario/harness.js'
import type { LoadedScenario } from '../../scenario/registry.js'
import { println, type CliIO, type CommandContext } from '../io.js'
import { renderTable } from '../table.js'

/** Flags shared by `check` and `baseline update`: what to run and where the config is. */
export interface GateRunArgs {
  scenario?: string[]
  run?: string
  repeat?: number
  profile?: string
  param?: string[]
  config?: string
  out?: string
  timeout?: number
  baselines?: string
}

interface Args extends GateRunArgs {
  'extra-repeats'?: number
  'on-inconclusive'?: 'fail' | 'warn'
  explain?: boolean
  junit?: string
  json?: boolean
}

/**
 * Adds the flags of {@link GateRunArgs} to a command.
 * @param repeatDefault how `--repeat` defaults, for its help line
 */
export function gateRunOptions(y: Argv<object>, repeatDefault = 'check.repeat, 3'): Argv<object> {
  return y
    .positional('scenario', { type: 'string', array: true, describe: 'built-in scenario names or module paths [default: check.scenarios, run.scenarios, the default suite]' })
    .option('run', { type: 'string', describe: 'use a finished run (its directory or run.json) instead of running the scenarios' })
    .option('repeat', { type: 'number', describe: `measuring repeats per scenario [default: ${repeatDefault}]` })
    .option('profile', { type: 'string', choices: ['default', 'lean'], describe: 'engine profile [default: check.profile, run.profile]' })
    .option('param', { type: 'string', array: true, describe: 'scenario parameter k=v or scenario.k=v (repeatable)' })
    .option('config', { type: 'string', describe: 'config file [default: memgate.config.{ts,mts,js,mjs,json} in the working directory]' })
    .option('out', { type: 'string', describe: 'output directory of the run [default: run.outDir, reports]' })
    .option('timeout', { type: 'number', describe: 'seconds per worker process before it is killed as hung [default: 900]' })
    .option('baselines', { type: 'string', describe: 'baseline directory [default: check.baselineDir, baselines]' })
}

/** The `check` command. */
export function checkCommand(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'check [scenario..]',
    describe: 'Gate on memory budgets: run scenarios (or --run DIR), apply every rule, exit 0/1/2/3',
    builder: (y: Argv<object>) =>
      gateRunOptions(y)
        .option('extra-repeats', { type: 'number', describe: 'most extra repeats while a relative rule is inconclusive or a close pass is confirmed [default: check.extraRepeats, 2]' })
        .option('on-inconclusive', { type: 'string', choices: ['fail', 'warn'], describe: "what an inconclusive verdict does to the exit code [default: check.onInconclusive, 'warn']" })
        .option('explain', { type: 'boolean', describe: 'on a failing memory rule, re-run in snapshot mode and say what grew (--no-explain skips it) [default: true]' })
        .option('junit', { type: 'string', describe: 'also write a JUnit XML report (one test case per rule) to this file' })
        .option('json', { type: 'boolean', describe: 'print the verdicts as JSON (schema memgate.check v1) instead of the table' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const b = await import('../../baseline/index.js')
      const { resolveScenarioBudgets } = await import('../../config/budgets.js')
      const { loaded, check } = await loadGateConfig(io, args, { extraRepeats: args['extra-repeats'], onInconclusive: args['on-inconclusive'], explain: args.explain })
      const session = await gateSession(io, loaded, check, args)
      const { run } = session
      const outcome = await b.checkRun(
        run,
        { budgetsFor: (name) => resolveScenarioBudgets(loaded.config.budgets, name), baselineFor: (s) => b.lookupBaseline(check.baselineDir, run, s), policy: check.policy, explain: check.explain },
        session.hooks,
      )
      if (outcome.scenarios.some((s) => s.extraRepeats > 0)) {
        // The run on disk gets the extra repeats, so `check --run` on it sees what this check saw.
        const { writeRun } = await import('../../scenario/harness.js')
        await writeRun(session.dir, run)
      }
      const policy = check.policy.onInconclusive
      if (args.json) io.stdout.write(b.renderCheckJson(outcome, session.dir, policy))
      else {
        println(io.stdout, `memgate check: run ${run.id} (${join(session.dir, 'run.json')}), baselines in ${check.baselineDir}`)
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

/** Loads memgate.config and resolves its `check` section with the command's flags. */
export async function loadGateConfig(io: CliIO, args: GateRunArgs, flags: { extraRepeats?: number; onInconclusive?: 'fail' | 'warn'; explain?: boolean } = {}): Promise<{ loaded: LoadedMemgateConfig; check: ResolvedCheckConfig }> {
  const { loadMemgateConfig } = await import('../../config/load-config.js')
  const { resolveCheckConfig } = await import('../../config/memgate-config-check.js')
  const loaded = await loadMemgateConfig(io.cwd, args.config)
  const check = resolveCheckConfig(loaded.config.check, { repeat: args.repeat, baselineDir: args.baselines, ...flags }, io.cwd, loaded.baseDir)
  return { loaded, check }
}

/** A run to judge, its directory, and the process work the gate may ask for. */
export interface GateSession {
  run: RunResult
  dir: string
  hooks: GateHooks
}

/** Runs the configured scenarios, or reads `--run DIR`; wires the hooks for extra repeats and snapshot passes. */
export async function gateSession(io: CliIO, loaded: LoadedMemgateConfig, check: ResolvedCheckConfig, args: GateRunArgs): Promise<GateSession> {
  const { resolveRunOptions } = await import('../../config/index.js')
  const h = await import('../../scenario/harness.js')
  if (args.run) {
    const read = await readRunArg(io.cwd, args.run)
    const { dir } = read
    // Names pick scenarios out of a finished run.
    const run = selectScenarios(read.run, args.scenario)
    const base = { timeoutMs: run.options.timeoutMs, intervalMs: run.options.intervalMs, memoryLimitBytes: run.options.memoryLimitBytes, nodeFlags: [], env: {}, baseEnv: io.env, argv: [...io.argv] }
    // A finished run gets no extra repeats (it is checked as it is), but can still be explained.
    return { run, dir, hooks: { heapGrowth: (s) => heapGrowth(io, s, run, dir, base, null) } }
  }
  const runConfig = { ...loaded.config.run, ...(check.scenarios ? { scenarios: check.scenarios } : {}), ...(check.profile ? { profile: check.profile } : {}) }
  const options = resolveRunOptions(
    { scenarios: args.scenario, repeat: check.repeat, profile: args.profile, params: args.param, timeoutSec: args.timeout, outDir: args.out },
    runConfig,
    io.cwd,
    loaded.baseDir,
  )
  const scenarios = await h.loadScenarios(options.scenarios)
  const onEvent = progress(io)
  println(io.stderr, `memgate: running ${options.scenarios.join(', ')} × ${options.repeat} (profile ${options.profile})`)
  const { defaultSuite: _suite, scenarios: _names, ...rest } = options
  const outcome = await h.runScenarios({ ...rest, scenarios, baseEnv: io.env, argv: [...io.argv], onEvent })
  const byName = new Map(scenarios.map((s) => [s.scenario.name, s]))
  const base = { timeoutMs: options.timeoutMs, intervalMs: options.intervalMs, memoryLimitBytes: options.memoryLimitBytes, nodeFlags: options.nodeFlags, env: options.env, baseEnv: io.env, argv: [...io.argv] }
  const { run, dir } = outcome
  let extra = 0
  return {
    run,
    dir,
    hooks: {
      async moreRepeat(s) {
        const loadedScenario = byName.get(s.name)
        if (!loadedScenario) throw new MemgateError('INTERNAL', `Scenario '${s.name}' of the run is not among those loaded.`)
        println(io.stderr, `memgate: one more repeat of ${s.name} (a relative rule is inconclusive or its pass is being confirmed)`)
        const more = await h.runScenarios({ ...base, scenarios: [loadedScenario], repeat: 1, snapshots: 'none', profile: s.profile, params: paramsOf(s), outDir: join(dir, 'extra'), runId: `extra-${++extra}`, onEvent })
        const repeat = more.run.scenarios[0]?.repeats.find((r) => r.pass === 'measure')
        if (!repeat) throw new MemgateError('INTERNAL', `The extra run of '${s.name}' recorded no repeat.`)
        return repeat
      },
      heapGrowth: (s) => heapGrowth(io, s, run, dir, base, byName.get(s.name) ?? null),
    },
  }
}

type RunnerBase = Pick<RunRequest, 'timeoutMs' | 'intervalMs' | 'memoryLimitBytes' | 'nodeFlags' | 'env' | 'baseEnv' | 'argv'>

/** The recorded parameters of a scenario as assignments, so a re-run measures the same workload. */
function paramsOf(s: ScenarioResult): RunRequest['params'] {
  return Object.entries(s.params).map(([key, value]) => ({ scenario: s.name, key, value }))
}

/**
 * What grew in the JS heap: diffs the snapshot pass's first stage's before-snapshot with its last
 * stage's after-snapshot (teardown left out), re-running the scenario with `--snapshots stages`
 * when the run has no snapshot pass. Parsing happens here, never in the measured process.
 */
async function heapGrowth(io: CliIO, s: ScenarioResult, run: RunResult, dir: string, base: RunnerBase, loadedScenario: LoadedScenario | null): Promise<HeapGrowth> {
  const b = await import('../../baseline/index.js')
  const h = await import('../../scenario/harness.js')
  let pass = s.repeats.find((r) => r.pass === 'snapshot' && r.state === 'completed')
  let passDir = dir
  if (!pass) {
    let scenario = loadedScenario
    if (!scenario) {
      if (!existsSync(s.module)) return { state: 'unavailable', reason: `the scenario module ${s.module} no longer exists, so it cannot be re-run in snapshot mode` }
      scenario = await h.loadScenario(await h.resolveScenarioRef(s.module))
    }
    println(io.stderr, `memgate: re-running ${s.name} in snapshot mode to see what grew`)
    const again = await h.runScenarios({ ...base, scenarios: [scenario], repeat: 1, snapshots: 'stages', profile: s.profile, params: paramsOf(s), outDir: join(dir, 'explain'), runId: s.name, onEvent: progress(io) })
    pass = again.run.scenarios[0]?.repeats.find((r) => r.pass === 'snapshot')
    passDir = again.dir
    if (!pass || pass.state !== 'completed') return { state: 'unavailable', reason: `the snapshot pass ${pass ? `${pass.state}: ${pass.failure?.message ?? ''}` : 'did not run'}` }
  }
  const frame = b.framingStages(pass.stages)
  const before = frame?.first.snapshots.before?.file
  const after = frame?.last.snapshots.after?.file
  if (!frame || !before || !after) return { state: 'unavailable', reason: `the snapshot pass of run ${run.id} has no snapshot before its first stage or after its last` }
  const { diffSnapshotFiles } = await import('../../snapshot/index.js')
  const diff = await diffSnapshotFiles(join(passDir, before), join(passDir, after), { top: b.TOP_CLASSES, retainers: 1 })
  return b.growthFromDiff(diff, `before ${frame.first.name}`, `after ${frame.last.name}`, b.TOP_CLASSES)
}

/** One line per finished repeat on stderr (stdout carries the verdicts). */
function progress(io: CliIO): (e: RunEvent) => void {
  return (e) => {
    if (e.type !== 'repeat-end') return
    const r = e.repeat
    const which = r.pass === 'measure' ? `#${r.index + 1}` : 'snapshots'
    println(io.stderr, `  ${e.scenario} ${which}: ${r.state}, peak RSS ${formatBytes(r.peakRssBytes)}, ${formatMs(r.endedAtMs - r.startedAtMs)}${r.failure ? ` (${r.failure.message})` : ''}`)
  }
}

/**
 * Reads a finished run: its directory (holding run.json), run.json itself, or `reports/latest`.
 * @throws InputError when there is no such run or it does not validate
 */
export async function readRunArg(cwd: string, given: string): Promise<{ run: RunResult; dir: string }> {
  const { parseRun, LATEST } = await import('../../scenario/harness.js')
  let path = resolve(cwd, given)
  if (!existsSync(path)) throw new InputError('INPUT_NOT_FOUND', `--run ${given}: ${path} does not exist; give a run directory such as reports/latest.`, path)
  // Where symlinks are not allowed, `latest` is a file naming the newest run.
  if (basename(path) === LATEST && statSync(path).isFile()) path = join(dirname(path), (await readFile(path, 'utf8')).trim())
  const isDir = existsSync(path) && statSync(path).isDirectory()
  const dir = isDir ? path : dirname(path)
  const file = isDir ? join(path, 'run.json') : path
  if (!existsSync(file)) throw new InputError('INPUT_NOT_FOUND', `--run ${given}: ${dir} holds no run.json; give a directory written by \`memgate run\`.`, file)
  let json: unknown
  try {
    json = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new InputError('RUN_INVALID', `${file} is not JSON (${(error as Error).message}); the run was cut short or edited by hand.`, file, { cause: error })
  }
  return { run: parseRun(json, file), dir }
}

/**
 * Keeps the scenarios of a finished run named on the command line (all when none is named).
 * @throws UsageError for a name the run does not have
 */
export function selectScenarios(run: RunResult, names: readonly string[] | undefined): RunResult {
  if (!names?.length) return run
  const scenarios = names.map((n) => {
    const s = run.scenarios.find((x) => x.name === n)
    if (!s) throw new UsageError(`Run ${run.id} has no scenario '${n}'; it has ${run.scenarios.map((x) => x.name).join(', ') || 'none'}.`)
    return s
  })
  return { ...run, scenarios }
}
