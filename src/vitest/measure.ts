/**
 * Per-test readings in the worker: a full GC, then heapUsed and RSS; VmHWM reset before the test
 * and read after it (DESIGN.md, Honest figures: GC before a steady-state sample, peak = VmHWM).
 */
import { getHeapSpaceStatistics } from 'node:v8'
import { readProcStatus, resetPeakRss } from '../probe/index.js'

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
 * A full GC: `global.gc` when the worker has `--expose-gc` (the plugin sets it), else the snapshot
 * module's `collectGarbage`, loaded on first need so the setup file stays light.
 */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: unknown }).gc
  if (typeof gc === 'function') (gc as () => void)()
  else await (await import('../snapshot/index.js')).collectGarbage()
}

/**
 * A full GC, a turn of the event loop (FinalizationRegistry callbacks and the ArrayBuffer sweeper
 * run in later tasks and free more), then two full GCs back to back. After a single GC, heapUsed
 * in a vitest worker jumps by ±130–190 KiB from one reading to the next with nothing retained;
 * after two it repeats to the KiB (25 readings, 3 runs).
 */
export async function settledGc(): Promise<void> {
  await collectGarbage()
  await tick()
  await collectGarbage()
  await collectGarbage()
}

/**
 * Heap and RSS after a GC: settled ({@link settledGc}) when `precise`, else one full GC (readings
 * then carry about ±190 KiB of noise, fine for figures but not for a tight limit).
 */
export async function steadyReading(precise: boolean): Promise<SteadyReading> {
  if (precise) await settledGc()
  else await collectGarbage()
  return { heapUsedBytes: heapWithoutCodeBytes(), rssBytes: process.memoryUsage.rss(), atMs: performance.now() }
}

/** Resets VmHWM to the current RSS; false where the kernel does not allow it. */
export const resetPeak = (): boolean => resetPeakRss('self')

/** VmHWM now, or null without procfs. */
export async function readPeakRss(): Promise<number | null> {
  return (await readProcStatus('self'))?.peakRssBytes ?? null
}
