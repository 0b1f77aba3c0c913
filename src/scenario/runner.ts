/**
 * The runner (parent side): for each scenario, `repeat` fresh worker processes that measure, then
 * (when asked) one more process that takes heap snapshots, so no figure comes from a process a
 * snapshot has inflated. run.json is rewritten after every process, so a run cut short still reads.
 */
import { join } from 'node:path'
import type { ResolvedRunOptions } from '../config/index.js'
import { tsxLoaderUrl } from './import-module.js'
import { runWorker, type WorkerEvent, type WorkerRunOptions } from './supervise/run-worker.js'
import { runWithService } from './supervise/service-repeat.js'
import type { ServiceDefinition } from './service-types.js'
import type { Pass, StageKind } from './define.js'
import { describeEnvironment, memoryRelevantEnv } from './environment.js'
import { checkAssignmentsUsed, resolveParams } from './params.js'
import { memgateVersion } from './paths.js'
import type { LoadedScenario } from './registry.js'
import { newRunId, pointLatest, writeRun } from '../run/run-dir.js'
import { analyzeLeaks } from './leak-analysis.js'
import { resolveVariant } from './variant.js'
import { Interrupted } from '../common/errors.js'
import { makeDirectory, prepareOutputDir } from '../common/fs.js'
import { completedMeasuringRepeats } from '../run/figures.js'
import type { RepeatResult, RunResult, ScenarioResult } from '../run/schema.js'

/** Progress of a run, for live output. */
export type RunEvent =
  | { type: 'repeat-start'; scenario: string; pass: Pass; index: number; total: number }
  | { type: 'stage-start'; scenario: string; stage: string; kind: StageKind; pid: number }
  | { type: 'progress'; scenario: string; stage: string | null; ops: number; errors: number; rssBytes: number | null; peakRssBytes: number | null }
  | { type: 'stage-end'; scenario: string; stage: string; ops: number; errors: number; rssBytes: number | null; peakRssBytes: number | null; durationMs: number }
  | { type: 'repeat-end'; scenario: string; repeat: RepeatResult }

/** What to run: resolved options plus the loaded scenarios. */
export interface RunRequest extends Omit<ResolvedRunOptions, 'scenarios' | 'defaultSuite'> {
  scenarios: readonly LoadedScenario[]
  /** The environment workers inherit (the CLI's). */
  baseEnv: Readonly<Record<string, string | undefined>>
  /** The command line, for the record. */
  argv: readonly string[]
  /** Fixed run id (tests); a new one otherwise. */
  runId?: string
  onEvent?: (event: RunEvent) => void
  /**
   * Aborting it (the CLI wires SIGINT/SIGTERM) kills the running worker, writes run.json marked
   * `interrupted` and rejects with Interrupted; `latest` is not moved.
   */
  signal?: AbortSignal
  /** One more worker per scenario under a tracer (e.g. heaptrack), after the other passes; see {@link TracedPass}. */
  tracedPass?: TracedPass
}

/**
 * An extra pass of one worker started through a tracer. It runs the scenario as the measuring
 * pass does, but none of its figures enter the run: it is not recorded as a repeat, only what
 * `record` makes of it (e.g. `analysis.native`). Not for service scenarios (the worker only drives load).
 */
export interface TracedPass {
  /** The wrapper that starts `node <flags> worker.js` for `scenario`, files under `runDir`. */
  launcher(scenario: string, runDir: string): Promise<{ execPath: string; args: string[] }>
  /** Reads what the tracer wrote after the worker ended, and records it on `result`. */
  record(result: ScenarioResult, repeat: RepeatResult, runDir: string): Promise<void>
}

/** A finished run. */
export interface RunOutcome {
  run: RunResult
  dir: string
  file: string
  /** Repeats that failed or timed out, over every scenario and pass. */
  failedRepeats: number
}

/**
 * Runs the scenarios and writes `outDir/<id>/run.json`. Worker failures are recorded, not thrown.
 * @throws UsageError for parameters no scenario declares or that do not parse
 */
export async function runScenarios(req: RunRequest): Promise<RunOutcome> {
  const params = new Map(req.scenarios.map((s) => [s.scenario.name, resolveParams(s.scenario.name, s.scenario.params ?? {}, req.params)]))
  checkAssignmentsUsed(req.params, new Map(req.scenarios.map((s) => [s.scenario.name, Object.keys(s.scenario.params ?? {})])))
  for (const s of req.scenarios) resolveVariant(s.scenario, req.variant)
  const id = req.runId ?? newRunId()
  const dir = join(req.outDir, id)
  // Refuses a file, /proc, /sys or an unwritable place at once (Node's recursive mkdir hangs under /proc).
  await prepareOutputDir(req.outDir, '--out')
  await makeDirectory(dir)
  const run: RunResult = {
    schemaVersion: 1,
    id,
    createdAt: new Date().toISOString(),
    finishedAt: null,
    state: 'running',
    planned: req.scenarios.map((s) => s.scenario.name),
    ...(req.shard ? { shard: req.shard } : {}),
    memgateVersion: memgateVersion(),
    argv: [...req.argv],
    options: { repeat: req.repeat, snapshots: req.snapshots, timeoutMs: req.timeoutMs, intervalMs: req.intervalMs, memoryLimitBytes: req.memoryLimitBytes },
    environment: describeEnvironment({ ...req.baseEnv, ...req.env }),
    scenarios: [],
  }
  let file = await writeRun(dir, run)
  let failedRepeats = 0
  for (const loaded of req.scenarios) {
    const { scenario, ref } = loaded
    const result: ScenarioResult = {
      name: scenario.name,
      description: scenario.description,
      module: ref.module,
      params: params.get(scenario.name) ?? {},
      variant: resolveVariant(scenario, req.variant),
      settings: {},
      repeats: [],
      analysis: null,
    }
    run.scenarios.push(result)
    // Inputs are made here, in the runner's process: whatever prepare loads stays out of the figures.
    const prepared = scenario.prepare ? await scenario.prepare(result.params as never) : undefined
    const snapshots = req.snapshots ?? scenario.snapshots ?? 'none'
    const passes: { pass: Pass; index: number }[] = Array.from({ length: req.repeat }, (_, index) => ({ pass: 'measure' as const, index }))
    if (snapshots === 'stages') passes.push({ pass: 'snapshot', index: 0 })
    for (const { pass, index } of passes) {
      req.onEvent?.({ type: 'repeat-start', scenario: scenario.name, pass, index, total: pass === 'measure' ? req.repeat : 1 })
      const repeat = await runOne(req, loaded, result.params, prepared, pass, index, dir)
      result.repeats.push(repeat)
      if (repeat.state !== 'completed') failedRepeats++
      if (pass === 'measure' && Object.keys(result.settings).length === 0) result.settings = repeat.settings
      req.onEvent?.({ type: 'repeat-end', scenario: scenario.name, repeat })
      if (req.signal?.aborted) {
        run.state = 'interrupted'
        file = await writeRun(dir, run)
        throw new Interrupted(`Interrupted: run ${id} stopped after ${countMeasured(run)} of ${req.repeat * req.scenarios.length} measuring repeats; ${file} holds what was measured, marked interrupted (memgate check refuses it).`)
      }
      if (pass === 'snapshot') result.analysis = await analyzeLeaks(scenario, repeat, dir)
      file = await writeRun(dir, run)
    }
    if (req.tracedPass && !scenario.service) {
      const launcher = await req.tracedPass.launcher(scenario.name, dir)
      req.onEvent?.({ type: 'repeat-start', scenario: scenario.name, pass: 'measure', index: 0, total: 1 })
      const traced = await runOne(req, loaded, result.params, prepared, 'measure', 0, dir, launcher)
      await req.tracedPass.record(result, traced, dir)
      file = await writeRun(dir, run)
    }
  }
  run.finishedAt = new Date().toISOString()
  run.state = 'finished'
  file = await writeRun(dir, run)
  // `latest` moves only to a finished run: an interrupted one never replaces a good one there.
  await pointLatest(req.outDir, id)
  return { run, dir, file, failedRepeats }
}

async function runOne(req: RunRequest, loaded: LoadedScenario, params: ScenarioResult['params'], prepared: unknown, pass: Pass, index: number, runDir: string, launcher?: { execPath: string; args: string[] }): Promise<RepeatResult> {
  const { scenario, ref } = loaded
  const nodeFlags = ['--expose-gc', ...(scenario.nodeFlags ?? []), ...req.nodeFlags, ...(ref.loader === 'tsx' ? ['--import', tsxLoaderUrl()] : [])]
  const scenarioEnv = typeof scenario.env === 'function' ? scenario.env({ variant: resolveVariant(scenario, req.variant) }) : (scenario.env ?? {})
  const env = definedEnv({ ...req.baseEnv, ...scenarioEnv, ...req.env })
  let stage: string | null = null
  let ops = { count: 0, errors: 0 }
  let rss: { now: number | null; peak: number | null } = { now: null, peak: null }
  const onEvent = (event: WorkerEvent): void => {
    if (!req.onEvent) return
    if (event.type === 'sample') {
      rss = { now: event.sample.rssBytes, peak: maxOf(rss.peak, event.sample.rssBytes) }
      req.onEvent({ type: 'progress', scenario: scenario.name, stage, ops: ops.count, errors: ops.errors, rssBytes: rss.now, peakRssBytes: rss.peak })
      return
    }
    const m = event.message
    if (m.t === 'stage-start') {
      stage = m.name
      ops = { count: 0, errors: 0 }
      rss = { now: m.before.rssBytes, peak: m.before.rssBytes }
      req.onEvent({ type: 'stage-start', scenario: scenario.name, stage: m.name, kind: m.kind, pid: m.before.pid })
    } else if (m.t === 'progress') {
      ops = { count: m.count, errors: m.errors }
    } else if (m.t === 'stage-end') {
      req.onEvent({ type: 'stage-end', scenario: scenario.name, stage: m.name, ops: m.ops.count, errors: m.ops.errors, rssBytes: m.after.rssBytes, peakRssBytes: maxOf(rss.peak, m.after.peakRssBytes), durationMs: m.ops.durationMs })
      stage = null
    }
  }
  const options: WorkerRunOptions = {
    signal: req.signal,
    spec: {
      module: ref.module,
      params,
      prepared,
      variant: resolveVariant(scenario, req.variant),
      pass,
      repeat: index,
      snapshots: pass === 'snapshot' ? 'stages' : 'none',
      runDir,
      snapshotSubdir: join('snapshots', scenario.name),
      progressIntervalMs: 250,
    },
    nodeFlags,
    env,
    recordedEnv: memoryRelevantEnv(env),
    loader: ref.loader,
    intervalMs: req.intervalMs,
    timeoutMs: req.timeoutMs,
    memoryLimitBytes: req.memoryLimitBytes,
    onEvent,
    ...(launcher ? { launcher } : {}),
  }
  if (!scenario.service) return runWorker(options)
  return runWithService(scenario.service as ServiceDefinition<never>, options, { env, cwd: process.cwd(), params, variant: resolveVariant(scenario, req.variant), repeat: index })
}

function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b
  if (b === null) return a
  return Math.max(a, b)
}

function countMeasured(run: RunResult): number {
  return run.scenarios.reduce((n, s) => n + completedMeasuringRepeats(s.repeats).length, 0)
}
