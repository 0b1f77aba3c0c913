/**
 * Sampling a process tree: a worker that spawns helpers (a sharp/libvips pool, a Python sidecar)
 * is measured with them, or the memory simply moves out of sight.
 */
import { readdir } from 'node:fs/promises'
import { emptySample } from './empty-sample.js'
import { readProcFile, releaseProcBuffer } from './proc-read.js'
import { parseProcStat } from './proc-stat.js'
import { listProcessesPs } from './sample-ps.js'
import { assertPid, samplePid, type SamplePidOptions } from './sample-pid.js'
import type { MemorySample, TreeSample } from './types.js'

/** Fields of {@link TreeSample.total} that are sums over processes. */
const SUMMED = ['rssBytes', 'pssBytes', 'privateBytes', 'swapBytes', 'threads', 'cpuUserMs', 'cpuSystemMs'] as const

/**
 * Samples `rootPid` and all its descendants at one instant.
 *
 * `total` sums rss, pss, private, swap, threads and CPU over the processes (a figure missing for
 * every process stays null). `total.peakRssBytes` is null: the sum of each process's own peak is
 * not the tree's peak, since the peaks happen at different times. `options` apply to each process
 * as in {@link samplePid}. Track the maximum of
 * `total.rssBytes` over a timeline instead. Processes that exit during the walk are left out.
 *
 * @returns `null` when the root process is gone.
 * @throws ConfigError when `rootPid` is not a positive integer.
 * @example const tree = await sampleTree(child.pid!); tree?.processes.length
 */
export async function sampleTree(rootPid: number, options: SamplePidOptions = {}): Promise<TreeSample | null> {
  assertPid(rootPid, 'rootPid')
  const atMs = Date.now()
  const pids = [rootPid, ...(await listDescendants(rootPid))]
  const samples = await Promise.all(pids.map((pid) => samplePid(pid, options)))
  const [root] = samples
  if (!root) return null
  const processes = samples.filter((s): s is MemorySample => s !== null)
  return { atMs, rootPid, total: sumSamples(rootPid, atMs, processes), processes }
}

/** Sums the {@link SUMMED} fields; every other figure of the total is null. */
export function sumSamples(rootPid: number, atMs: number, processes: readonly MemorySample[]): MemorySample {
  const total = emptySample(rootPid, atMs)
  for (const field of SUMMED) {
    let sum: number | null = null
    for (const p of processes) {
      const v = p[field]
      if (v !== null) sum = (sum ?? 0) + v
    }
    total[field] = sum
  }
  return total
}

/**
 * PIDs of every descendant of `rootPid` (children first, then grandchildren), without the root.
 * Linux reads the parent PID of every process from `/proc/<pid>/stat`; other platforms ask `ps`.
 * (`/proc/<pid>/task/<tid>/children` would be cheaper but needs CONFIG_PROC_CHILDREN, which
 * common kernels, this project's CI included, do not set; one tested path beats two.)
 */
export async function listDescendants(rootPid: number): Promise<number[]> {
  const parents = process.platform === 'linux' ? await scanParents() : await listProcessesPs()
  return descendantsFromParents(rootPid, parents)
}

/** Breadth-first walk of a pid → ppid list from `rootPid` down. */
export function descendantsFromParents(rootPid: number, entries: readonly { pid: number; ppid: number }[]): number[] {
  const children = new Map<number, number[]>()
  for (const { pid, ppid } of entries) {
    if (pid === ppid) continue // pid 0 swapper lists itself on some systems
    const list = children.get(ppid)
    if (list) list.push(pid)
    else children.set(ppid, [pid])
  }
  const out: number[] = []
  const seen = new Set([rootPid])
  for (let queue = [rootPid]; queue.length > 0; ) {
    const next: number[] = []
    for (const pid of queue) {
      for (const child of children.get(pid) ?? []) {
        if (seen.has(child)) continue // a PID reused mid-scan must not loop the walk
        seen.add(child)
        out.push(child)
        next.push(child)
      }
    }
    queue = next
  }
  return out
}

/** Every process's parent from `/proc/<pid>/stat`; processes that vanish mid-scan are skipped. */
async function scanParents(): Promise<{ pid: number; ppid: number }[]> {
  const names = await readdir('/proc')
  const stats = await Promise.all(
    names
      .filter((name) => name.charCodeAt(0) >= 0x31 && name.charCodeAt(0) <= 0x39)
      .map(async (name) => {
        const read = await readProcFile(`/proc/${name}/stat`)
        if (!read.ok) return null
        const stat = parseProcStat(read.buf, read.length)
        releaseProcBuffer(read.buf)
        return stat && { pid: stat.pid, ppid: stat.ppid }
      }),
  )
  return stats.filter((s): s is { pid: number; ppid: number } => s !== null)
}
