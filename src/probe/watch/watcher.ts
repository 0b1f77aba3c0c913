/**
 * `watchProcesses`: samples processes memgate did not start (or one it starts) on its own clock
 * until a duration passes, the targets end, or the caller aborts; then returns everything as
 * data. The watch never dies with its target: a target that exits is recorded and the watch ends
 * cleanly. Memory stays bounded however long it runs (timelines are decimated, ended processes
 * shrink to a few samples, records and events are capped).
 */
import { ConfigError, MemgateError } from '../../common/errors.js'
import { clockTicksPerSecond } from '../clock-ticks.js'
import { readMeminfo, type SystemMemory } from '../meminfo.js'
import { smapsSchedule } from '../smaps-schedule.js'
import { samplePid } from '../sample-pid.js'
import { DEFAULT_MAX_SAMPLES } from '../timeline.js'
import type { MemorySample } from '../types.js'
import { signalGroupEnd, startCommand, type CommandExit, type EndGroup, type StartedCommand } from './command.js'
import { ProcScan, bootTimeMsOf, readCmdline, type ScannedProcess } from './proc-scan.js'
import type { ResolvedSelection } from './selection.js'
import type { WatchEvent, WatchTick } from './tick.js'
import { TrackedProcess, type WatchedProcess } from './tracked.js'
import { TreeTotalsTracker } from './tree-totals.js'

/** Options of {@link watchProcesses}. */
export interface WatchOptions {
  /** What to watch, from `resolveSelection`. */
  selection: ResolvedSelection
  /** Time between samples, ms. @default 1000 */
  intervalMs?: number
  /** Stop after this long, ms; null or absent: until the targets end or `signal` aborts. */
  durationMs?: number | null
  /** Watch every descendant of the selected processes too (the whole tree). @default true */
  children?: boolean
  /** Stops the watch; what was measured is returned as usual (`endReason: 'aborted'`). */
  signal?: AbortSignal
  /**
   * Least time between two `smaps_rollup` (PSS, USS) reads of one process, ms. The read walks the
   * process's page tables in the watcher's own system time (about 1 ms per 50 MiB of RSS), so at
   * every interval it would cost a 10-process tree of 100 MiB workers 2% of a core; between
   * reads each process counts at its last PSS.
   * @default the interval, or longer so that the tree sees about 1 read a second in all (10
   * processes: each every 10 s), at most 30 s; big processes are read less often still
   */
  smapsMinIntervalMs?: number
  /** Command mode: its working directory and environment. @default process.cwd(), process.env */
  cwd?: string
  env?: Record<string, string | undefined>
  /** Command mode: receives what the command prints. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void
  /** Command mode: ends the command's process group at the end. @default SIGTERM, then SIGKILL after 1 s */
  endGroup?: EndGroup
  /** Called after every sample of the tree. */
  onTick?: (tick: WatchTick) => void
  /** Most samples kept of the tree's total. @default 2000 */
  maxSamples?: number
  /**
   * Receives the watch so far, to save it: after the first tick, every `checkpointMs`, and after
   * a tick where processes started or ended (at most every {@link MIN_CHECKPOINT_GAP_MS}), so a
   * watcher that crashes loses at most the last interval. Awaited: the next tick waits for it, so
   * saves never overlap. Not called for the end: the returned result is the last word.
   */
  onCheckpoint?: (soFar: WatchSoFar) => void | Promise<void>
  /** Time between two `onCheckpoint` calls without births or deaths, ms. @default 10000 */
  checkpointMs?: number
}

/** Why a watch ended. */
export type WatchEndReason = 'duration' | 'targets-ended' | 'aborted'

/** A finished watch. Sizes in bytes, times in ms since the epoch. */
export interface WatchResult {
  /** One line saying what was watched. */
  description: string
  selection: ResolvedSelection['kind']
  startedAtMs: number
  endedAtMs: number
  intervalMs: number
  children: boolean
  endReason: WatchEndReason
  /** Command mode: the command, how it ended, whether memgate ended it, its stderr tail. */
  command: { pid: number; argv: string[]; exit: CommandExit | null; endedByWatch: boolean; stderrTail: string } | null
  /** The tree's total at each kept tick: rss, pss, private (USS), swap, threads, CPU summed. */
  total: MemorySample[]
  /** First and last totals (kept whatever the decimation). */
  first: MemorySample | null
  last: MemorySample | null
  peakRssBytes: number | null
  peakPssBytes: number | null
  peakUssBytes: number | null
  processes: WatchedProcess[]
  events: WatchEvent[]
  system: { first: SystemMemory | null; last: SystemMemory | null; minAvailableBytes: number | null; maxSwapUsedBytes: number | null }
  ticks: number
  /** Ticks not taken because the previous one ran over its interval. */
  skippedTicks: number
  /** CPU time this process spent while watching (user + system), ms. */
  watcherCpuMs: number
  /** Ended processes and events dropped beyond the caps. */
  droppedProcesses: number
  droppedEvents: number
}

/** The watch so far, as {@link WatchResult} will hold it at the end, with no end reason yet. */
export type WatchSoFar = Omit<WatchResult, 'endReason'> & { endReason: null }

/** Default of {@link WatchOptions.checkpointMs}, ms. */
export const CHECKPOINT_MS = 10_000
/** Least time between two checkpoints for births and deaths (a recycling service has them every tick), ms. */
export const MIN_CHECKPOINT_GAP_MS = 2000

/** Most process records kept; the oldest ended ones go first. */
export const MAX_PROCESS_RECORDS = 1000
/** Most events kept. */
export const MAX_EVENTS = 5000
/** `smaps_rollup` reads a second over the whole tree, by default (see {@link WatchOptions.smapsMinIntervalMs}). */
export const SMAPS_READS_PER_SECOND = 1
/** Longest time between two PSS reads of one process, by default, ms. */
export const MAX_SMAPS_INTERVAL_MS = 30_000
/** Processes younger than this have their command line read again at every tick, ms. */
export const YOUNG_MS = 10_000

/**
 * Watches processes until `durationMs` passes, they all end, or `signal` aborts. Linux only.
 * @throws ConfigError for a bad interval or duration; InputError when the command cannot start;
 * MemgateError('PROBE_UNAVAILABLE') off Linux
 * @example
 * const selection = await resolveSelection({ kind: 'name', pattern: 'gunicorn' })
 * const result = await watchProcesses({ selection, intervalMs: 1000, durationMs: 60_000 })
 * result.peakPssBytes
 */
export async function watchProcesses(options: WatchOptions): Promise<WatchResult> {
  if (process.platform !== 'linux') throw new MemgateError('PROBE_UNAVAILABLE', `memgate watch reads /proc and runs on Linux only (this is ${process.platform}).`)
  const intervalMs = options.intervalMs ?? 1000
  if (!(Number.isFinite(intervalMs) && intervalMs >= 10)) throw new ConfigError(`Expected an interval of at least 10 ms but received ${String(intervalMs)}`)
  const durationMs = options.durationMs ?? null
  if (durationMs !== null && !(durationMs > 0)) throw new ConfigError(`Expected a positive duration but received ${String(durationMs)} ms`)
  const checkpointMs = options.checkpointMs ?? CHECKPOINT_MS
  if (!(checkpointMs > 0)) throw new ConfigError(`Expected a positive checkpoint interval but received ${String(checkpointMs)} ms`)
  return new Watch(options, intervalMs, durationMs).run()
}

class Watch {
  private readonly scan = new ProcScan()
  private readonly records: TrackedProcess[] = []
  private readonly live = new Map<number, TrackedProcess>()
  private readonly events: WatchEvent[] = []
  private tickEvents: WatchEvent[] = []
  private readonly totals: TreeTotalsTracker
  private readonly children: boolean
  private command: StartedCommand | null = null
  private endedByWatch = false
  private startedAtMs = 0
  private ticks = 0
  private skipped = 0
  private droppedProcesses = 0
  private droppedEvents = 0
  /** Workers that died at the previous tick and were not replaced then. */
  private previousDeaths: TrackedProcess[] = []
  private wake: (() => void) | null = null
  private bootMs: number | null = null
  private cpuAtStart: NodeJS.CpuUsage = process.cpuUsage()
  private lastCheckpointMs = 0
  /** Processes started or ended since the last checkpoint. */
  private lifecycleSinceCheckpoint = false

  constructor(
    private readonly options: WatchOptions,
    private readonly intervalMs: number,
    private readonly durationMs: number | null,
  ) {
    this.totals = new TreeTotalsTracker(options.maxSamples ?? DEFAULT_MAX_SAMPLES)
    this.children = options.children ?? true
  }

  async run(): Promise<WatchResult> {
    this.cpuAtStart = process.cpuUsage()
    const { selection, signal } = this.options
    this.bootMs = await bootTimeMsOf()
    clockTicksPerSecond() // asks getconf once, before the clock starts
    if (selection.kind === 'command') {
      this.command = await startCommand(selection.argv, { cwd: this.options.cwd ?? process.cwd(), env: this.options.env ?? process.env, onOutput: this.options.onOutput })
      void this.command.exited.then(() => this.wake?.())
    }
    const onAbort = (): void => this.wake?.()
    signal?.addEventListener('abort', onAbort)
    let endReason: WatchEndReason = 'targets-ended'
    try {
      this.startedAtMs = Date.now()
      const roots = new Set(selection.kind === 'command' ? [this.command!.pid] : selection.pids)
      await this.tick(roots)
      this.note(`watching ${this.live.size} process${this.live.size === 1 ? '' : 'es'}: ${this.describe()}`)
      await this.checkpoint(true)
      const stopAtMs = this.durationMs === null ? Infinity : this.startedAtMs + this.durationMs
      for (let slot = 1; ; ) {
        if (signal?.aborted) {
          endReason = 'aborted'
          break
        }
        if (this.live.size === 0 || this.command?.exit()) break
        const dueMs = Math.min(this.startedAtMs + slot * this.intervalMs, stopAtMs)
        await this.sleepUntil(dueMs)
        if (signal?.aborted) continue // a final tick below, after the loop
        if (Date.now() < dueMs && !this.command?.exit()) continue // woken early for nothing
        await this.tick(null)
        if (Date.now() >= stopAtMs) {
          endReason = 'duration'
          break
        }
        await this.checkpoint(false)
        const next = Math.floor((Date.now() - this.startedAtMs) / this.intervalMs) + 1
        this.skipped += Math.max(0, next - slot - 1)
        slot = Math.max(slot + 1, next)
      }
      if (endReason === 'aborted') await this.tick(null)
    } finally {
      signal?.removeEventListener('abort', onAbort)
      await this.endCommand()
    }
    return { ...this.current(), endReason }
  }

  /** Hands the watch so far to `onCheckpoint` when one is due (always with `force`). */
  private async checkpoint(force: boolean): Promise<void> {
    const save = this.options.onCheckpoint
    if (!save) return
    const sinceMs = Date.now() - this.lastCheckpointMs
    const due = force || sinceMs >= (this.options.checkpointMs ?? CHECKPOINT_MS) || (this.lifecycleSinceCheckpoint && sinceMs >= MIN_CHECKPOINT_GAP_MS)
    if (!due) return
    this.lastCheckpointMs = Date.now()
    this.lifecycleSinceCheckpoint = false
    await save({ ...this.current(), endReason: null })
  }

  /** Command mode: ends whatever is left of the command's group and records how it ended. */
  private async endCommand(): Promise<void> {
    const cmd = this.command
    if (!cmd) return
    const endGroup = this.options.endGroup ?? ((pgid) => signalGroupEnd(pgid))
    const atMs = Date.now()
    if (!cmd.exit()) this.endedByWatch = true
    // Watched processes still alive belong to the group too (unless they left it with setsid).
    const running = new Map([...this.live.values()].map((t) => [t.pid, t.command]))
    for (const p of await endGroup(cmd.pgid)) running.set(p.pid, p.command)
    for (const [pid, command] of running) this.event({ atMs, kind: 'kill', pid, message: `memgate ended ${pid} (${command}): still running when the watch stopped` })
    if (!cmd.exit()) await Promise.race([cmd.exited, new Promise((r) => setTimeout(r, 2000))])
    // The group is gone now: every process still marked live ended with it.
    for (const t of [...this.live.values()]) this.endProcess(t, t.pid === cmd.pid ? (cmd.exit()?.atMs ?? atMs) : atMs)
    this.flushEvents()
  }

  private sleepUntil(atMs: number): Promise<void> {
    const waitMs = atMs - Date.now()
    if (waitMs <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(done, waitMs)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.wake = () => {
        this.wake = null
        done()
      }
    })
  }

  /** One sample of every watched process. `roots` is given on the first tick only. */
  private async tick(roots: ReadonlySet<number> | null): Promise<void> {
    const atMs = Date.now()
    const delta = this.scan.scan()
    const deaths: TrackedProcess[] = []
    for (const pid of delta.gone) {
      const t = this.live.get(pid)
      if (t) deaths.push(this.endProcess(t, atMs))
    }
    const births = this.admit(delta.born, roots, atMs)
    const list = [...this.live.values()]
    const smaps = { smapsMinIntervalMs: this.smapsIntervalFor(list.length) }
    this.refreshCommands(list, atMs)
    const [samples, system] = await Promise.all([Promise.all(list.map((t) => this.sample(t, smaps))), readMeminfo()])
    list.forEach((t, i) => {
      const s = samples[i]
      if (s) return t.accept(s)
      this.scan.forget(t.pid) // a zombie, or its PID already reused: read it afresh next time
      deaths.push(this.endProcess(t, atMs))
    })
    if (roots === null) this.markRecycles(births, deaths)
    const live = [...this.live.values()]
    this.totals.acceptSystem(system)
    const total = this.totals.add(this.records[0]?.pid ?? 0, atMs, live)
    this.ticks++
    const tick = this.totals.view(this.ticks - 1, atMs, this.startedAtMs, live, total, system, this.tickEvents)
    if (this.tickEvents.some((e) => e.kind !== 'note')) this.lifecycleSinceCheckpoint = true
    this.flushEvents()
    this.options.onTick?.(tick)
  }

  /**
   * Samples one process; null when it is gone. (A process that exec()s its program is not gone:
   * `samplePid`'s kept descriptors follow it, see pid-files.ts.)
   */
  private async sample(t: TrackedProcess, options: { smapsMinIntervalMs: number }): Promise<MemorySample | null> {
    const s = await samplePid(t.pid, options)
    if (s) return s
    // The command memgate started, seen as a zombie before Node reaped it: wait for its exit status.
    const cmd = this.command
    if (cmd && t.pid === cmd.pid && !cmd.exit()) await Promise.race([cmd.exited, new Promise((r) => setTimeout(r, 1000))])
    return null
  }

  /**
   * Least time between two `smaps_rollup` reads of one process: the interval, stretched so the
   * tree is read about {@link SMAPS_READS_PER_SECOND} times a second in all (each read costs the
   * watcher about 1 ms of system time per 50 MiB of the process's RSS, and the schedule stretches
   * it further for big processes), unless the caller fixed it.
   */
  private smapsIntervalFor(processes: number): number {
    if (this.options.smapsMinIntervalMs !== undefined) return this.options.smapsMinIntervalMs
    // 0.9: the ticks come a little early or late; a process due "every tick" must not miss every other one.
    return Math.min(MAX_SMAPS_INTERVAL_MS, Math.max(this.intervalMs, (processes * 1000) / SMAPS_READS_PER_SECOND) * 0.9)
  }

  /**
   * Reads again the command line of processes that started less than {@link YOUNG_MS} ago, at
   * 0.25, 0.5, 1, 2, 4 and 8 s of age: a process is often seen between its fork and its exec, or
   * still running a launcher script (pyenv and npx shims exec the real program after a second or
   * two). A changed command line means a new program: its PSS is read again at once.
   */
  private refreshCommands(list: readonly TrackedProcess[], atMs: number): void {
    for (const t of list) {
      if (!t.commandRefreshDue(atMs, YOUNG_MS)) continue
      const line = readCmdline(t.pid)
      if (line === null || line === t.command) continue
      t.command = line
      // It exec()ed: the PSS read before belongs to the old program. Read it afresh at this sample.
      smapsSchedule.forget(t.pid)
      t.pssBytes = null
      t.privateBytes = null
    }
  }

  /** Adds the new processes that belong to the watch; returns them. */
  private admit(born: readonly ScannedProcess[], roots: ReadonlySet<number> | null, atMs: number): TrackedProcess[] {
    const { selection } = this.options
    let pending = born.filter((p) => !p.zombie)
    const cmdlines = new Map<number, string | null>()
    if (selection.kind === 'name') {
      pending = pending.filter((p) => !selection.exclude.has(p.pid))
      const lines = pending.map((p) => readCmdline(p.pid))
      pending.forEach((p, i) => cmdlines.set(p.pid, lines[i] ?? null))
    }
    const isRoot = (p: ScannedProcess): boolean => {
      if (roots?.has(p.pid)) return true
      const line = cmdlines.get(p.pid)
      return selection.kind === 'name' && line != null && selection.regex.test(line)
    }
    const joined: TrackedProcess[] = []
    // Until nothing changes: a child may be listed before the parent that brings it in.
    for (let changed = true; changed; ) {
      changed = false
      const rest: ScannedProcess[] = []
      for (const p of pending) {
        const root = isRoot(p)
        if (root || (this.children && this.live.has(p.ppid))) {
          joined.push(this.track(p, root, cmdlines.get(p.pid), atMs))
          changed = true
        } else rest.push(p)
      }
      pending = rest
    }
    for (const t of joined) {
      if (t.command === '') t.command = readCmdline(t.pid) ?? `[${this.scan.get(t.pid)?.comm ?? '?'}]`
      if (roots === null) this.event({ atMs, kind: 'start', pid: t.pid, message: `${t.pid} started (${t.command})${t.ppid !== null && this.live.has(t.ppid) ? ` under ${t.ppid}` : ''}` })
    }
    return joined
  }

  private track(p: ScannedProcess, root: boolean, cmdline: string | null | undefined, atMs: number): TrackedProcess {
    const startedAtMs = this.bootMs === null ? atMs : Math.round(this.bootMs + (p.startTimeTicks * 1000) / clockTicksPerSecond())
    const t = new TrackedProcess(p.pid, p.ppid, p.startTimeTicks, cmdline ?? '', root ? 'root' : 'child', startedAtMs, atMs)
    this.records.push(t)
    this.live.set(p.pid, t)
    if (this.records.length > MAX_PROCESS_RECORDS) {
      const oldest = this.records.findIndex((r) => r.endedAtMs !== null)
      if (oldest >= 0) {
        this.records.splice(oldest, 1)
        this.droppedProcesses++
      }
    }
    return t
  }

  private endProcess(t: TrackedProcess, atMs: number): TrackedProcess {
    const cmd = this.command
    const exit = cmd && t.pid === cmd.pid ? cmd.exit() : null
    t.end(exit?.atMs ?? atMs, exit)
    this.live.delete(t.pid)
    const how = exit ? (exit.signal ? ` (signal ${exit.signal}${this.endedByWatch ? ', sent by memgate' : ''})` : ` (exit code ${exit.exitCode})`) : ''
    this.event({ atMs: t.endedAtMs as number, kind: 'exit', pid: t.pid, message: `${t.pid} exited${how} after ${formatSeconds((t.endedAtMs as number) - t.startedAtMs)} (${t.command})` })
    return t
  }

  /**
   * A death and a birth under the same parent within about one interval (this tick or the one
   * before: the replacement may be seen a tick after the death): a worker replaced.
   */
  private markRecycles(births: readonly TrackedProcess[], deaths: readonly TrackedProcess[]): void {
    const candidates = [...this.previousDeaths, ...deaths.filter((d) => d.role === 'child' && d.ppid !== null)]
    for (const born of births) {
      const at = candidates.findIndex((d) => d.ppid === born.ppid)
      const event = at >= 0 ? this.tickEvents.find((e) => e.kind === 'start' && e.pid === born.pid) : undefined
      if (!event) continue
      const [died] = candidates.splice(at, 1)
      event.kind = 'recycle'
      event.message = `${born.pid} replaced ${died!.pid} under ${born.ppid} (${born.command})`
    }
    this.previousDeaths = candidates.filter((d) => deaths.includes(d))
  }

  private event(e: WatchEvent): void {
    this.tickEvents.push(e)
  }

  private note(message: string): void {
    this.events.push({ atMs: this.startedAtMs, kind: 'note', pid: null, message })
  }

  private flushEvents(): void {
    for (const e of this.tickEvents) {
      if (this.events.length < MAX_EVENTS) this.events.push(e)
      else this.droppedEvents++
    }
    this.tickEvents = []
  }

  private describe(): string {
    const s = this.options.selection
    if (s.kind === 'pids') return `PID${s.pids.length === 1 ? '' : 's'} ${s.pids.join(', ')}${this.children ? ` and ${s.pids.length === 1 ? 'its' : 'their'} descendants` : ''}`
    if (s.kind === 'name') return `processes matching /${s.pattern}/${this.children ? ' and their descendants' : ''}`
    return `${s.argv.join(' ')}${this.children ? ' and its descendants' : ''}`
  }

  /** Everything measured so far, copied (the watch goes on changing its own arrays). */
  private current(): Omit<WatchResult, 'endReason'> {
    const cmd = this.command
    const { rssBytes, pssBytes, ussBytes } = this.totals.peak
    const cpu = process.cpuUsage(this.cpuAtStart)
    return {
      description: this.describe(),
      selection: this.options.selection.kind,
      startedAtMs: this.startedAtMs,
      endedAtMs: Date.now(),
      intervalMs: this.intervalMs,
      children: this.children,
      command: cmd ? { pid: cmd.pid, argv: this.options.selection.kind === 'command' ? [...this.options.selection.argv] : [], exit: cmd.exit(), endedByWatch: this.endedByWatch, stderrTail: cmd.stderrTail() } : null,
      total: this.totals.series.toArray(),
      first: this.totals.first,
      last: this.totals.last,
      peakRssBytes: rssBytes,
      peakPssBytes: pssBytes,
      peakUssBytes: ussBytes,
      processes: this.records.map((r) => r.toRecord()),
      events: [...this.events],
      system: { ...this.totals.system },
      ticks: this.ticks,
      skippedTicks: this.skipped,
      watcherCpuMs: (cpu.user + cpu.system) / 1000,
      droppedProcesses: this.droppedProcesses,
      droppedEvents: this.droppedEvents,
    }
  }
}

function formatSeconds(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`
}
