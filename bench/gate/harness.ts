/**
 * The pieces `bench:gate` repeats: run a fixture scenario's repeats through the real runner, make
 * a baseline of them, and check a variant with the gate exactly as `memgate check` does (same
 * rules, same extra-repeat loop), counting what it decided.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkRun, completedMeasuringRepeats, heapGrowthOf, loadScenarios, memorySplit, rssGrowth, runScenarios, summarizeBaseline, type BaselineLookup, type GatePolicy, type HeapGrowth, type LoadedScenario, type MemorySplit, type RepeatResult, type RssGrowth, type RunResult, type ScenarioBudgets, type Verdict } from '../../src/index.js'

const OUT = join(tmpdir(), 'memgate-bench-gate')

/** A fixture scenario with the environment that plants (or not) a regression. */
export interface Variant {
  label: string
  scenario: LoadedScenario
  env: Record<string, string>
  /** The scenario's variant (an engine profile for the OCR fixture), null when it has none. */
  profile: string | null
}

/** Loads a fixture scenario module. */
export async function loadFixture(module: string): Promise<LoadedScenario> {
  const [loaded] = await loadScenarios([module])
  if (!loaded) throw new Error(`No scenario in ${module}`)
  return loaded
}

/** Runs `repeat` measuring repeats (and a snapshot pass when asked) of a variant in fresh processes. */
export async function runVariant(v: Variant, repeat: number, snapshots: 'none' | 'stages' = 'none'): Promise<{ run: RunResult; dir: string }> {
  const outcome = await runScenarios({
    scenarios: [v.scenario],
    repeat,
    variant: v.profile,
    params: [],
    snapshots,
    timeoutMs: 10 * 60_000,
    intervalMs: 50,
    nodeFlags: [],
    env: v.env,
    memoryLimitBytes: null,
    outDir: OUT,
    baseEnv: process.env,
    argv: ['bench', 'gate', v.label],
  })
  return { run: outcome.run, dir: outcome.dir }
}

/** A baseline from `repeat` repeats of the clean variant, as `memgate baseline update` writes it. */
export async function makeBaseline(clean: Variant, repeat: number): Promise<BaselineLookup> {
  const { run } = await runVariant(clean, repeat)
  const scenario = run.scenarios[0]
  if (!scenario) throw new Error('the baseline run recorded no scenario')
  return { state: 'found', file: '(in memory)', baseline: summarizeBaseline(run, scenario, null) }
}

/** What one check decided. */
export interface CheckRecord {
  exitCode: number
  /** Completed measuring repeats the verdicts used, extra ones included. */
  repeats: number
  failed: string[]
  inconclusive: string[]
  verdicts: Verdict[]
  run: RunResult
}

/** One `memgate check` of a variant against `baseline`: `repeat` repeats, then extra ones while the policy asks. */
export async function checkVariant(v: Variant, baseline: BaselineLookup, budgets: ScenarioBudgets, policy: GatePolicy, repeat: number): Promise<CheckRecord> {
  const { run } = await runVariant(v, repeat)
  const outcome = await checkRun(
    run,
    { budgetsFor: () => budgets, baselineFor: async () => baseline, policy, explain: false },
    {
      async moreRepeat(): Promise<RepeatResult> {
        const more = await runVariant(v, 1)
        const r = more.run.scenarios[0]?.repeats[0]
        if (!r) throw new Error('the extra run recorded no repeat')
        return r
      },
    },
  )
  const s = outcome.scenarios[0]
  const verdicts = s?.verdicts ?? []
  return {
    exitCode: outcome.exitCode,
    repeats: s?.repeats ?? 0,
    failed: verdicts.filter((x) => x.kind === 'fail').map((x) => x.rule),
    inconclusive: verdicts.filter((x) => x.kind === 'inconclusive').map((x) => x.rule),
    verdicts,
    run,
  }
}

/**
 * What `memgate check` would attach to a failing memory verdict: the RSS/JS split against the
 * baseline and, when `snapshots`, the classes that grew in a snapshot pass with a retainer path
 * (the gate library's own explanation re-run).
 */
export async function explainVariant(v: Variant, check: CheckRecord, baseline: BaselineLookup, snapshots: boolean): Promise<{ split: MemorySplit | null; heap: HeapGrowth | null; rss: RssGrowth | null }> {
  const scenario = check.run.scenarios[0]
  const split = memorySplit(measuredRepeats(check), baseline, true)
  const rss = rssGrowthOf(check, baseline)
  if (!snapshots || !scenario) return { split, heap: null, rss }
  const heap = await heapGrowthOf(scenario, check.run.id, join(OUT, check.run.id), rerunBase(v), v.scenario, () => undefined)
  return { split, heap, rss }
}

/** Where RSS grew in a check against the baseline's composition (the RSS categories, from smaps), as the gate's explanation words it. */
export function rssGrowthOf(check: CheckRecord, baseline: BaselineLookup): RssGrowth | null {
  return rssGrowth(measuredRepeats(check), baseline, true)
}

/** The completed measuring repeats of a check's scenario (what the gate judged). */
export function measuredRepeats(check: CheckRecord): RepeatResult[] {
  return completedMeasuringRepeats(check.run.scenarios[0]?.repeats ?? [])
}

/** The runner options a snapshot re-run of `v` shares with its measured runs. */
const rerunBase = (v: Variant) => ({ timeoutMs: 10 * 60_000, intervalMs: 50, memoryLimitBytes: null, nodeFlags: [], env: v.env, baseEnv: process.env, argv: ['bench', 'gate', v.label] })

/**
 * The heap classes at the end of the last work stage of one snapshot pass of `v` (a measuring
 * repeat and a snapshot pass in fresh processes), as `memgate check` reads them for its explanation.
 */
export async function heapClassesOf(v: Variant): Promise<NonNullable<Extract<HeapGrowth, { state: 'ok' }>['composition']>> {
  const { run, dir } = await runVariant(v, 1, 'stages')
  const s = run.scenarios[0]
  if (!s) throw new Error('the run recorded no scenario')
  const growth = await heapGrowthOf(s, run.id, dir, rerunBase(v), v.scenario, () => undefined, true)
  if (growth.state !== 'ok' || !growth.composition) throw new Error(`no heap composition for ${v.label}: ${growth.state === 'ok' ? 'none recorded' : growth.reason}`)
  return growth.composition
}
