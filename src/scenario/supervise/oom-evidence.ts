/** Whether a SIGKILLed worker was the kernel's OOM victim: the kernel log, else the cgroup's counter. */
import { findOomKillInKernelLog, oomKillCount, type CgroupRef } from '../oom.js'

/**
 * @param before the cgroup's `oom_kill` count before the worker started
 * @param dedicated true when the cgroup holds only the worker
 */
export async function findOomEvidence(pid: number, cgroup: CgroupRef | null, before: number | null, dedicated: boolean): Promise<string | null> {
  const line = await findOomKillInKernelLog(pid)
  if (line) return `kernel log: ${line}`
  if (!cgroup || before === null) return null
  const after = await oomKillCount(cgroup)
  if (after === null || after <= before) return null
  // In a cgroup of its own the worker is the only possible victim; in a shared one a neighbour
  // could have been killed at the same moment, so say so.
  return dedicated
    ? `cgroup ${cgroup.dir}: oom_kill ${before} → ${after}`
    : `cgroup ${cgroup.dir} (shared): oom_kill ${before} → ${after}; the kernel log was not readable to confirm the PID`
}
