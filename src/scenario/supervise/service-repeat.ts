/**
 * Turns a worker's repeat and the service the runner watched beside it into the repeat run.json
 * records for a service target: the timeline becomes the service tree's total (RSS and PSS
 * summed), every process keeps its own timeline, births, deaths and recycles become events, and
 * each stage's before/after/peak are read from the tree's timeline (the worker only drove load).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MemorySample } from '../../probe/types.js'
import type { ProcessRecord, RepeatResult, StageResult, TreeEvent } from '../../run/schema.js'
import type { ServiceDefinition } from '../service-types.js'
import { ServiceStartFailed, startService, type RunningService, type StartServiceOptions, type StoppedService } from './run-service.js'
import { runWorker, type WorkerRunOptions } from './run-worker.js'

/** Builds the service repeat from the worker's repeat and the stopped service. */
export function serviceRepeat(worker: RepeatResult, service: Pick<RunningService, 'command' | 'info' | 'readyMs'>, stopped: StoppedService, def: ServiceDefinition<never>): RepeatResult {
  const { watch } = stopped
  const timeline = watch.total
  const processes: ProcessRecord[] = watch.processes.map((p) => ({
    pid: p.pid,
    ppid: p.ppid,
    command: p.command,
    role: roleOf(def, p),
    startedAtMs: p.startedAtMs,
    endedAtMs: p.endedAtMs,
    exitCode: p.exitCode,
    signal: p.signal,
    timeline: p.timeline,
  }))
  const events = mergeEvents(watch.events, stopped)
  const exit = watch.command?.exit ?? null
  const crashed = !stopped.endedByRunner && exit !== null && worker.state === 'completed'
  const stages = worker.stages.map((s) => treeStage(s, timeline))
  return {
    ...worker,
    state: crashed ? 'failed' : worker.state,
    failure: crashed
      ? { kind: 'exit', message: `The service \`${service.command.join(' ')}\` exited before the scenario ended (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode}`}).`, signal: exit.signal, exitCode: exit.exitCode, stage: null, evidence: null, stderrTail: stopped.stderrTail }
      : worker.failure,
    // "Peak RSS of the process", as for any repeat: the largest one process reached (VmHWM); the
    // tree's summed RSS double-counts shared pages and is kept as `service.peakTreeRssBytes`.
    peakRssBytes: processPeak(processes),
    timeline,
    stages,
    processes,
    events,
    ...(worker.contention ? { contention: withoutTree(worker.contention, processes, worker.startedAtMs, worker.endedAtMs) } : {}),
    service: {
      command: service.command,
      url: service.info.url,
      pid: service.info.pid,
      readyMs: service.readyMs,
      exitCode: exit?.exitCode ?? null,
      signal: exit?.signal ?? null,
      endedByRunner: stopped.endedByRunner,
      stderrTail: stopped.stderrTail,
      driverPeakRssBytes: worker.peakRssBytes,
      peakPssBytes: watch.peakPssBytes,
      peakTreeRssBytes: watch.peakRssBytes,
    },
  }
}

function processPeak(processes: readonly ProcessRecord[]): number | null {
  let best: number | null = null
  for (const p of processes) for (const s of p.timeline) {
    const v = Math.max(s.rssBytes ?? 0, s.peakRssBytes ?? 0)
    if (v > 0 && (best === null || v > best)) best = v
  }
  return best
}

/**
 * The worker's contention counts every other process as a neighbour, the service too; the
 * service is the target, not contention: its CPU over the worker's time is taken out.
 */
function withoutTree(contention: NonNullable<RepeatResult['contention']>, processes: readonly ProcessRecord[], fromMs: number, toMs: number): NonNullable<RepeatResult['contention']> {
  if (contention.othersCores === null || toMs <= fromMs) return contention
  let cpuMs = 0
  for (const p of processes) {
    const inside = p.timeline.filter((s) => s.atMs >= fromMs && s.atMs <= toMs && s.cpuUserMs !== null)
    const first = inside[0]
    const last = inside.at(-1)
    if (first && last) cpuMs += last.cpuUserMs! + (last.cpuSystemMs ?? 0) - first.cpuUserMs! - (first.cpuSystemMs ?? 0)
  }
  return { ...contention, othersCores: Math.max(0, contention.othersCores - cpuMs / (toMs - fromMs)) }
}

/** The role of a watched process: the scenario's `roles`, else root → primary, others → worker. */
function roleOf(def: ServiceDefinition<never>, p: { pid: number; ppid: number | null; command: string; role: 'root' | 'child' }): string | null {
  const root = p.role === 'root'
  if (def.roles) return def.roles({ pid: p.pid, ppid: p.ppid, command: p.command, root })
  return root ? 'primary' : 'worker'
}

/**
 * The watcher's events and the service's own, in time order. When the service reports recycles
 * itself, the watcher's guesses (a death and a birth under one parent in one interval) become
 * plain starts, so a recycle is counted once.
 */
function mergeEvents(watchEvents: readonly TreeEvent[], stopped: StoppedService): TreeEvent[] {
  const own = stopped.outputEvents.map((e) => ({ atMs: e.atMs ?? 0, kind: e.kind, pid: e.pid, message: e.message }))
  const trustOwn = own.some((e) => e.kind === 'recycle')
  const watched = watchEvents.map((e) => (trustOwn && e.kind === 'recycle' ? { ...e, kind: 'start' as const } : { ...e }))
  return [...watched, ...own].sort((a, b) => a.atMs - b.atMs)
}

/** A stage seen through the tree: its before/after are the tree's totals at its ends, its peak the tree's. */
function treeStage(stage: StageResult, timeline: readonly MemorySample[]): StageResult {
  const end = stage.endedAtMs ?? Number.POSITIVE_INFINITY
  let before: MemorySample | null = null
  let after: MemorySample | null = null
  let peak: number | null = null
  for (const s of timeline) {
    if (s.atMs <= stage.startedAtMs) before = s
    if (s.atMs >= end && after === null) after = s
    if (s.atMs >= stage.startedAtMs && s.atMs <= end && s.rssBytes !== null) peak = Math.max(peak ?? 0, s.rssBytes)
  }
  if (stage.endedAtMs === null) after = null
  return { ...stage, before, after, peakRssBytes: peak, peakRssSource: peak === null ? null : 'timeline' }
}

/**
 * One repeat of a service scenario: start the service, run the worker against it, stop it, and
 * merge. A service that never becomes ready is a failed repeat (its stderr in the failure), not
 * an exception: the other repeats and scenarios still run.
 */
export async function runWithService(def: ServiceDefinition<never>, worker: WorkerRunOptions, start: Omit<StartServiceOptions, 'workDir' | 'intervalMs' | 'signal'>): Promise<RepeatResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'memgate-service-'))
  try {
    let running: RunningService
    const startedAtMs = Date.now()
    try {
      running = await startService(def, { ...start, workDir, intervalMs: worker.intervalMs, ...(worker.signal ? { signal: worker.signal } : {}) })
    } catch (error) {
      if (!(error instanceof ServiceStartFailed)) throw error
      return notReady(worker, error, startedAtMs)
    }
    let repeat: RepeatResult
    try {
      repeat = await runWorker({ ...worker, spec: { ...worker.spec, service: running.info } })
    } catch (error) {
      await running.stop()
      throw error
    }
    const stopped = await running.stop()
    return serviceRepeat(repeat, running, stopped, def)
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

function notReady(worker: WorkerRunOptions, error: ServiceStartFailed, startedAtMs: number): RepeatResult {
  const watch = error.stopped?.watch
  const exit = watch?.command?.exit ?? null
  return {
    index: worker.spec.repeat,
    pass: worker.spec.pass,
    state: 'failed',
    failure: { kind: 'exit', message: error.message, signal: exit?.signal ?? null, exitCode: exit?.exitCode ?? null, stage: null, evidence: null, stderrTail: error.stderrTail },
    pid: watch?.command?.pid ?? 0,
    startedAtMs,
    endedAtMs: Date.now(),
    exitCode: exit?.exitCode ?? null,
    signal: exit?.signal ?? null,
    nodeFlags: [...worker.nodeFlags],
    env: { ...worker.recordedEnv },
    loader: worker.loader,
    memoryLimitBytes: worker.memoryLimitBytes,
    intervalMs: worker.intervalMs,
    peakRssBytes: watch?.peakRssBytes ?? null,
    settings: {},
    timeline: watch?.total ?? [],
    stages: [],
    ...(watch ? { processes: watch.processes.map((p) => ({ ...p, role: p.role === 'root' ? 'primary' : 'worker' })), events: watch.events } : {}),
  }
}
