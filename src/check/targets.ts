/**
 * Running what the gate judges: resolve the run options (flags over the config's `run` section),
 * load the scenarios and run them, reporting progress as events. `memgate run`, `check`,
 * `baseline update` and `compare --profiles` all run scenarios through here.
 */
import type { LoadedConfig } from '../config/load.js'
import type { RunConfig } from '../config/run-section.js'
import { resolveRunOptions, type ResolvedRunOptions, type RunFlags } from '../config/run-options.js'
import { UsageError } from '../common/errors.js'
import type { RunResult } from '../run/schema.js'
import { loadScenarios, runScenarios, type LoadedScenario, type RunOutcome, type RunRequest } from '../scenario/harness.js'
import type { OnCheckEvent } from './events.js'

/** Where a run starts from: the working directory, the environment workers inherit, the command line. */
export interface Invocation {
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  argv: readonly string[]
  /** Aborting it stops the running worker; the run is written marked interrupted. */
  signal?: AbortSignal
}

/** Runs started, with what was loaded to start them (extra repeats reuse it). */
export interface TargetRun {
  outcome: RunOutcome
  scenarios: readonly LoadedScenario[]
  options: ResolvedRunOptions
}

/**
 * Runs the scenarios the flags and `runSection` name.
 * @param runSection the config's `run` section, possibly overlaid by the `check` section's choices
 * @throws UsageError for bad flags or parameters; ConfigError for a scenario module that does not load
 */
export async function runTargets(inv: Invocation, loaded: LoadedConfig, flags: RunFlags, runSection: RunConfig | undefined, onEvent: OnCheckEvent, extra: Partial<Pick<RunRequest, 'tracedPass'>> = {}): Promise<TargetRun> {
  const options = resolveRunOptions(flags, runSection, inv.cwd, loaded.baseDir)
  const scenarios = await loadScenarios(options.scenarios)
  onEvent({ type: 'suite-start', scenarios: options.scenarios, repeat: options.repeat, variant: options.variant, defaultSuite: options.defaultSuite })
  const { defaultSuite: _suite, scenarios: _names, ...rest } = options
  const outcome = await runScenarios({ ...rest, scenarios, baseEnv: inv.env, argv: [...inv.argv], onEvent, signal: inv.signal, ...extra })
  return { outcome, scenarios, options }
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
