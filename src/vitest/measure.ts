/**
 * Per-test readings in the worker. Peak RSS is VmHWM, reset before the test and read after it
 * (cheap: one write and one read in /proc). Heap and RSS readings come in two kinds:
 * {@link steadyReading} after a settled full GC (DESIGN.md, Honest figures: GC before a sample
 * that claims to be a steady state), and {@link quickReading}, no GC forced, for tests nothing
 * asks a retained figure of.
 */
import { writeFileSync } from 'node:fs'
import { getHeapSpaceStatistics } from 'node:v8'
// The file, not '../probe/index.js': the setup file is evaluated in every test file's fresh
// module graph (each module fetched from the main process and compiled again), and the probe
// index pulls in some 30 modules these readings never use.
import { readProcStatus } from '../probe/proc-status.js'

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

/** A reading of the heap and RSS. */
export interface Reading {
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
  else await (await import('../snapshot/gc.js')).collectGarbage()
}

/**
 * A full GC, a turn of the event loop (FinalizationRegistry callbacks and the ArrayBuffer sweeper
 * run in later tasks and free more), then two full GCs back to back. After a single GC, heapUsed
 * in a vitest worker jumps by ±130–190 KiB from one reading to the next with nothing retained;
 * after two it repeats to the KiB (25 readings, 3 runs). Costs about 50 ms of CPU in a vitest
 * worker (3 full GCs of a ~15 MB heap), which is why only tests that need it pay it.
 */
export async function settledGc(): Promise<void> {
  await collectGarbage()
  await tick()
  await collectGarbage()
  await collectGarbage()
}

const read = (): Reading => ({ heapUsedBytes: heapWithoutCodeBytes(), rssBytes: process.memoryUsage.rss(), atMs: performance.now() })

/** Heap and RSS after {@link settledGc}: what retained figures and limits are computed from. */
export async function steadyReading(): Promise<Reading> {
  await settledGc()
  return read()
}

/** Heap and RSS now, no GC forced: the heap figure includes whatever garbage is waiting. */
export const quickReading = (): Reading => read()

/**
 * Resets VmHWM to the current RSS; false where the kernel does not allow it. The same write as
 * probe's `resetPeakRss('self')`, which is not imported because its file pulls in the PID
 * sampler (13 modules) for a PID check that `'self'` does not need.
 */
export function resetPeak(): boolean {
  if (process.platform !== 'linux') return false
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

/** VmHWM now, or null without procfs. */
export async function readPeakRss(): Promise<number | null> {
  return (await readProcStatus('self'))?.peakRssBytes ?? null
}
