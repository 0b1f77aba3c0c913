/**
 * Kernel OOM kills: evidence that a SIGKILL came from the OOM killer (the kernel log, the cgroup's
 * `oom_kill` counter), and an optional memory cgroup per worker (`--memory-limit`) so a run can
 * reproduce a container's limit and the kernel kills the worker, not a neighbour.
 */
import { execFile } from 'node:child_process'
import { readFile, mkdir, rmdir, writeFile, access } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from '../common/errors.js'

const CGROUP_ROOT = '/sys/fs/cgroup'

/** A memory cgroup's directory and its layout. */
export interface CgroupRef {
  dir: string
  version: 1 | 2
}

/** The memory cgroup of `pid` (`'self'` for this process), or null where cgroups are not readable. */
export async function memoryCgroupOf(pid: number | 'self'): Promise<CgroupRef | null> {
  let text: string
  try {
    text = await readFile(`/proc/${pid}/cgroup`, 'utf8')
  } catch {
    return null
  }
  for (const line of text.split('\n')) {
    const [, controllers, path] = line.split(':')
    if (controllers === undefined || path === undefined) continue
    if (controllers.split(',').includes('memory')) return { dir: join(CGROUP_ROOT, 'memory', path), version: 1 }
  }
  const unified = /^0::(.*)$/m.exec(text)
  if (unified?.[1] !== undefined) return { dir: join(CGROUP_ROOT, unified[1]), version: 2 }
  return null
}

/** How many processes of the cgroup the OOM killer has killed (`oom_kill`), or null if unreadable. */
export async function oomKillCount(cgroup: CgroupRef): Promise<number | null> {
  const file = cgroup.version === 1 ? 'memory.oom_control' : 'memory.events'
  try {
    const m = /^oom_kill (\d+)$/m.exec(await readFile(join(cgroup.dir, file), 'utf8'))
    return m?.[1] ? Number(m[1]) : null
  } catch {
    return null
  }
}

/**
 * The kernel log line that records the OOM killer killing `pid`, or null (none, or no access to
 * the log). The line can lag the SIGKILL slightly, so the log is read a few times.
 */
export async function findOomKillInKernelLog(pid: number, attempts = 3): Promise<string | null> {
  const patterns = [new RegExp(`Killed process ${pid} \\(`), new RegExp(`oom-kill:.*[,:]pid=${pid}[,\\s]`)]
  for (let i = 0; i < attempts; i++) {
    const log = await readKernelLog()
    if (log === null) return null
    const lines = log.split('\n')
    // The "Killed process" line is the clearest; the oom-kill summary line is the fallback.
    for (const pattern of patterns) {
      const line = lines.find((l) => pattern.test(l))
      if (line) return line.trim()
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return null
}

function readKernelLog(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('dmesg', [], { timeout: 5000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => resolve(error ? null : stdout))
  })
}

/** A memory cgroup created for one worker. */
export interface WorkerCgroup extends CgroupRef {
  limitBytes: number
  /** Moves `pid` into the cgroup. */
  add(pid: number): Promise<void>
  /** Removes the cgroup (its processes must have exited). */
  remove(): Promise<void>
}

let serial = 0

/**
 * Creates a memory cgroup below this process's own, limited to `limitBytes`. The kernel OOM
 * killer then acts inside it alone, as in a container with a memory limit.
 * @throws ConfigError when cgroups are not writable here (not root, read-only mount, cgroup v2
 * without the memory controller delegated)
 */
export async function createWorkerCgroup(limitBytes: number): Promise<WorkerCgroup> {
  const own = await memoryCgroupOf('self')
  const hint = 'run as root on a host with writable cgroups, or drop --memory-limit'
  if (!own) throw new ConfigError(`--memory-limit needs a memory cgroup, but /proc/self/cgroup names none; ${hint}.`)
  const dir = join(own.dir, `memgate-${process.pid}-${++serial}`)
  try {
    await mkdir(dir)
    if (own.version === 1) {
      await writeFile(join(dir, 'memory.limit_in_bytes'), String(limitBytes))
      // With swap, the limit on memory+swap must match or the kernel swaps instead of killing.
      await writeFile(join(dir, 'memory.memsw.limit_in_bytes'), String(limitBytes)).catch(() => undefined)
    } else {
      await access(join(dir, 'memory.max'))
      await writeFile(join(dir, 'memory.max'), String(limitBytes))
      await writeFile(join(dir, 'memory.swap.max'), '0').catch(() => undefined)
    }
  } catch (error) {
    await rmdir(dir).catch(() => undefined)
    throw new ConfigError(`Could not create a memory cgroup at ${dir} for --memory-limit: ${(error as Error).message}; ${hint}.`, { cause: error })
  }
  return {
    dir,
    version: own.version,
    limitBytes,
    async add(pid) {
      await writeFile(join(dir, 'cgroup.procs'), String(pid))
    },
    async remove() {
      // The kernel may still be releasing the dead worker's pages; retry briefly.
      for (let i = 0; i < 20; i++) {
        try {
          await rmdir(dir)
          return
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
      }
    },
  }
}
