/**
 * Per-test readings in the worker: a full GC, then heapUsed and RSS; VmHWM reset before the test
 * and read after it (DESIGN.md, Honest figures: GC before a steady-state sample, peak = VmHWM).
 */
import { getHeapSpaceStatistics } from 'node:v8'
import { readProcStatus, resetPeakRss } from '../probe/index.js'
import { collectGarbage } from '../snapshot/index.js'

/** Spaces that hold V8's compiled code: the JIT fills and empties them on its own schedule. */
const CODE_SPACES = new Set(['code_space', 'code_large_object_space'])

/**
 * Used JS heap without compiled code. Optimised code appears and goes as V8 tiers functions up
 * and down (swings of ±100 KiB measured in a vitest worker between two readings with nothing
 * retained), which would drown a 1 KiB-per-call leak; code is not what a test leaks.
 */
export function heapWithoutCodeBytes(): number {
  let sum = 0
  for (const s of getHeapSpaceStatistics()) if (!CODE_SPACES.has(s.space_name)) sum += s.space_used_size
  return sum
}

/** A steady-state reading after a full GC. */
export interface SteadyReading {
  /** Used JS heap without compiled code ({@link heapWithoutCodeBytes}). */
  heapUsedBytes: number
  rssBytes: number
  atMs: number
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * A turn of the event loop (pending finalizers, the ArrayBuffer sweeper), then two full GCs back
 * to back. After a single GC, heapUsed in a vitest worker jumps by ±130–190 KiB from one reading
 * to the next with nothing retained; after two it repeats to the KiB (25 readings, 3 runs).
 */
export async function settledGc(): Promise<void> {
  await tick()
  await collectGarbage()
  await collectGarbage()
}

/** Settled GC ({@link settledGc}), then heap and RSS. */
export async function steadyReading(): Promise<SteadyReading> {
  await settledGc()
  return { heapUsedBytes: heapWithoutCodeBytes(), rssBytes: process.memoryUsage.rss(), atMs: performance.now() }
}

/** Resets VmHWM to the current RSS; false where the kernel does not allow it. */
export const resetPeak = (): boolean => resetPeakRss('self')

/** VmHWM now, or null without procfs. */
export async function readPeakRss(): Promise<number | null> {
  return (await readProcStatus('self'))?.peakRssBytes ?? null
}
