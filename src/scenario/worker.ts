/**
 * The worker: the child process a scenario runs in (entry point, run as compiled JS with
 * `--expose-gc`). Per stage: full GC, sample, [snapshot], reset VmHWM, run, full GC, sample,
 * [snapshot]. In the measuring pass it waits at each boundary for the parent's acknowledgement
 * (the parent reads its smaps there; see `sendBoundary`). It loads as little as possible: the
 * probe, this folder's small modules, the scenario, and tinybench or the snapshot writer only
 * when a stage needs them.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { resetPeakRss, sampleSelf } from '../probe/index.js'
import { isScenario, stagesOf, type Scenario, type StageContext, type StageKind } from './define.js'
import { errorInfo, isParentMessage, type WorkerMessage, type WorkerSpec } from './protocol.js'
import type { SnapshotRef } from '../run/schema.js'
import { createStageContext } from './stage-context.js'
import { REFERENCE_WORKLOAD, timeSpeedReference } from './speed-reference.js'

const abort = new AbortController()
let currentStage: string | null = null
/**
 * The previous stage's after-snapshot. Between one stage's end and the next one's start only the
 * harness runs (GC, a sample), so the next before-snapshot would be the same heap: it is reused
 * rather than written again, halving the snapshot pass's time and disk.
 */
let lastAfterSnapshot: SnapshotRef | null = null

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve()
    process.send(message, undefined, {}, () => resolve())
  })
}

/** Waiters for the parent's stage acknowledgements, by `seq`. */
const pendingAcks = new Map<number, () => void>()
let nextAckSeq = 0

/**
 * Sends a stage boundary and, when the parent asked for it (`spec.stageAckTimeoutMs`: it reads
 * smaps there), waits for its acknowledgement, at most that long: the read sees the worker as the
 * message describes it, not already in the next stage or gone.
 */
async function sendBoundary(spec: WorkerSpec, message: Extract<WorkerMessage, { t: 'stage-start' | 'stage-end' }>): Promise<void> {
  const timeoutMs = spec.stageAckTimeoutMs
  if (timeoutMs === undefined) return send(message)
  const seq = nextAckSeq++
  // Registered before sending: the ack may arrive before the send's own callback.
  const acked = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      pendingAcks.delete(seq)
      process.stderr.write(`memgate worker: no acknowledgement of stage '${message.name}' ${message.t === 'stage-start' ? 'start' : 'end'} from the runner within ${timeoutMs} ms; going on\n`)
      resolve()
    }, timeoutMs)
    pendingAcks.set(seq, () => {
      clearTimeout(timer)
      pendingAcks.delete(seq)
      resolve()
    })
  })
  await send({ ...message, ackSeq: seq })
  // Nobody to acknowledge it ('disconnect' is about to stop the worker): do not wait.
  if (!process.connected) pendingAcks.get(seq)?.()
  await acked
}

/** Ends the worker; callers await their last `send` first so the parent has heard it. */
function die(code: number): never {
  process.exit(code)
}

async function fullGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) return
  gc()
  // A second collection after a turn of the loop frees what the first one's finalizers released
  // (native buffers held by JS wrappers), so the sample reflects a steady state.
  await new Promise((resolve) => setImmediate(resolve))
  gc()
  // And one more turn: the second collection's own finalizers (a native addon's external buffer,
  // freed in a callback after the GC) run now, not after the sample. Without it, one stage end in
  // ten read an A4 page's decoded image (6.2 MiB) more than the parent's smaps read a moment later,
  // which showed as drift across cycles.
  await new Promise((resolve) => setImmediate(resolve))
}

async function snapshot(spec: WorkerSpec, stage: string, at: 'before' | 'after'): Promise<SnapshotRef | null> {
  if (spec.snapshots !== 'stages') return null
  const { captureHeapSnapshot } = await import('../snapshot/index.js')
  const file = join(spec.snapshotSubdir, `${stage}-${at}.heapsnapshot`)
  const taken = await captureHeapSnapshot(join(spec.runDir, file), { gc: false })
  return { file, sizeBytes: taken.sizeBytes, durationMs: taken.durationMs, rssBeforeBytes: taken.rssBeforeBytes, rssAfterBytes: taken.rssAfterBytes }
}

async function runStage<T>(spec: WorkerSpec, name: string, kind: StageKind, settings: Record<string, unknown>, body: (ctx: StageContext) => T | Promise<T>): Promise<T> {
  currentStage = name
  await fullGc()
  const before = sampleSelf()
  const snapBefore = lastAfterSnapshot ?? (await snapshot(spec, name, 'before'))
  const peakReset = resetPeakRss('self')
  await sendBoundary(spec, { t: 'stage-start', name, kind, atMs: Date.now(), before, peakReset, snapshot: snapBefore })
  const live = createStageContext({
    params: spec.params,
    variant: spec.variant,
    stage: name,
    pass: spec.pass,
    repeat: spec.repeat,
    signal: abort.signal,
    workDir: spec.workDir,
    recordSettings(s) {
      Object.assign(settings, s)
      void send({ t: 'settings', settings })
    },
    gc: fullGc,
    service: spec.service ?? null,
  })
  let lastCount = -1
  const progress = setInterval(() => {
    if (live.ops.count === lastCount) return
    lastCount = live.ops.count
    void send({ t: 'progress', name, count: live.ops.count, errors: live.ops.errors })
  }, spec.progressIntervalMs)
  progress.unref()
  const t0 = performance.now()
  let value: T
  try {
    value = await body(live.ctx)
  } catch (error) {
    clearInterval(progress)
    await send({ t: 'stage-failed', name, atMs: Date.now(), error: errorInfo(error) })
    return die(1)
  }
  const durationMs = performance.now() - t0
  clearInterval(progress)
  await fullGc()
  const after = sampleSelf()
  const snapAfter = await snapshot(spec, name, 'after')
  lastAfterSnapshot = snapAfter
  const http = live.http.stats()
  await sendBoundary(spec, { t: 'stage-end', name, atMs: Date.now(), after, ops: live.ops.stats(durationMs), metrics: live.metrics, snapshot: snapAfter, ...(http ? { http } : {}) })
  currentStage = null
  return value
}

async function loadScenario(module: string): Promise<Scenario> {
  const mod = (await import(pathToFileURL(module).href)) as { default?: { default?: unknown; scenario?: unknown }; scenario?: unknown }
  // The last two: a .ts module outside a "type": "module" package, compiled to CommonJS by tsx.
  const candidate = [mod.default, mod.scenario, mod.default?.default, mod.default?.scenario].find(isScenario)
  if (!candidate) throw new Error(`${module} does not export a scenario; export default defineScenario({ ... }).`)
  return candidate
}

async function run(spec: WorkerSpec): Promise<void> {
  const scenario = await loadScenario(spec.module)
  // Built from the params the parent resolved; the parent checked them against the declarations.
  const params = spec.params as never
  const stages = stagesOf(scenario, params)
  const settings: Record<string, unknown> = {}
  // The host's speed at the repeat's start (its buffers are collected by the first stage's GC).
  const speedAtStart = spec.speedReference ? timeSpeedReference() : null
  let state: unknown
  if (scenario.setup) {
    const setup = scenario.setup
    state = await runStage(spec, 'setup', 'setup', settings, (ctx) => setup(ctx as never, spec.prepared))
  }
  for (const stage of stages) {
    if (abort.signal.aborted) break
    await runStage(spec, stage.name, stage.kind, settings, (ctx) => stage.run(ctx as never, state as never))
  }
  if (scenario.teardown) {
    const teardown = scenario.teardown
    await runStage(spec, 'teardown', 'teardown', settings, (ctx) => teardown(ctx as never, state as never))
  }
  if (speedAtStart && !abort.signal.aborted) {
    // And at its end, after teardown: the stages' figures are taken; nothing else runs now.
    await send({ t: 'speed-reference', reference: { workload: REFERENCE_WORKLOAD, cpuMs: [...speedAtStart, ...timeSpeedReference()] } })
  }
  await send({ t: 'done' })
  die(0)
}

async function onFatal(error: unknown): Promise<void> {
  await send({ t: 'uncaught', error: errorInfo(error) })
  process.stderr.write(`memgate worker: uncaught error${currentStage ? ` in stage '${currentStage}'` : ''}: ${errorInfo(error).stack ?? errorInfo(error).message}\n`)
  die(1)
}

if (!process.send) {
  process.stderr.write('memgate worker: this file is started by the memgate runner (it needs an IPC channel); run `memgate run` instead.\n')
  process.exit(2)
}
process.on('uncaughtException', (error) => void onFatal(error))
process.on('unhandledRejection', (error) => void onFatal(error))
process.on('disconnect', () => {
  // The parent is gone: nobody records what happens next, so stop.
  process.exit(2)
})
process.on('message', (message: unknown) => {
  if (!isParentMessage(message)) return
  if (message.t === 'abort') abort.abort(new Error(message.reason))
  else if (message.t === 'stage-ack') pendingAcks.get(message.seq)?.()
  else run(message.spec).catch((error: unknown) => onFatal(error))
})
void send({ t: 'ready', pid: process.pid })
