/**
 * Evidence of contention over one repeat, read by the parent: how busy the rest of the machine was
 * (/proc/stat minus the worker's own CPU time), CPU steal, load average, and the worker's CPU/wall
 * ratio and involuntary context switches. Time figures taken under contention are not failed on.
 */
import { availableParallelism } from 'node:os'
import { readFile } from 'node:fs/promises'
import type { MemorySample } from '../../probe/types.js'
import type { RepeatResult } from '../../run/schema.js'

/** Machine-wide CPU counters at one moment. */
export interface MachineCpu {
  atMs: number
  /** Busy and steal time of all cores, ms (user + nice + system + irq + softirq; steal apart). */
  busyMs: number
  stealMs: number
  totalMs: number
  loadAvg1: number | null
}

const TICK_MS = 10 // USER_HZ is 100 on every Linux build Node supports

/** Reads /proc/stat and /proc/loadavg; null where they cannot be read (not Linux). */
export async function readMachineCpu(): Promise<MachineCpu | null> {
  try {
    const stat = await readFile('/proc/stat', 'utf8')
    const cpu = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpu
    const load = await readFile('/proc/loadavg', 'utf8').catch(() => '')
    const loadAvg1 = Number.parseFloat(load)
    return { atMs: Date.now(), busyMs: (user + nice + system + irq + softirq) * TICK_MS, stealMs: steal * TICK_MS, totalMs: (user + nice + system + idle + iowait + irq + softirq + steal) * TICK_MS, loadAvg1: Number.isFinite(loadAvg1) ? loadAvg1 : null }
  } catch {
    return null
  }
}

/** Involuntary context switches of `pid` (its main thread), or null. */
export async function involuntarySwitches(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const m = /^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

const cpuOf = (s: MemorySample | undefined): number | null => (s && s.cpuUserMs !== null && s.cpuSystemMs !== null ? s.cpuUserMs + s.cpuSystemMs : null)

/** The contention record of a repeat from machine counters at its ends and the worker's timeline. */
export function contentionOf(start: MachineCpu | null, end: MachineCpu | null, timeline: readonly MemorySample[], switches: number | null): NonNullable<RepeatResult['contention']> {
  const cores = availableParallelism()
  const first = timeline[0]
  const last = timeline.at(-1)
  const workerCpu = cpuOf(first) !== null && cpuOf(last) !== null ? (cpuOf(last) as number) - (cpuOf(first) as number) : null
  const wallMs = first && last ? last.atMs - first.atMs : null
  let othersCores: number | null = null
  let stealShare: number | null = null
  if (start && end && end.atMs > start.atMs) {
    const span = end.atMs - start.atMs
    othersCores = Math.max(0, (end.busyMs - start.busyMs - (workerCpu ?? 0)) / span)
    const total = end.totalMs - start.totalMs
    stealShare = total > 0 ? (end.stealMs - start.stealMs) / total : null
  }
  return {
    othersCores,
    stealShare,
    loadAvgStart: start?.loadAvg1 ?? null,
    loadAvgEnd: end?.loadAvg1 ?? null,
    cpuWallRatio: workerCpu !== null && wallMs ? workerCpu / wallMs : null,
    involuntarySwitches: switches,
    cores,
  }
}
