/**
 * Runs one worker process (in the parent) and turns what happened into a {@link RepeatResult}: the
 * parent samples the child's /proc on its own clock from the moment it exists, so the samples
 * survive a crash, an OOM kill or a hang; the child reports stage boundaries over IPC (ipc.ts).
 * The worker leads its own process group, so whatever it started ends with it (process-group.ts);
 * its time limit is timeout.ts, OOM evidence oom-evidence.ts, contention evidence contention.ts.
 */
import { fork } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '../../common/errors.js'
import { createTimeline, samplePid } from '../../probe/index.js'
import { readStageRssCategories, type StageRssReads } from './rss-reads.js'
import type { MemorySample } from '../../probe/types.js'
import type { RepeatResult } from '../../run/schema.js'
import { classifyExit } from '../failure.js'
import { createWorkerCgroup, memoryCgroupOf, oomKillCount, type CgroupRef, type WorkerCgroup } from '../oom.js'
import { workerEntry } from '../paths.js'
import { STAGE_ACK_TIMEOUT_MS, type StageAck, type WorkerMessage, type WorkerSpec } from '../protocol.js'
import { contentionOf, involuntarySwitches, readMachineCpu } from './contention.js'
import { listenToWorker } from './ipc.js'
import { findOomEvidence } from './oom-evidence.js'
import { endProcessGroup, signalGroup } from './process-group.js'
import { armTimeout } from './timeout.js'

/** Bytes of the worker's stderr kept for classification and the failure record. */
const STDERR_TAIL_BYTES = 4096

/** What {@link runWorker} reports while the worker runs. */
export type WorkerEvent =
  | { type: 'sample'; sample: MemorySample; peakRssBytes: number | null }
  | { type: 'message'; message: WorkerMessage }

/** One worker process to run. */
export interface WorkerRunOptions {
  /** The spec without `workDir` (a fresh scratch directory is made per process), `stageAckTimeoutMs` and `speedReference` (set here: only the measuring pass waits for smaps reads and times the host's speed). */
  spec: Omit<WorkerSpec, 'workDir' | 'stageAckTimeoutMs' | 'speedReference'>
  /** Node flags, `--expose-gc` included. */
  nodeFlags: readonly string[]
  /** The worker's complete environment. */
  env: Readonly<Record<string, string>>
  /** Memory-relevant part of `env`, for the record. */
  recordedEnv: Readonly<Record<string, string>>
  loader: 'node' | 'tsx'
  intervalMs: number
  timeoutMs: number
  /** Time between asking a timed-out worker to stop and killing it, ms. @default 1000 */
  abortGraceMs?: number
  /** Run the worker in its own memory cgroup with this limit (a real kernel OOM kill at the limit). */
  memoryLimitBytes: number | null
  /** Most timeline samples kept; beyond it the timeline is decimated. @default 5000 */
  maxSamples?: number
  onEvent?: (event: WorkerEvent) => void
  /** Aborting (SIGINT/SIGTERM in the CLI) kills the worker and its process group at once. */
  signal?: AbortSignal
  /**
   * Start the worker through a wrapper program (a tracer such as heaptrack) that runs
   * `node <flags> worker.js` itself and passes the IPC channel (fd 3) on: `execPath` is the wrapper,
   * `args` its arguments before Node's path. Its figures are the wrapper's, not the worker's alone:
   * never use it for a measuring pass. No RSS categories are read for it.
   */
  launcher?: { execPath: string; args: readonly string[] }
}

/** Runs one worker to its end (completed, failed or timed out); never throws for the worker's failures. */
export async function runWorker(options: WorkerRunOptions): Promise<RepeatResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'memgate-work-'))
  const cgroup: WorkerCgroup | null = options.memoryLimitBytes !== null ? await createWorkerCgroup(options.memoryLimitBytes) : null
  try {
    return await supervise(options, workDir, cgroup)
  } finally {
    await cgroup?.remove()
    await rm(workDir, { recursive: true, force: true })
  }
}

async function supervise(options: WorkerRunOptions, workDir: string, cgroup: WorkerCgroup | null): Promise<RepeatResult> {
  const { onEvent } = options
  const startedAtMs = Date.now()
  const machineAtStart = await readMachineCpu()
  const { launcher } = options
  const child = fork(workerEntry(), [], {
    // fork runs `execPath ...execArgv worker.js`: a launcher gets `node <flags>` as its command.
    ...(launcher ? { execPath: launcher.execPath } : {}),
    execArgv: launcher ? [...launcher.args, process.execPath, ...options.nodeFlags] : [...options.nodeFlags],
    env: { ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
    // Its own process group: everything the scenario starts can be found and ended with it.
    detached: true,
  })
  const pid = child.pid
  if (pid === undefined) {
    // fork reports spawn errors asynchronously; wait for it to say why.
    const error = await new Promise<Error>((resolve) => child.once('error', resolve))
    throw error
  }
  // Every listener is attached before the first await: an event emitted while nobody listens is
  // lost, and a lost 'exit' would hang the runner.
  let endedAtMs = 0
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (code, sig) => {
      endedAtMs = Date.now()
      resolve([code, sig])
    })
  })
  // IPC errors (a send racing the worker's death) arrive here; the exit tells the story.
  child.on('error', () => undefined)
  const killGroup = (): void => signalGroup(pid, 'SIGKILL')
  const onAbort = (): void => killGroup()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted) killGroup()
  const timeline = createTimeline(() => samplePid(pid), {
    intervalMs: options.intervalMs,
    maxSamples: options.maxSamples ?? 5000,
    onSample: (sample) => onEvent?.({ type: 'sample', sample, peakRssBytes: timeline.peakRssBytes }),
  })
  timeline.start()

  let stderrTail = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES)
  })
  // Drain stdout so a chatty scenario never blocks on a full pipe; its output is not part of the run.
  child.stdout?.resume()

  // Where RSS lives, read by the parent at each stage boundary: measuring pass only (a snapshot
  // inflates RSS), never under a launcher (its figures are the wrapper's).
  const readsRss = options.spec.pass === 'measure' && !launcher
  // The worker starts its scenario only when it has said it is ready and the parent is armed
  // (in its cgroup, OOM counter read), whichever comes last.
  let ready = false
  let armed = false
  let switches: number | null = null
  const maybeStart = (): void => {
    if (ready && armed && child.connected) child.send({ t: 'start', spec: { ...options.spec, workDir, ...(readsRss ? { stageAckTimeoutMs: STAGE_ACK_TIMEOUT_MS, speedReference: true } : {}) } }, () => undefined)
  }
  const rssReads: StageRssReads = readStageRssCategories()
  const talk = listenToWorker(
    child,
    () => {
      ready = true
      maybeStart()
    },
    (message: WorkerMessage) => {
      // Read while the worker still lives: after 'done' it exits.
      if (message.t === 'done') void involuntarySwitches(pid).then((n) => (switches = n))
      const read = readsRss ? rssReads.onMessage(pid, message, talk.stages.records.length - 1) : null
      // The worker waits at this boundary until the read is done: acknowledge it then.
      if ((message.t === 'stage-start' || message.t === 'stage-end') && message.ackSeq !== undefined) {
        const seq = message.ackSeq
        void Promise.resolve(read).then(() => {
          if (child.connected) child.send({ t: 'stage-ack', seq } satisfies StageAck, () => undefined)
        })
      }
      onEvent?.({ type: 'message', message })
    },
  )

  if (cgroup) {
    try {
      await cgroup.add(pid)
    } catch (error) {
      killGroup()
      await exited
      await timeline.stop()
      throw new ConfigError(`Could not move the worker into memory cgroup ${cgroup.dir}: ${(error as Error).message}; drop --memory-limit or run where cgroups are writable.`, { cause: error })
    }
  }
  const watched: CgroupRef | null = cgroup ?? (await memoryCgroupOf(pid))
  const oomKillsBefore = watched ? await oomKillCount(watched) : null
  armed = true
  maybeStart()

  const timeout = armTimeout(child, options.timeoutMs, options.abortGraceMs ?? 1000, killGroup)
  const [exitCode, signal] = await exited
  timeout.clear()
  options.signal?.removeEventListener('abort', onAbort)
  const timelineSamples = await timeline.stop()
  const machineAtEnd = await readMachineCpu()
  // Whatever the scenario started and left running ends now, and is reported.
  const leftovers = await endProcessGroup(pid)
  // stderr can still hold V8's last words after 'exit'; 'close' means every stream has ended.
  await closed(child)

  const timedOut = timeout.fired
  const lastRssBytes = timeline.last()?.rssBytes ?? null
  let oomEvidence: string | null = null
  if (signal === 'SIGKILL' && !timedOut && !options.signal?.aborted) oomEvidence = await findOomEvidence(pid, watched, oomKillsBefore, cgroup !== null)
  const stage = talk.stages.current?.start.name ?? null
  const interrupted = options.signal?.aborted === true && !talk.done
  const failure = interrupted
    ? { kind: 'signal' as const, message: 'interrupted (SIGINT/SIGTERM): the worker was stopped', signal, exitCode, stage, evidence: null, stderrTail }
    : classifyExit({ timedOut, timeoutMs: options.timeoutMs, exitCode, signal, reportedError: talk.reportedError, done: talk.done, stage, stderrTail, oomEvidence, lastRssBytes })
  const state = failure === null ? 'completed' : failure.kind === 'timeout' ? 'timed-out' : 'failed'
  const stageResults = talk.stages.results(timelineSamples, endedAtMs, state === 'timed-out' ? 'timed-out' : 'failed', failure?.message ?? null)
  await rssReads.attach(stageResults)
  const peaks = [timeline.peakRssBytes, ...stageResults.map((s) => s.peakRssBytes)].filter((n): n is number => n !== null)
  return {
    index: options.spec.repeat,
    pass: options.spec.pass,
    state,
    failure,
    pid,
    startedAtMs,
    endedAtMs,
    exitCode,
    signal,
    nodeFlags: [...options.nodeFlags],
    env: { ...options.recordedEnv },
    loader: options.loader,
    memoryLimitBytes: options.memoryLimitBytes,
    intervalMs: options.intervalMs,
    peakRssBytes: peaks.length ? Math.max(...peaks) : null,
    settings: talk.settings,
    timeline: timelineSamples,
    stages: stageResults,
    leftovers,
    contention: contentionOf(machineAtStart, machineAtEnd, timelineSamples, switches),
    ...(talk.speedReference ? { speedReference: talk.speedReference } : {}),
  }
}

function closed(child: ReturnType<typeof fork>): Promise<void> {
  return new Promise((resolve) => {
    const streams = [child.stdout, child.stderr].filter((s) => s && !s.closed)
    if (streams.length === 0) return resolve()
    let left = streams.length
    // A grandchild holding the pipe open must not hang the runner: give up after a moment.
    const timer = setTimeout(resolve, 2000)
    for (const s of streams) {
      s?.once('close', () => {
        if (--left === 0) {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  })
}
