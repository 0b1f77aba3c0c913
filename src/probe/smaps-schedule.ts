/**
 * How often `smaps_rollup` may be read. PSS is worth having, but reading it is the one expensive
 * thing a probe does, and its cost lands on the measured process.
 */
import { ConfigError } from '../common/errors.js'

/**
 * Default of `smapsMinIntervalMs`. Reading `smaps_rollup` walks the target's page tables under
 * its mmap lock, and the walk grows with resident memory. Measured on this project's CI VM
 * (fastest of 40 reads; medians were about twice that on the loaded machine): 0.6 ms at 40 MiB
 * RSS, 2.2 ms at 105 MiB, 5.9 ms at 237 MiB, 17 ms at 492 MiB, 34 ms at 1 GiB. Every 10 ms that
 * would cost a 100 MiB process a fifth of its time. Once a second (and less often for big
 * processes, see {@link SMAPS_COST_FACTOR}) keeps the cost under 0.5% while still charting PSS.
 */
export const DEFAULT_SMAPS_MIN_INTERVAL_MS = 1000

/**
 * A throttled process is read again only after 200 × the duration of its last read, so the walk
 * stays under 0.5% of the time however large the process grows (a 1 GiB OCR worker takes 34–70
 * ms, so it is read every 7–14 s), leaving the other half of a 1% budget to the cheap reads.
 */
export const SMAPS_COST_FACTOR = 200

/** Options shared by the samplers that read `smaps_rollup`. */
export interface SmapsOptions {
  /**
   * Least time between two `smaps_rollup` reads of the same process, in ms; stretched further
   * when reads are slow (see {@link SMAPS_COST_FACTOR}). Samples taken in between have
   * `pssBytes` and `privateBytes` null (missing, not stale copies). `0` reads it on every
   * sample: right for a one-off steady-state sample, too costly for a 10 ms timeline.
   * @default 1000
   */
  smapsMinIntervalMs?: number
}

/** A runner that outlives thousands of children must not grow the schedule without bound. */
const MAX_TRACKED_PIDS = 4096

/**
 * When each process's `smaps_rollup` may be read next. One instance, {@link smapsSchedule},
 * serves all samplers so that two timelines on one PID share the budget.
 */
export class SmapsSchedule {
  /** PID → { when the last read started, how long it took } in ms. */
  private readonly last = new Map<number, { atMs: number; costMs: number }>()

  /**
   * Whether `pid` is due for a read at `nowMs`; if so, books it (call {@link done} after).
   * @throws ConfigError when `minIntervalMs` is negative or not a number.
   */
  due(pid: number, nowMs: number, minIntervalMs: number = DEFAULT_SMAPS_MIN_INTERVAL_MS): boolean {
    if (!(minIntervalMs >= 0)) {
      throw new ConfigError(`Expected a non-negative number of milliseconds for smapsMinIntervalMs but received ${String(minIntervalMs)}`)
    }
    const last = this.last.get(pid)
    if (minIntervalMs > 0 && last !== undefined) {
      const waitMs = Math.max(minIntervalMs, last.costMs * SMAPS_COST_FACTOR)
      // `nowMs < last.atMs`: the wall clock stepped back; read rather than go blind for a while.
      if (nowMs - last.atMs < waitMs && nowMs >= last.atMs) return false
    }
    if (last === undefined && this.last.size >= MAX_TRACKED_PIDS) this.last.clear()
    this.last.set(pid, { atMs: nowMs, costMs: last?.costMs ?? 0 })
    return true
  }

  /** Records how long the read booked by {@link due} took, in ms. */
  done(pid: number, costMs: number): void {
    const entry = this.last.get(pid)
    if (entry) entry.costMs = costMs
  }

  /** Forgets a process that is gone, so a later process with the same PID starts fresh. */
  forget(pid: number): void {
    this.last.delete(pid)
  }
}

/** The schedule the samplers share. */
export const smapsSchedule = new SmapsSchedule()
