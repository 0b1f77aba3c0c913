/**
 * The one constructor of {@link MemorySample} objects, so every sample has the same fields in the
 * same order (one hidden class in V8) and a figure nobody filled in is `null`, never 0.
 */
import type { MemorySample } from './types.js'

/** A sample of `pid` at `atMs` (ms since the epoch) with every figure missing. */
export function emptySample(pid: number, atMs: number): MemorySample {
  return {
    atMs,
    pid,
    rssBytes: null,
    peakRssBytes: null,
    swapBytes: null,
    threads: null,
    pssBytes: null,
    privateBytes: null,
    heapUsedBytes: null,
    heapTotalBytes: null,
    externalBytes: null,
    arrayBuffersBytes: null,
    heapSpaces: null,
    cpuUserMs: null,
    cpuSystemMs: null,
    eventLoopDelayP99Ms: null,
  }
}
