/**
 * Every default of a run, in one place (STYLE.md §3). Imports nothing, so the worker can read the
 * profile names without loading zod.
 */

/** Engine profiles a scenario can be run with (`--profile`). */
export const PROFILES = ['default', 'lean'] as const
export type Profile = (typeof PROFILES)[number]

/** Snapshot pass modes (`--snapshots`). */
export const SNAPSHOT_MODES = ['none', 'stages'] as const
export type SnapshotMode = (typeof SNAPSHOT_MODES)[number]

/** Scenarios `memgate run` runs when none is named. */
export const DEFAULT_SUITE: readonly string[] = ['startup', 'load', 'stability', 'precision']

/** Profile of the default suite (when no scenario and no `--profile` is given). */
export const DEFAULT_SUITE_PROFILE: Profile = 'lean'

/** Profile when scenarios are named and no `--profile` is given. */
export const DEFAULT_PROFILE: Profile = 'default'

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
