/**
 * Classifies how a worker ended. Order matters: the runner's own timeout first (it sent the
 * kill), then what the worker said (an exception), then what V8 printed (heap limit), then the
 * kernel's evidence (OOM kill), then the bare signal or exit code.
 */
import { formatBytes } from '../common/units.js'
import type { ErrorInfo } from './protocol.js'
import type { Failure } from '../run/schema.js'

/** Everything the parent observed about a worker's end. */
export interface ExitObservation {
  /** The runner killed the worker after `--timeout`. */
  timedOut: boolean
  timeoutMs: number
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** An error the worker reported over IPC before it died. */
  reportedError: ErrorInfo | null
  /** The worker said it finished every stage. */
  done: boolean
  /** The stage that was running, if any. */
  stage: string | null
  stderrTail: string
  /** Kernel evidence of an OOM kill (a dmesg line, a cgroup counter), when there was a SIGKILL. */
  oomEvidence: string | null
  /** Last RSS the parent saw, for the message. */
  lastRssBytes: number | null
}

/** V8's fatal messages when the JS heap hits its limit (`--max-old-space-size`). */
const HEAP_LIMIT = /Reached heap limit|JavaScript heap out of memory|Ineffective mark-compacts near heap limit/

/** Returns the failure, or null when the worker completed. */
export function classifyExit(o: ExitObservation): Failure | null {
  const base = { signal: o.signal, exitCode: o.exitCode, stage: o.stage, evidence: null, stderrTail: o.stderrTail }
  const where = o.stage ? ` in stage '${o.stage}'` : ''
  if (o.timedOut) {
    return { ...base, kind: 'timeout', message: `The worker was still running${where} after the ${o.timeoutMs / 1000} s timeout and was killed; raise --timeout or make the scenario check ctx.signal.` }
  }
  if (o.reportedError) {
    return { ...base, kind: 'exception', message: `The scenario threw${where}: ${o.reportedError.message}` }
  }
  if (HEAP_LIMIT.test(o.stderrTail)) {
    return { ...base, kind: 'heap-limit', message: `The worker reached the V8 heap limit${where} and aborted (${o.signal ?? `exit ${o.exitCode}`}); raise --max-old-space-size or find what the heap retains.` }
  }
  if (o.signal === 'SIGKILL' && o.oomEvidence) {
    return { ...base, kind: 'oom-kill', evidence: o.oomEvidence, message: `The kernel OOM killer killed the worker${where}${rss(o.lastRssBytes)}.` }
  }
  if (o.signal) {
    const hint = o.signal === 'SIGKILL' ? ' No kernel OOM evidence was found (dmesg, cgroup oom_kill), so something else sent it.' : ''
    return { ...base, kind: 'signal', message: `The worker died of ${o.signal}${where}${rss(o.lastRssBytes)}.${hint}` }
  }
  if (o.exitCode !== 0 || !o.done) {
    const how = o.exitCode === 0 ? 'exited before finishing its stages' : `exited with code ${o.exitCode}`
    return { ...base, kind: 'exit', message: `The worker ${how}${where}; a scenario must not call process.exit().` }
  }
  return null
}

function rss(bytes: number | null): string {
  return bytes === null ? '' : ` (last RSS ${formatBytes(bytes)})`
}
