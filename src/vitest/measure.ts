/**
 * Per-test readings in the worker: a full GC, then heapUsed and RSS; VmHWM reset before the test
 * and read after it (DESIGN.md, Honest figures: GC before a steady-state sample, peak = VmHWM).
 */
import { readProcStatus, resetPeakRss } from '../probe/index.js'
import { collectGarbage } from '../snapshot/index.js'

/** A steady-state reading after a full GC. */
export interface SteadyReading {
  heapUsedBytes: number
  rssBytes: number
  atMs: number
}

/** Full GC, then heapUsed and RSS. */
export async function steadyReading(): Promise<SteadyReading> {
  await collectGarbage()
  const usage = process.memoryUsage()
  return { heapUsedBytes: usage.heapUsed, rssBytes: usage.rss, atMs: performance.now() }
}

/** Resets VmHWM to the current RSS; false where the kernel does not allow it. */
export const resetPeak = (): boolean => resetPeakRss('self')

/** VmHWM now, or null without procfs. */
export async function readPeakRss(): Promise<number | null> {
  return (await readProcStatus('self'))?.peakRssBytes ?? null
}
