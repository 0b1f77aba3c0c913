/**
 * The watcher: processes memgate did not start (by PID or by command-line pattern) or a command
 * it starts, sampled with their descendants on the watch's own clock. See watcher.ts.
 */
export { watchProcesses, CHECKPOINT_MS, MAX_EVENTS, MAX_PROCESS_RECORDS, MIN_CHECKPOINT_GAP_MS, SMAPS_READS_PER_SECOND, type WatchOptions, type WatchResult, type WatchSoFar, type WatchEndReason } from './watcher.js'
export { resolveSelection, compilePattern, matchingPids, selfAndAncestors, type WatchSelection, type ResolvedSelection } from './selection.js'
export { startCommand, signalGroupEnd, STDERR_TAIL_BYTES, type StartedCommand, type CommandExit, type EndGroup, type EndedProcess, type StartCommandOptions } from './command.js'
export { LIVE_TIMELINE_SAMPLES, ENDED_TIMELINE_SAMPLES, TREND_WINDOW, type WatchedProcess } from './tracked.js'
export type { WatchTick, WatchEvent, ProcessRow, TreeTotals } from './tick.js'
