/** What `memgate watch` prints when it ends: the summary lines, or the summary object under --json. */
import { relative } from 'node:path'
import { formatBytes, formatMs } from '../common/units.js'
import type { WatchRunOutcome } from '../check/watch-run.js'

/** Version of the `--json` objects (schema memgate.watch). */
export const WATCH_JSON_VERSION = 1

const END_REASONS = { duration: 'the duration passed', 'targets-ended': 'the watched processes ended', aborted: 'stopped by Ctrl-C / SIGTERM' } as const

/** The text summary after the watch. */
export function summaryLines(o: WatchRunOutcome, cwd: string): string[] {
  const w = o.watch
  const started = w.events.filter((e) => e.kind === 'start' || e.kind === 'recycle').length
  const exited = w.processes.filter((p) => p.endedAtMs !== null)
  const lines = [
    `memgate watch: ${w.description}: ${formatMs(w.endedAtMs - w.startedAtMs)}, ${w.ticks} samples; ended because ${END_REASONS[w.endReason]}`,
    `peak tree RSS ${formatBytes(w.peakRssBytes)}, PSS ${formatBytes(w.peakPssBytes)}, USS ${formatBytes(w.peakUssBytes)}; lowest available memory ${formatBytes(w.system.minAvailableBytes)}`,
    `${w.processes.length} process${w.processes.length === 1 ? '' : 'es'} watched, ${started} started and ${exited.length} ended during the watch`,
  ]
  for (const e of w.events) if (e.kind === 'exit' || e.kind === 'kill' || e.kind === 'recycle') lines.push(`  ${new Date(e.atMs).toISOString().slice(11, 23)} ${e.kind}: ${e.message}`)
  lines.push(`run written to ${relative(cwd, o.file) || o.file} (memgate report ${relative(cwd, o.dir) || o.dir}; memgate check --run ${relative(cwd, o.dir) || o.dir})`)
  return lines
}

/** The `--json` summary object: the run's place and figures, the processes without timelines. */
export function summaryOf(o: WatchRunOutcome, exitCode: number): Record<string, unknown> {
  const w = o.watch
  return {
    type: 'summary',
    schemaVersion: WATCH_JSON_VERSION,
    kind: 'memgate.watch',
    runId: o.run.id,
    dir: o.dir,
    file: o.file,
    description: w.description,
    endReason: w.endReason,
    startedAtMs: w.startedAtMs,
    endedAtMs: w.endedAtMs,
    intervalMs: w.intervalMs,
    ticks: w.ticks,
    peakRssBytes: w.peakRssBytes,
    peakPssBytes: w.peakPssBytes,
    peakUssBytes: w.peakUssBytes,
    system: w.system,
    command: w.command && { pid: w.command.pid, argv: w.command.argv, exitCode: w.command.exit?.exitCode ?? null, signal: w.command.exit?.signal ?? null, endedByWatch: w.command.endedByWatch },
    processes: w.processes.map(({ timeline: _timeline, ...p }) => p),
    events: w.events,
    budgets: o.budgets,
    commandFailure: o.commandFailure,
    watcherCpuMs: w.watcherCpuMs,
    exitCode,
  }
}
