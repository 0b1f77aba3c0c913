/**
 * Every default of a run, in one place (STYLE.md §3). Imports nothing. The variant a scenario runs
 * with (`--profile`) has no default here: each scenario declares its own (src/scenario/define.ts).
 */

/** Snapshot pass modes (`--snapshots`). */
export const SNAPSHOT_MODES = ['none', 'stages'] as const
export type SnapshotMode = (typeof SNAPSHOT_MODES)[number]

/** Scenarios `memgate run` runs when none is named. */
export const DEFAULT_SUITE: readonly string[] = ['startup', 'load', 'stability', 'precision']

/** Worker processes per scenario in the measuring pass. */
export const DEFAULT_REPEAT = 1

/** Per worker process, ms: a hang ends as `timed-out` after this. */
export const DEFAULT_TIMEOUT_MS = 15 * 60_000

/**
 * Parent-side sampling interval of the worker, ms. Sampling reads the worker's /proc from the
 * parent, so a short interval costs the measured process nothing but a little kernel time.
 */
export const DEFAULT_INTERVAL_MS = 100

/** Where runs are written, relative to the working directory. */
export const DEFAULT_OUT_DIR = 'reports'
