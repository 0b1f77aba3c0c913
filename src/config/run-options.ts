/**
 * Resolves `memgate run`'s options: command-line flags over the config's `run` section over the
 * defaults, validated once here into {@link ResolvedRunOptions} (STYLE.md §3).
 */
import { isAbsolute, resolve } from 'node:path'
import { UsageError } from '../common/errors.js'
import { parseBytes } from '../common/units.js'
import type { Shard } from '../run/shard.js'
import * as D from './defaults.js'
import { parseParamAssignment, splitParamName, type ParamAssignment } from './params.js'
import type { RunConfig } from './run-section.js'

/** Flags as the CLI parsed them; `undefined` means not given. */
/** Node's timers overflow past 2^31−1 ms (they then fire after 1 ms): the longest timeout or interval. */
const MAX_TIMER_MS = 2 ** 31 - 1
/** More measuring repeats than anyone runs; past it a typo, not a plan. */
const MAX_REPEAT = 100_000

export interface RunFlags {
  scenarios?: readonly string[]
  repeat?: number
  profile?: string
  /** `k=v` or `scenario.k=v`. */
  params?: readonly string[]
  snapshots?: string
  /** Seconds, as typed after `--timeout`. */
  timeoutSec?: number
  intervalMs?: number
  nodeFlags?: readonly string[]
  /** `K=V`. */
  env?: readonly string[]
  /** A size: bytes or `'512 MiB'`. */
  memoryLimit?: string
  outDir?: string
  /** `--shard i/n`, parsed by `parseShard` (src/run/shard.ts): run only this shard's share of the scenarios. */
  shard?: Shard
}

/** Everything a run needs, every default filled. */
export interface ResolvedRunOptions {
  /** Built-in names as given; module paths made absolute. */
  scenarios: string[]
  /** True when no scenario was named anywhere and the default suite was chosen. */
  defaultSuite: boolean
  repeat: number
  /** The variant (`--profile`) every scenario runs with; null: each scenario's own default. */
  variant: string | null
  /** Config assignments first, then the command line's (later ones win). */
  params: ParamAssignment[]
  /** Null: each scenario's own default. */
  snapshots: D.SnapshotMode | null
  timeoutMs: number
  intervalMs: number
  nodeFlags: string[]
  env: Record<string, string>
  memoryLimitBytes: number | null
  /** Absolute. */
  outDir: string
  /**
   * Set when the run is one shard of a CI matrix: `scenarios` then holds only this shard's share
   * ({@link shardShare}) and the run is a partial run, recorded as such. Absent otherwise.
   */
  shard?: Shard
}

/**
 * Merges flags, config and defaults.
 * @param configDir directory the config's relative paths resolve against
 * @throws UsageError for a bad flag value
 */
export function resolveRunOptions(flags: RunFlags, config: RunConfig | undefined, cwd: string, configDir: string = cwd): ResolvedRunOptions {
  const c = config ?? {}
  const named = flags.scenarios?.length ? flags.scenarios.map((s) => scenarioRef(s, cwd)) : (c.scenarios?.map((s) => scenarioRef(s, configDir)) ?? null)
  // Opaque here: each scenario validates the variants it declares (the OCR scenarios: the engine's profiles).
  const variant = flags.profile ?? c.profile ?? null
  const snapshots = flags.snapshots ?? c.snapshots ?? null
  if (snapshots !== null && !(D.SNAPSHOT_MODES as readonly string[]).includes(snapshots)) {
    throw new UsageError(`--snapshots must be one of ${D.SNAPSHOT_MODES.join(', ')} but received ${JSON.stringify(snapshots)}.`)
  }
  const repeat = flags.repeat ?? c.repeat ?? D.DEFAULT_REPEAT
  if (!Number.isSafeInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) throw new UsageError(`--repeat must be a whole number from 1 to ${MAX_REPEAT} but received ${repeat}.`)
  const timeoutMs = flags.timeoutSec !== undefined ? flags.timeoutSec * 1000 : (c.timeoutMs ?? D.DEFAULT_TIMEOUT_MS)
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) throw new UsageError(`--timeout must be a positive number of seconds up to ${MAX_TIMER_MS / 1000} but received ${flags.timeoutSec}.`)
  const intervalMs = flags.intervalMs ?? c.intervalMs ?? D.DEFAULT_INTERVAL_MS
  if (!(Number.isFinite(intervalMs) && intervalMs >= 1 && intervalMs <= MAX_TIMER_MS)) throw new UsageError(`--interval must be from 1 ms to ${MAX_TIMER_MS} ms but received ${intervalMs}.`)
  const limit = flags.memoryLimit ?? c.memoryLimit
  const outDir = flags.outDir !== undefined ? resolve(cwd, flags.outDir) : c.outDir !== undefined ? resolve(configDir, c.outDir) : resolve(cwd, D.DEFAULT_OUT_DIR)
  const all = named ?? [...D.DEFAULT_SUITE]
  return {
    scenarios: flags.shard ? shardShare(all, flags.shard) : all,
    defaultSuite: named === null,
    repeat,
    variant,
    params: [...Object.entries(c.params ?? {}).map(([k, v]) => ({ ...splitParamName(k, v), fromConfig: true })), ...(flags.params ?? []).map(parseParamAssignment)],
    snapshots: snapshots as D.SnapshotMode | null,
    timeoutMs,
    intervalMs,
    nodeFlags: [...(c.nodeFlags ?? []), ...(flags.nodeFlags ?? [])],
    env: { ...(c.env ?? {}), ...Object.fromEntries((flags.env ?? []).map(parseEnvAssignment)) },
    memoryLimitBytes: limit === undefined ? null : parseBytes(limit, '--memory-limit'),
    outDir,
    ...(flags.shard ? { shard: { index: flags.shard.index, count: flags.shard.count } } : {}),
  }
}

/**
 * The scenarios shard `i/n` runs: a contiguous block of the resolved list, blocks of ⌊m/n⌋ or
 * ⌈m/n⌉ scenarios, so the shards' shares are disjoint, together are the whole list, and differ
 * by at most one scenario. It depends only on the list and the shard, so every job of a matrix
 * computes the same split; contiguous blocks keep the configured order when `memgate merge` joins
 * the shards in shard order.
 *
 * Balanced by scenario count: nothing in the config tells what a scenario costs (neither the
 * config's `run` section nor the scenario list carries a duration), so every scenario weighs the
 * same. With a cost hint this would become a contiguous partition minimising the largest share.
 * @param all the resolved scenario list, in configured order
 * @throws UsageError for a shard outside 1..n, or one left with no scenario (more shards than scenarios)
 */
export function shardShare<T>(all: readonly T[], shard: Shard): T[] {
  const { index, count } = shard
  if (!(Number.isInteger(index) && Number.isInteger(count) && index >= 1 && index <= count)) {
    throw new UsageError(`--shard ${index}/${count} does not name a shard: write --shard i/n with 1 ≤ i ≤ n.`)
  }
  if (count > all.length) {
    throw new UsageError(`--shard ${index}/${count}: ${count} shards for ${all.length} scenario${all.length === 1 ? '' : 's'} would leave a shard with nothing to run; use at most ${all.length} shard${all.length === 1 ? '' : 's'}.`)
  }
  const start = Math.floor(((index - 1) * all.length) / count)
  const end = Math.floor((index * all.length) / count)
  return all.slice(start, end)
}

/** True when `ref` names a module file rather than a built-in scenario. */
export function isModulePath(ref: string): boolean {
  return /[\\/]/.test(ref) || ref.startsWith('.') || /\.(c|m)?[jt]sx?$/.test(ref)
}

function scenarioRef(ref: string, base: string): string {
  return isModulePath(ref) && !isAbsolute(ref) ? resolve(base, ref) : ref
}

function parseEnvAssignment(text: string): [string, string] {
  const eq = text.indexOf('=')
  const key = text.slice(0, Math.max(0, eq))
  if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UsageError(`--env ${JSON.stringify(text)} is not NAME=value; write e.g. --env MALLOC_ARENA_MAX=2.`)
  return [key, text.slice(eq + 1)]
}
