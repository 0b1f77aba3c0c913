/**
 * Merging partial runs (`memgate merge DIR...`): the shards of a CI job matrix (`--shard i/n`),
 * each a run directory, become one run directory that `memgate check --run`, `report` and
 * `baseline update` read like any other run.
 *
 * What may be merged: finished runs of one split (the same n), every shard once (unless
 * `allowPartial`), each scenario in one shard only, made by the same memgate with the same
 * measuring options on comparable machines — see {@link planMerge} for the exact comparisons.
 *
 * The merged directory: run.json (a new id; the scenarios in shard order, which is the configured
 * order, since a shard runs a contiguous block of the list), every file run.json references
 * (heap snapshots, leak-check snapshots) copied to the same path relative to the new run, and the
 * rest of each partial's directory (its run.json, extra repeats' and explanations' runs, reports)
 * kept under `partials/<shard-i-of-n | run-id>/` as provenance. It is assembled in a temporary
 * sibling directory and renamed into place, so a crash never leaves half a run.
 */
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs'
import { copyFile, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { InputError, TargetCrashed, UsageError } from '../common/errors.js'
import { tempPathFor } from '../common/fs.js'
import { incompleteReason } from './completeness.js'
import { readRun, type ReadRun } from './read-run.js'
import { LATEST, newRunId, pointLatest, writeRun } from './run-dir.js'
import type { RunResult, ScenarioResult } from './schema.js'
import { formatShard } from './shard.js'

/** A run read for merging, with the path as the user gave it (for messages). */
export interface PartialRun extends ReadRun {
  given: string
}

/** How a merge may bend its rules. */
export interface MergeOptions {
  /** Merge although shards are missing, or inputs are not shards at all (the result is then not a whole suite). */
  allowPartial?: boolean
  /** Merge runs measured on different CPU models or core counts (platform, arch and Node major must still match). */
  allowMixedMachines?: boolean
  /** The command line, recorded as the merged run's `argv`. */
  argv: readonly string[]
  /** Fixed run id (tests); a new one otherwise. */
  id?: string
}

/** A file to copy into the merged run: `from` absolute, `to` relative to the merged directory. */
export interface MergeCopy {
  from: string
  to: string
}

/** The merged run, the files it needs, and what the user should know about it. */
export interface MergePlan {
  run: RunResult
  copies: MergeCopy[]
  /** Partials in merge order. */
  partials: PartialRun[]
  /** Shards absent from an `allowPartial` merge, as `i/n`. */
  missing: string[]
  /** Said on stderr: what was allowed (missing shards, mixed machines). */
  notes: string[]
}

/** Where the merged run went. */
export interface MergeOutcome extends MergePlan {
  dir: string
  file: string
}

/** Directory under the merged run that keeps the rest of each partial's directory. */
export const PARTIALS_DIR = 'partials'

/**
 * Reads one input of `memgate merge`: a run directory (or its run.json), or an output directory
 * holding `latest` (`--out DIR` of `run`/`check`, as a CI artifact holds it) or exactly one run.
 * @throws InputError for a path that holds no run, UsageError for an output directory of several runs
 */
export async function readPartialRun(cwd: string, given: string): Promise<PartialRun> {
  const path = resolve(cwd, given)
  if (existsSync(path) && statSync(path).isDirectory() && !existsSync(join(path, 'run.json'))) {
    // upload-artifact may turn the `latest` link into a copy of the run directory; both read.
    if (existsSync(join(path, LATEST))) return { ...(await readRun(cwd, join(given, LATEST), 'DIR')), given }
    const runs = readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(path, e.name, 'run.json')))
      .map((e) => e.name)
      .sort()
    if (runs.length > 1) throw new UsageError(`${given} holds ${runs.length} runs (${runs.join(', ')}) and no '${LATEST}'; name the run directory of the shard, e.g. ${join(given, runs[runs.length - 1] ?? '')}.`)
    if (runs.length === 1) return { ...(await readRun(cwd, join(given, runs[0] ?? ''), 'DIR')), given }
  }
  return { ...(await readRun(cwd, given, 'DIR')), given }
}

/** `1/2 (shards/1)` or `run 2025… (dir)`, for messages. */
function label(p: PartialRun): string {
  return p.run.shard ? `shard ${formatShard(p.run.shard)} (${p.given})` : `run ${p.run.id} (${p.given})`
}

/** Directory name of a partial's provenance under {@link PARTIALS_DIR}. */
function partialDirName(p: PartialRun): string {
  return p.run.shard ? `shard-${p.run.shard.index}-of-${p.run.shard.count}` : p.run.id
}

/** `v20.11.1` → 20. */
function nodeMajor(version: string): string {
  return /^v?(\d+)/.exec(version)?.[1] ?? version
}

/** The figures two partials must share, by what they describe. `mixedOk` ones `allowMixedMachines` lets differ. */
function comparable(run: RunResult): { config: Record<string, unknown>; machine: Record<string, unknown>; mixedOk: Record<string, unknown> } {
  const { options: o, environment: e } = run
  return {
    config: {
      memgateVersion: run.memgateVersion,
      'options.repeat': o.repeat,
      'options.snapshots': o.snapshots,
      'options.timeoutMs': o.timeoutMs,
      'options.intervalMs': o.intervalMs,
      'options.memoryLimitBytes': o.memoryLimitBytes,
      // Set through the run's environment (--env, run.env), and they change what memory figures mean.
      'environment.mallocArenaMax': e.mallocArenaMax,
      'environment.ldPreload': e.ldPreload,
    },
    // What baselines are keyed by: a merged run is judged against one baseline per scenario.
    machine: { 'environment.platform': e.platform, 'environment.arch': e.arch, 'Node major': nodeMajor(e.node) },
    mixedOk: { 'environment.cpuModel': e.cpuModel, 'environment.cpuCount': e.cpuCount },
  }
}

function differences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(a)
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} ${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`)
}

/** Every file path run.json holds for a scenario, relative to the run directory, with a setter to rewrite it. */
function fileRefs(s: ScenarioResult): { path: string; set(to: string): void }[] {
  const refs: { path: string; set(to: string): void }[] = []
  for (const r of s.repeats) {
    for (const st of r.stages) {
      for (const at of ['before', 'after'] as const) {
        const ref = st.snapshots[at]
        if (ref) refs.push({ path: ref.file, set: (to) => void (ref.file = to) })
      }
    }
  }
  const leak = s.analysis?.leakCheck
  if (leak) {
    leak.files.forEach((file, i) => refs.push({ path: file, set: (to) => void (leak.files[i] = to) }))
  }
  return refs
}

/** Forward slashes, as run.json records paths. */
const posix = (p: string): string => p.split(sep).join('/')

/**
 * Checks that `partials` are parts of one suite run under one configuration and builds the merged
 * run (pure: reads nothing, writes nothing).
 *
 * Refused (UsageError, exit 2): the same run given twice; two runs of the same shard; a missing
 * shard or an input that is not a shard, unless `allowPartial`.
 * Refused (TargetCrashed('RUN_INCOMPLETE'), exit 3, as the gate refuses it): a partial that did
 * not finish (interrupted, still running, planned scenarios or repeats missing).
 * Refused (InputError, exit 2): shards of different
 * splits (1/2 with 2/3); a different memgate version, `options` (repeat, snapshots, timeoutMs,
 * intervalMs, memoryLimitBytes), MALLOC_ARENA_MAX or LD_PRELOAD; a different platform, arch or
 * Node major (baselines are keyed by them); a different CPU model or core count, unless
 * `allowMixedMachines`; a scenario in two partials. The command line (`argv`) is not compared:
 * it differs by `--shard` and by artifact paths.
 */
export function planMerge(given: readonly PartialRun[], options: MergeOptions): MergePlan {
  if (given.length === 0) throw new UsageError('memgate merge needs the run directories of the shards, e.g. memgate merge shards/1 shards/2 --out merged.')
  const notes: string[] = []
  const seen = new Map<string, PartialRun>()
  for (const p of given) {
    const key = `${p.run.id}\0${p.run.createdAt}`
    const twin = seen.get(key)
    if (twin) throw new UsageError(`${p.given} and ${twin.given} are the same run (${p.run.id}); give each shard's run once.`)
    seen.set(key, p)
    const incomplete = incompleteReason(p.run)
    // As the gate does (exit 3): a merged run would hide what the shard did not measure.
    if (incomplete) throw new TargetCrashed('RUN_INCOMPLETE', `${label(p)}: ${incomplete}. memgate merge joins only finished shards: re-run that shard, then merge.`)
  }

  const sharded = given.filter((p) => p.run.shard)
  const loose = given.filter((p) => !p.run.shard)
  if (loose.length && !options.allowPartial) {
    throw new UsageError(`${loose.map((p) => p.given).join(', ')} ${loose.length === 1 ? 'is not a partial run' : 'are not partial runs'} (no --shard i/n recorded), so nothing says the merge holds the whole suite. Merge the runs of 'memgate check --shard i/n' or 'memgate run --shard i/n', or pass --allow-partial to combine these runs anyway.`)
  }
  const count = sharded[0]?.run.shard?.count
  const mismatch = sharded.find((p) => p.run.shard?.count !== count)
  if (mismatch && sharded[0]) {
    throw new InputError('INPUT_INVALID', `${label(sharded[0])} and ${label(mismatch)} come from different splits (${count} shards vs ${mismatch.run.shard?.count}); merge the shards of one CI matrix.`, join(mismatch.dir, 'run.json'))
  }
  const byIndex = new Map<number, PartialRun>()
  for (const p of sharded) {
    const index = p.run.shard?.index ?? 0
    const other = byIndex.get(index)
    if (other) throw new UsageError(`${p.given} and ${other.given} are both shard ${formatShard({ index, count: count ?? 0 })} (runs ${other.run.id} and ${p.run.id}); give one run per shard.`)
    byIndex.set(index, p)
  }
  const missing = count ? Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i)).map((i) => formatShard({ index: i, count })) : []
  if (missing.length) {
    const have = [...byIndex.keys()].sort((a, b) => a - b).map((i) => formatShard({ index: i, count: count ?? 0 }))
    if (!options.allowPartial) throw new UsageError(`Shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing (given ${have.join(', ')}), so the merged run would not hold the whole suite. Give the run directory of every shard, or pass --allow-partial to merge what there is.`)
    notes.push(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing: the merged run holds only shard${have.length > 1 ? 's' : ''} ${have.join(', ')} (--allow-partial).`)
  }
  if (loose.length) notes.push(`${loose.map((p) => p.given).join(', ')}: not ${loose.length === 1 ? 'a shard' : 'shards'}, merged as given (--allow-partial).`)

  // Shard order is the configured order (each shard runs a contiguous block of the list).
  const partials = [...sharded.sort((a, b) => (a.run.shard?.index ?? 0) - (b.run.shard?.index ?? 0)), ...loose]
  const first = partials[0] as PartialRun
  const ref = comparable(first.run)
  for (const p of partials.slice(1)) {
    const c = comparable(p.run)
    const config = differences(ref.config, c.config)
    if (config.length) throw new InputError('INPUT_INVALID', `${label(first)} and ${label(p)} were measured differently: ${config.join('; ')}. Merge only shards of one matrix over one commit and config (same memgate, same run options).`, join(p.dir, 'run.json'))
    const machine = differences(ref.machine, c.machine)
    if (machine.length) throw new InputError('INPUT_INVALID', `${label(first)} and ${label(p)} ran on incomparable machines: ${machine.join('; ')}. Baselines are kept per platform, arch and Node major; run every shard on the same runner image and Node.`, join(p.dir, 'run.json'))
    const mixed = differences(ref.mixedOk, c.mixedOk)
    if (mixed.length && !options.allowMixedMachines) {
      throw new InputError('INPUT_INVALID', `${label(first)} and ${label(p)} ran on different machines: ${mixed.join('; ')}. Their time figures are not comparable; run the shards on one machine type, or pass --allow-mixed-machines to merge anyway (run.json then records the first shard's machine; each shard's own is kept under ${PARTIALS_DIR}/).`, join(p.dir, 'run.json'))
    }
    if (mixed.length) notes.push(`${label(p)} ran on a different machine than ${label(first)} (${mixed.join('; ')}); run.json records ${label(first)}'s (--allow-mixed-machines).`)
  }

  const owner = new Map<string, PartialRun>()
  for (const p of partials) {
    for (const s of p.run.scenarios) {
      const other = owner.get(s.name)
      if (other) throw new InputError('INPUT_INVALID', `Scenario '${s.name}' is in both ${label(other)} and ${label(p)}; each scenario must be measured in one shard only. Were the shards split over different scenario lists?`, join(p.dir, 'run.json'))
      owner.set(s.name, p)
    }
  }

  const copies: MergeCopy[] = []
  const taken = new Map<string, string>()
  const scenarios: ScenarioResult[] = []
  for (const p of partials) {
    // A deep copy: file references are rewritten below without touching what was read.
    const own = structuredClone(p.run.scenarios)
    for (const s of own) {
      for (const ref of fileRefs(s)) {
        const from = resolve(p.dir, ref.path)
        if (relative(p.dir, from).startsWith('..')) throw new InputError('RUN_INVALID', `${label(p)} references ${ref.path}, outside its run directory; memgate writes snapshot paths inside the run. Re-run that shard.`, join(p.dir, 'run.json'))
        let to = posix(relative(p.dir, from))
        const holder = taken.get(to)
        if (holder !== undefined && holder !== from) to = posix(join(PARTIALS_DIR, partialDirName(p), to))
        if (taken.get(to) !== from) {
          taken.set(to, from)
          copies.push({ from, to })
        }
        ref.set(to)
      }
      scenarios.push(s)
    }
  }

  const times = (pick: (r: RunResult) => string | null): string[] => partials.map((p) => pick(p.run)).filter((t): t is string => t !== null).sort()
  const run: RunResult = {
    schemaVersion: first.run.schemaVersion,
    id: options.id ?? newRunId(),
    createdAt: times((r) => r.createdAt)[0] ?? new Date().toISOString(),
    finishedAt: times((r) => r.finishedAt).at(-1) ?? new Date().toISOString(),
    state: 'finished',
    planned: partials.flatMap((p) => p.run.planned ?? p.run.scenarios.map((s) => s.name)),
    memgateVersion: first.run.memgateVersion,
    argv: [...options.argv],
    options: { ...first.run.options },
    environment: { ...first.run.environment, ci: partials.some((p) => p.run.environment.ci) },
    scenarios,
  }
  return { run, copies, partials, missing, notes }
}

/** Regular files of a partial's directory, relative to it (temporary files left out). */
async function restOf(dir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? join(rel, e.name) : e.name
      if (/\.tmp-\d+-[0-9a-f]+$/.test(e.name)) continue
      if (e.isDirectory()) await walk(path)
      // Links (an output directory's `latest`) point elsewhere; regular files only.
      else if (e.isFile()) out.push(path)
    }
  }
  await walk('')
  return out
}

/**
 * Writes a planned merge into `dest` (which must not exist, or be an empty directory): copies
 * every referenced file, keeps each partial's other files (its run.json too) under {@link PARTIALS_DIR}, writes
 * run.json, all in a temporary sibling that is renamed to `dest` at the end.
 * @throws UsageError when `dest` exists and is not empty; InputError for a referenced file that is missing
 */
export async function writeMerge(dest: string, plan: MergePlan): Promise<{ dir: string; file: string }> {
  assertFreshDest(dest)
  for (const c of plan.copies) {
    if (!existsSync(c.from)) throw new InputError('INPUT_NOT_FOUND', `${c.from} is missing, but its run.json references it (${c.to}); give the whole run directory of each shard (upload the run's directory as the CI artifact, snapshots included).`, c.from)
  }
  const stage = tempPathFor(dest)
  try {
    await mkdir(stage, { recursive: true })
    for (const c of plan.copies) {
      await mkdir(dirname(join(stage, c.to)), { recursive: true })
      await copyFile(c.from, join(stage, c.to))
    }
    const copied = new Set(plan.copies.map((c) => c.from))
    for (const p of plan.partials) {
      const base = join(PARTIALS_DIR, partialDirName(p))
      for (const rel of await restOf(p.dir)) {
        if (copied.has(join(p.dir, rel))) continue
        const to = join(stage, base, rel)
        await mkdir(dirname(to), { recursive: true })
        await copyFile(join(p.dir, rel), to)
      }
    }
    const file = await writeRun(stage, plan.run)
    assertFreshDest(dest)
    if (existsSync(dest)) await rmdir(dest)
    await rename(stage, dest)
    return { dir: dest, file: join(dest, relative(stage, file)) }
  } catch (error) {
    await rm(stage, { recursive: true, force: true })
    throw error
  }
}

function assertFreshDest(dest: string): void {
  let isEmptyDir: boolean
  try {
    isEmptyDir = lstatSync(dest).isDirectory() && readdirSync(dest).length === 0
  } catch {
    return // nothing there
  }
  if (!isEmptyDir) throw new UsageError(`--out ${dest} already exists; the merged run gets a directory of its own. Remove it or name another.`)
}

/**
 * `memgate merge`: reads the partial runs, checks and merges them, writes the merged directory.
 * @param out the merged run's directory; by default `<cwd>/reports/<new id>`, pointed at by `reports/latest`
 */
export async function mergeRuns(cwd: string, dirs: readonly string[], options: MergeOptions & { out?: string }): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new UsageError('memgate merge needs the run directories of the shards, e.g. memgate merge shards/1 shards/2 --out merged.')
  const partials: PartialRun[] = []
  for (const d of dirs) partials.push(await readPartialRun(cwd, d))
  const plan = planMerge(partials, options)
  const outDir = options.out === undefined ? resolve(cwd, 'reports') : null
  const dest = options.out === undefined ? join(outDir as string, plan.run.id) : resolve(cwd, options.out)
  const written = await writeMerge(dest, plan)
  if (outDir) await pointLatest(outDir, plan.run.id)
  return { ...plan, ...written }
}
