/**
 * Resetting the kernel's peak-RSS mark (VmHWM) so each stage of a scenario gets its own peak.
 */
import { writeFileSync } from 'node:fs'
import { assertPid } from './sample-pid.js'

/**
 * Resets VmHWM of a process to its current RSS by writing `5` to `/proc/<pid>/clear_refs`
 * (Linux ≥ 4.0). Needs the right to ptrace the target, which a parent usually has over its own
 * child unless Yama (`kernel.yama.ptrace_scope` ≥ 2) or a container profile forbids it.
 *
 * @param pid A PID, or `'self'` for this process.
 * @returns `true` when the kernel took the reset; `false` where it does not allow it (no procfs,
 * permission denied, an older kernel, the process gone). Never throws for those: a missing reset
 * means the stage's peak is "since start", which the caller should record, not a failure.
 * @throws ConfigError when `pid` is neither `'self'` nor a positive integer.
 * @example if (!resetPeakRss(child.pid!)) stage.peakScope = 'process'
 */
export function resetPeakRss(pid: number | 'self'): boolean {
  if (pid !== 'self') assertPid(pid)
  if (process.platform !== 'linux') return false
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}
