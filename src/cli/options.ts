/** Flags several commands share, defined once (commands never import one another). */
import type { Argv } from 'yargs'
import { UsageError } from '../common/errors.js'
import type { RunFlags } from '../config/run-options.js'
import { LANGS, REPORT_FORMATS, type ReportFormat } from '../report/input.js'
import { parseShard, type Shard } from '../run/shard.js'

/** `--profile`: opaque to the runner; each scenario validates the variants it declares. */
export const PROFILE_DESCRIBE = "the variant scenarios run as; for the OCR scenarios an engine profile (default, lean) [default: each scenario's own: lean for the OCR scenarios]"

/**
 * `--shard i/n` for the commands that run scenarios (`run`, `check`, `baseline update`): parsed
 * once, here, into a {@link Shard} by `parseShard` (a UsageError, exit 2, for `0/2`, `3/2`, `a/b`).
 */
export const SHARD_OPTION = {
  type: 'string',
  describe: "run only shard i of n (e.g. 1/2): a deterministic, balanced share of the scenarios, written as a partial run for 'memgate merge' (a CI job matrix)",
  coerce: (given: unknown): Shard => {
    if (Array.isArray(given)) throw new UsageError(`--shard was given ${given.length} times (${given.join(', ')}); give it once.`)
    return parseShard(String(given))
  },
} as const

/** Flags of the commands that run or read a run: `check` and `baseline update`. */
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
  /** Parsed by {@link SHARD_OPTION}. */
  shard?: Shard
}

/**
 * Adds the flags of {@link GateRunArgs} to a command.
 * @param repeatDefault how `--repeat` defaults, for its help line
 */
export function gateRunOptions(y: Argv<object>, repeatDefault: string): Argv<object> {
  return y
    .positional('scenario', { type: 'string', array: true, describe: 'built-in scenario names or module paths [default: check.scenarios, run.scenarios, the default suite]' })
    .option('run', { type: 'string', describe: 'use a finished run (its directory or run.json) instead of running the scenarios' })
    .option('repeat', { type: 'number', describe: `measuring repeats per scenario [default: ${repeatDefault}]` })
    .option('profile', { type: 'string', describe: PROFILE_DESCRIBE })
    .option('param', { type: 'string', array: true, describe: 'scenario parameter k=v or scenario.k=v (repeatable)' })
    .option('config', { type: 'string', describe: 'config file [default: memgate.config.{ts,mts,js,mjs,json} in the working directory]' })
    .option('out', { type: 'string', describe: 'output directory of the run [default: run.outDir, reports]' })
    .option('timeout', { type: 'number', describe: 'seconds per worker process before it is killed as hung [default: 900]' })
    .option('baselines', { type: 'string', describe: 'baseline directory [default: check.baselineDir, baselines]' })
    .option('shard', SHARD_OPTION)
    // A finished run is judged as it is; a shard of it would silently judge it all.
    .conflicts('shard', 'run')
}

/** The run flags of {@link GateRunArgs}. */
export function runFlagsOf(args: GateRunArgs): RunFlags {
  return { scenarios: args.scenario, repeat: args.repeat, profile: args.profile, params: args.param, timeoutSec: args.timeout, outDir: args.out, shard: args.shard }
}

/** Flags of `report` and `compare`: language, formats, output, budgets. */
export interface ReportFlags {
  lang?: string
  format?: string[]
  out?: string
  config?: string
  baselines?: string
}

/** Adds the flags of {@link ReportFlags}. */
export function reportOptions(y: Argv<object>): Argv<object> {
  return y
    .option('lang', { type: 'string', choices: LANGS, default: 'en', describe: 'language of the report' })
    .option('format', { type: 'string', array: true, default: ['md', 'html'], describe: `formats, comma-separated or repeated: ${REPORT_FORMATS.join(', ')} (md with PNG charts, html self-contained)` })
    .option('out', { type: 'string', describe: 'output directory [default: the run directory]' })
    .option('config', { type: 'string', describe: 'config file with the budgets [default: memgate.config.{ts,mts,js,mjs,json} in the working directory]' })
    .option('baselines', { type: 'string', describe: 'baseline directory for relative budgets [default: check.baselineDir, baselines]' })
}

/** `md,html` or repeated flags → the formats, validated. */
export function parseFormats(given: readonly string[] | undefined): ReportFormat[] {
  const all = (given ?? [...REPORT_FORMATS]).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean)
  const bad = all.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f))
  if (bad.length || all.length === 0) throw new UsageError(`--format takes ${REPORT_FORMATS.join(' and/or ')} (e.g. --format md,html) but received '${(given ?? []).join(',')}'.`)
  return [...new Set(all)] as ReportFormat[]
}
