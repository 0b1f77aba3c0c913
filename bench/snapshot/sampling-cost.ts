/**
 * Child of the snapshot benchmark: throughput cost of V8's sampling heap profiler on an
 * allocation-heavy loop, at several sampling intervals, against no profiler. Windows alternate
 * between arms (none, 512 KiB, 128 KiB, 32 KiB, then reversed) so drift on a shared machine hits
 * every arm alike; the figure per arm is the median over rounds of ops per second of main-thread
 * CPU time (wall throughput on a shared box moves by tens of percent for reasons of its own).
 *   node --import tsx bench/snapshot/sampling-cost.ts [ROUNDS] [WINDOW_MS]
 */
import { readFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { median } from '../../src/index.js'
import { report } from './proc.js'

/** Sampling intervals compared, in bytes (0 = profiler off). 512 KiB is V8's default. */
export const INTERVALS = [0, 512 * 1024, 128 * 1024, 32 * 1024] as const

/** Result: median ops per CPU second per interval, and the cost relative to no profiler. */
export interface SamplingCost {
  rounds: number
  windowMs: number
  arms: { intervalBytes: number; opsPerCpuSecond: number; opsPerWallSecond: number; costPercent: number }[]
}

const rounds = Number(process.argv[2] ?? 12)
const windowMs = Number(process.argv[3] ?? 400)

// A service-like mix: small objects, arrays, strings and Buffers, most short-lived, 1 in 64 kept
// for a while in a ring (so the profiler also tracks objects that survive a scavenge).
const ring: unknown[] = new Array(4096)
let sink = 0
function work(ops: number, seed: number): void {
  for (let i = 0; i < ops; i++) {
    const k = seed + i
    const o = { id: k, tags: [k & 7, k & 15], name: `item-${k & 1023}`, buf: Buffer.allocUnsafe(64 + (k & 255)) }
    sink += o.tags.length + o.name.length + o.buf.length
    if ((k & 63) === 0) ring[k & 4095] = o
  }
}

/**
 * CPU time of the main thread in ms, from /proc/self/schedstat (its on-CPU time in nanoseconds,
 * so a 500 ms window is measured exactly, and GC helper threads, whose work varies with what
 * other tenants do to the caches, are left out). Falls back to the whole process's CPU time.
 */
function mainThreadCpuMs(): number {
  try {
    const ns = Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[0])
    if (Number.isFinite(ns)) return ns / 1e6
  } catch {
    // Not Linux: use the process total.
  }
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function measureWindow(): { ops: number; cpuMs: number; wallMs: number } {
  const cpu0 = mainThreadCpuMs()
  const t0 = performance.now()
  let ops = 0
  while (performance.now() - t0 < windowMs) {
    work(1000, ops)
    ops += 1000
  }
  return { ops, cpuMs: mainThreadCpuMs() - cpu0, wallMs: performance.now() - t0 }
}

const session = new Session()
session.connect()
await session.post('HeapProfiler.enable')
measureWindow() // warm-up: let the loop get optimised before anything is measured
const samples = new Map<number, { cpu: number[]; wall: number[] }>(INTERVALS.map((i) => [i, { cpu: [], wall: [] }]))
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? INTERVALS : [...INTERVALS].reverse()
  for (const interval of order) {
    if (interval > 0) await session.post('HeapProfiler.startSampling', { samplingInterval: interval })
    const w = measureWindow()
    if (interval > 0) await session.post('HeapProfiler.stopSampling')
    const s = samples.get(interval)!
    s.cpu.push(w.ops / (w.cpuMs / 1000))
    s.wall.push(w.ops / (w.wallMs / 1000))
  }
}
session.disconnect()
const base = median(samples.get(0)!.cpu as [number, ...number[]])
const result: SamplingCost = {
  rounds,
  windowMs,
  arms: INTERVALS.map((intervalBytes) => {
    const s = samples.get(intervalBytes)!
    const cpu = median(s.cpu as [number, ...number[]])
    return { intervalBytes, opsPerCpuSecond: cpu, opsPerWallSecond: median(s.wall as [number, ...number[]]), costPercent: (1 - cpu / base) * 100 }
  }),
}
if (sink < 0) console.log(sink)
report(result)
