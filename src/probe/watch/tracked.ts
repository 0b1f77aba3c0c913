/**
 * One watched process: its bounded timeline, CPU share between samples, the PSS/USS last read
 * (`smaps_rollup` is read less often than the rest, see smaps-schedule.ts) and a short window
 * for the trend.
 */
import { DecimatingSeries } from '../decimating-series.js'
import type { MemorySample } from '../types.js'

/** Samples kept per live process; decimated beyond (first, latest and peak RSS always kept). */
export const LIVE_TIMELINE_SAMPLES = 500
/** Samples kept of a process once it has ended: a recycling service ends thousands in a day. */
export const ENDED_TIMELINE_SAMPLES = 32
/** Samples in the trend window: the RSS now against the RSS this many intervals ago. */
export const TREND_WINDOW = 10

/** A watched process as the run records it. */
export interface WatchedProcess {
  pid: number
  ppid: number | null
  command: string
  /** `root` for a process the user named (a PID, a match, the command), `child` for one found below. */
  role: 'root' | 'child'
  /** When it started (from its start time in `/proc`), ms since the epoch. */
  startedAtMs: number
  /** When the watch saw it gone (within one interval of its end), or null while it ran. */
  endedAtMs: number | null
  /** Exit code or signal: known only for the command memgate started. */
  exitCode: number | null
  signal: string | null
  /** Its own samples, bounded. */
  timeline: MemorySample[]
}

export class TrackedProcess {
  endedAtMs: number | null = null
  exitCode: number | null = null
  signal: string | null = null
  latest: MemorySample | null = null
  /** CPU share over the last interval, percent of one core. */
  cpuPercent: number | null = null
  /** Last PSS and USS read, carried between the reads `smaps_rollup`'s schedule allows. */
  pssBytes: number | null = null
  privateBytes: number | null = null
  private series = new DecimatingSeries<MemorySample>(LIVE_TIMELINE_SAMPLES, (s) => s.rssBytes)
  private readonly window: (number | null)[] = []

  constructor(
    readonly pid: number,
    readonly ppid: number | null,
    readonly startTimeTicks: number,
    /** Filled in right after the process joins, when it was not known before. */
    public command: string,
    readonly role: 'root' | 'child',
    readonly startedAtMs: number,
    /** When the watch first saw it, ms since the epoch. */
    readonly joinedAtMs: number,
  ) {}

  /** Age at which the command line is read again, ms; doubles after each read. */
  private refreshAtAgeMs = 250

  /**
   * Whether the command line should be read again at `atMs`: while the process is younger than
   * `youngMs`, at ages 0.25, 0.5, 1, 2, 4, 8 s… (a launcher execs its program early).
   */
  commandRefreshDue(atMs: number, youngMs: number): boolean {
    const age = atMs - this.startedAtMs
    if (age >= youngMs || age < this.refreshAtAgeMs || atMs === this.joinedAtMs) return false
    while (this.refreshAtAgeMs <= age) this.refreshAtAgeMs *= 2
    return true
  }

  get peakRssBytes(): number | null {
    return this.series.peakValue
  }

  /** RSS now minus RSS {@link TREND_WINDOW} samples ago (or at the first sample, when fewer). */
  get rssTrendBytes(): number | null {
    const first = this.window[0]
    const last = this.window[this.window.length - 1]
    return first == null || last == null || this.window.length < 2 ? null : last - first
  }

  /** Records a sample taken at this tick. */
  accept(sample: MemorySample): void {
    const prev = this.latest
    if (prev && prev.cpuUserMs !== null && sample.cpuUserMs !== null && sample.atMs > prev.atMs) {
      const usedMs = sample.cpuUserMs + (sample.cpuSystemMs ?? 0) - prev.cpuUserMs - (prev.cpuSystemMs ?? 0)
      this.cpuPercent = Math.max(0, (usedMs / (sample.atMs - prev.atMs)) * 100)
    }
    if (sample.pssBytes !== null) this.pssBytes = sample.pssBytes
    if (sample.privateBytes !== null) this.privateBytes = sample.privateBytes
    this.latest = sample
    this.series.push(sample)
    this.window.push(sample.rssBytes)
    if (this.window.length > TREND_WINDOW + 1) this.window.shift()
  }

  /** Marks it ended and shrinks its timeline to {@link ENDED_TIMELINE_SAMPLES}. */
  end(atMs: number, exit: { exitCode: number | null; signal: string | null } | null = null): void {
    if (this.endedAtMs !== null) return
    this.endedAtMs = atMs
    if (exit) {
      this.exitCode = exit.exitCode
      this.signal = exit.signal
    }
    this.cpuPercent = null
    const kept = this.series.toArray()
    this.series = new DecimatingSeries<MemorySample>(ENDED_TIMELINE_SAMPLES, (s) => s.rssBytes)
    for (const s of kept) this.series.push(s)
  }

  toRecord(): WatchedProcess {
    return { pid: this.pid, ppid: this.ppid, command: this.command, role: this.role, startedAtMs: this.startedAtMs, endedAtMs: this.endedAtMs, exitCode: this.exitCode, signal: this.signal, timeline: this.series.toArray() }
  }
}
