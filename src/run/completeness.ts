/** Whether a run finished what it set out to measure: a gate never passes a partial run. */
import type { RunResult } from './schema.js'

/**
 * Why `run` is not complete, or null when it is: interrupted, still running (or killed without a
 * chance to say so: no `finishedAt`), or missing planned scenarios or measuring repeats.
 */
export function incompleteReason(run: RunResult): string | null {
  const done = run.scenarios.reduce((n, s) => n + s.repeats.filter((r) => r.pass === 'measure').length, 0)
  const planned = (run.planned?.length ?? run.scenarios.length) * run.options.repeat
  const progress = `${done} of ${planned} planned measuring repeats ran`
  if (run.state === 'interrupted') return `run ${run.id} was interrupted (SIGINT/SIGTERM): ${progress}`
  if (run.finishedAt === null || run.state === 'running') return `run ${run.id} did not finish (the process was killed or is still running): ${progress}`
  const missing = (run.planned ?? []).filter((name) => !run.scenarios.some((s) => s.name === name))
  if (missing.length) return `run ${run.id} has no results for planned scenario${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`
  const short = run.scenarios.find((s) => s.repeats.filter((r) => r.pass === 'measure').length < run.options.repeat)
  if (short) return `run ${run.id}: scenario ${short.name} has ${short.repeats.filter((r) => r.pass === 'measure').length} of ${run.options.repeat} planned measuring repeats`
  return null
}
