/**
 * A watch as a run: `memgate watch` samples processes it did not start (src/probe/watch) and
 * this module records the result as `reports/<id>/run.json`, so `memgate report` and
 * `memgate check --run` read it like any other run. The watch is one scenario (`watch`) with one
 * measuring repeat: its `timeline` is the tree's total (RSS summed; PSS summed, the honest total
 * for processes sharing pages), one `work` stage spans the watch, and every process, birth and
 * death is kept in `processes` and `events`. So peak RSS, fluctuation and swap budgets of the
 * config apply to the tree as a whole.
 *
 * run.json is written while the watch goes on (state `running`, no `finishedAt`: readers refuse
 * it as unfinished) after the first sample, every 10 s and after births and deaths, each time
 * atomically; so a watcher that crashes, or is killed with SIGKILL, loses at most the last
 * interval. The end rewrites it `finished` and points `latest` at it.
 */
import { join } from 'node:path'
import { makeDirectory, prepareOutputDir } from '../common/fs.js'
// Not the probe index: its where-RSS-lives half is not needed here (the watcher's RSS is a goal).
import { watchProcesses, resolveSelection, type WatchResult, type WatchSelection, type WatchSoFar, type WatchTick } from '../probe/watch/index.js'
import { newRunId, pointLatest, writeRun } from '../run/run-dir.js'
import type { Failure, RepeatResult, RunResult, StageResult } from '../run/schema.js'
import { describeEnvironment, memoryRelevantEnv } from '../scenario/environment.js'
import { memgateVersion } from '../scenario/paths.js'
import { endProcessGroup } from '../scenario/supervise/process-group.js'

/** The scenario name of a watch run: `budgets.scenarios.watch` in memgate.config applies to it. */
export const WATCH_SCENARIO = 'watch'

/** What to watch and where the run goes. Sizes in bytes, times in ms. */
export interface WatchRunRequest {
  selection: WatchSelection
  /** @default 1000 */
  intervalMs?: number
  /** null: until the targets end or `signal` aborts. */
  durationMs?: number | null
  /** @default true */
  children?: boolean
  /** Runs directory (absolute); the run goes to `<outDir>/<id>/run.json` and `<outDir>/latest` moves to it. */
  outDir: string
  /** memgate's command line, recorded in the run. */
  argv: readonly string[]
  cwd: string
  env: Record<string, string | undefined>
  /** Stops the watch; the run is still written (a watch is meant to be stopped: state `finished`). */
  signal?: AbortSignal
  /** Ceilings on the tree's total RSS and PSS; null or absent: none. */
  maxRssBytes?: number | null
  maxPssBytes?: number | null
  onTick?: (tick: WatchTick) => void
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void
  /** @default newRunId() */
  runId?: string
  /** Time between two saves of run.json while the watch goes on (births and deaths save sooner), ms. @default 10000 */
  checkpointMs?: number
}

/** One `--max-rss` / `--max-pss` check. */
export interface WatchBudget {
  name: 'max-rss' | 'max-pss'
  limitBytes: number
  /** The tree's highest total, or null when it was never read. */
  peakBytes: number | null
  exceeded: boolean
}

/** A written watch run. */
export interface WatchRunOutcome {
  watch: WatchResult
  run: RunResult
  dir: string
  file: string
  budgets: WatchBudget[]
  /** Why the command memgate started failed (a non-zero exit, a signal not sent by memgate), else null. */
  commandFailure: string | null
  /** Why run.json could not be saved while the watch went on (the first failure), else null. */
  checkpointFailure: string | null
}

/**
 * Watches, then writes the run and points `latest` at it.
 * @throws UsageError / InputError for a bad selection (no such PID, bad pattern, nothing
 * matches, command not found); ConfigError for a bad interval or duration
 */
export async function runWatch(req: WatchRunRequest): Promise<WatchRunOutcome> {
  const selection = await resolveSelection(req.selection)
  const createdAt = new Date()
  const meta: WatchRunMeta = { id: req.runId ?? newRunId(createdAt), createdAt, argv: req.argv, env: req.env }
  const dir = join(req.outDir, meta.id)
  // Before watching: an unusable --out fails now, not after an hour of samples. The run's own
  // directory comes with its first save, so a watch that cannot start leaves none behind.
  await prepareOutputDir(req.outDir, '--out')
  let made: Promise<void> | null = null
  const save = async (run: RunResult): Promise<string> => {
    await (made ??= makeDirectory(dir))
    return writeRun(dir, run)
  }
  let checkpointFailure: string | null = null
  const watch = await watchProcesses({
    selection,
    intervalMs: req.intervalMs,
    durationMs: req.durationMs,
    children: req.children,
    signal: req.signal,
    cwd: req.cwd,
    env: req.env,
    onTick: req.onTick,
    onOutput: req.onOutput,
    endGroup: (pgid) => endProcessGroup(pgid, 1000),
    checkpointMs: req.checkpointMs,
    onCheckpoint: async (soFar) => {
      try {
        await save(watchToRun(soFar, meta))
      } catch (error) {
        // The watch goes on (the disk may recover); the final write reports a lasting failure.
        checkpointFailure ??= `could not save the watch so far to ${join(dir, 'run.json')}: ${(error as Error).message}`
      }
    },
  })
  const run = watchToRun(watch, meta)
  const file = await save(run)
  await pointLatest(req.outDir, meta.id)
  const budgets: WatchBudget[] = []
  if (req.maxRssBytes != null) budgets.push(budget('max-rss', req.maxRssBytes, watch.peakRssBytes))
  if (req.maxPssBytes != null) budgets.push(budget('max-pss', req.maxPssBytes, watch.peakPssBytes))
  return { watch, run, dir, file, budgets, commandFailure: commandFailureOf(watch), checkpointFailure }
}

function budget(name: WatchBudget['name'], limitBytes: number, peakBytes: number | null): WatchBudget {
  return { name, limitBytes, peakBytes, exceeded: peakBytes !== null && peakBytes > limitBytes }
}

/** Why the started command failed, or null (no command, it exited 0, or memgate ended it). */
export function commandFailureOf(watch: WatchResult | WatchSoFar): string | null {
  const cmd = watch.command
  if (!cmd?.exit || cmd.endedByWatch) return null
  const { exitCode, signal } = cmd.exit
  if (signal) return `${cmd.argv.join(' ')} was killed by ${signal}`
  return exitCode !== 0 ? `${cmd.argv.join(' ')} exited with code ${exitCode}` : null
}

/** What a run records besides the watch. */
export interface WatchRunMeta {
  id: string
  createdAt: Date
  argv: readonly string[]
  /** memgate's environment (the command's, in command mode): its memory-relevant part is recorded. */
  env: Record<string, string | undefined>
}

/**
 * Turns a watch into a run: one scenario, one measuring repeat, one stage. A finished watch makes
 * a finished run; the watch so far (no end reason yet) a `running` one.
 */
export function watchToRun(watch: WatchResult | WatchSoFar, meta: WatchRunMeta): RunResult {
  const failure = failureOf(watch)
  const running = watch.endReason === null
  const stage: StageResult = {
    name: WATCH_SCENARIO,
    kind: 'work',
    state: 'completed',
    error: null,
    startedAtMs: watch.startedAtMs,
    endedAtMs: watch.endedAtMs,
    before: watch.first,
    after: watch.last,
    peakRssBytes: watch.peakRssBytes,
    peakRssSource: watch.peakRssBytes === null ? null : 'timeline',
    ops: { count: 0, errors: 0, durationMs: watch.endedAtMs - watch.startedAtMs, throughputPerSec: 0, latencyMs: null, source: 'op', errorMessages: [] },
    metrics: stageMetrics(watch),
    snapshots: {},
  }
  const cmd = watch.command
  const repeat: RepeatResult = {
    index: 0,
    pass: 'measure',
    state: failure ? 'failed' : 'completed',
    failure,
    pid: watch.processes[0]?.pid ?? cmd?.pid ?? 0,
    startedAtMs: watch.startedAtMs,
    endedAtMs: watch.endedAtMs,
    exitCode: cmd?.exit?.exitCode ?? null,
    signal: cmd?.exit?.signal ?? null,
    nodeFlags: [],
    env: memoryRelevantEnv(meta.env),
    loader: 'node',
    memoryLimitBytes: null,
    intervalMs: watch.intervalMs,
    peakRssBytes: watch.peakRssBytes,
    settings: { 'watch.target': watch.description, 'watch.selection': watch.selection, 'watch.children': watch.children, 'watch.endReason': watch.endReason },
    timeline: watch.total,
    stages: [stage],
    processes: watch.processes,
    events: watch.events,
  }
  const description = `memgate watch: ${watch.description}`
  return {
    schemaVersion: 1,
    id: meta.id,
    createdAt: meta.createdAt.toISOString(),
    finishedAt: running ? null : new Date(watch.endedAtMs).toISOString(),
    state: running ? 'running' : 'finished',
    planned: [WATCH_SCENARIO],
    target: { kind: 'watch', description: watch.description },
    memgateVersion: memgateVersion(),
    argv: [...meta.argv],
    options: { repeat: 1, snapshots: null, timeoutMs: Math.max(1, watch.endedAtMs - watch.startedAtMs), intervalMs: watch.intervalMs, memoryLimitBytes: null },
    environment: describeEnvironment(meta.env),
    scenarios: [{ name: WATCH_SCENARIO, description, module: 'memgate watch', params: {}, variant: null, settings: repeat.settings, repeats: [repeat], analysis: null }],
  }
}

/** The command's failure as the run records it (the `completed` rule fails on it). */
function failureOf(watch: WatchResult | WatchSoFar): Failure | null {
  const why = commandFailureOf(watch)
  const exit = watch.command?.exit
  if (!why || !exit) return null
  return { kind: exit.signal ? 'signal' : 'exit', message: why, signal: exit.signal, exitCode: exit.exitCode, stage: WATCH_SCENARIO, evidence: null, stderrTail: watch.command?.stderrTail ?? '' }
}

/** The watch's own figures, by name (only those it could read). */
function stageMetrics(watch: WatchResult | WatchSoFar): Record<string, number> {
  const wallMs = Math.max(1, watch.endedAtMs - watch.startedAtMs)
  const all: Record<string, number | null> = {
    peakPssBytes: watch.peakPssBytes,
    peakUssBytes: watch.peakUssBytes,
    memAvailableStartBytes: watch.system.first?.availableBytes ?? null,
    memAvailableEndBytes: watch.system.last?.availableBytes ?? null,
    memAvailableMinBytes: watch.system.minAvailableBytes,
    swapUsedMaxBytes: watch.system.maxSwapUsedBytes,
    processes: watch.processes.length + watch.droppedProcesses,
    processStarts: watch.events.filter((e) => e.kind === 'start' || e.kind === 'recycle').length,
    processExits: watch.events.filter((e) => e.kind === 'exit').length,
    ticks: watch.ticks,
    skippedTicks: watch.skippedTicks,
    watcherCpuMs: watch.watcherCpuMs,
    watcherCpuPercent: (watch.watcherCpuMs / wallMs) * 100,
  }
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(all)) if (v !== null && Number.isFinite(v)) out[k] = v
  return out
}
