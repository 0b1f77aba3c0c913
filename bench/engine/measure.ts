/**
 * Shared measuring loop for OCR benchmarks: runs in a fresh child process, reads /proc/self/status
 * for RSS and VmHWM, forces GC before steady-state samples (DESIGN.md, Honest figures).
 */
import { readFileSync } from 'node:fs'
import { characterErrorRate, percentile } from '../../src/index.js'

/**
 * This process's environment without glibc's allocator variables, plus `extra`: each bench row
 * runs with exactly the allocator settings it names, none inherited from the shell.
 */
export function allocatorEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MALLOC_'))), ...extra }
}

export interface BenchPage {
  file: string
  truth: string
}

/** What one child reports. Bytes and milliseconds. */
export interface PassReport {
  /** RSS after the engine opened, before any page. */
  openBytes: number
  /** Time to open the engine (load models/data), ms. */
  openMs: number
  /** Median RSS after each pass (after GC), passes 2..N. */
  steadyBytes: number
  /** VmHWM at the end: the process's high-water mark. */
  peakBytes: number
  pagesPerSec: number
  cpuMsPerPage: number
  latencyP50Ms: number
  latencyP95Ms: number
  meanCer: number
  load1: number
}

export function procStatus(): { rss: number; hwm: number } {
  const text = readFileSync('/proc/self/status', 'utf8')
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? Number.NaN) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.()

/**
 * Opens an engine, warms it up on the first page, then times `passes` passes over all pages.
 * CER is taken from the first timed pass.
 */
export async function measurePasses(open: () => Promise<{ read(file: string): Promise<string>; close(): Promise<void> }>, pages: readonly BenchPage[], passes: number): Promise<PassReport> {
  const t0 = performance.now()
  const engine = await open()
  const openMs = performance.now() - t0
  gc()
  const openBytes = procStatus().rss
  await engine.read(pages[0]!.file)
  const afterPass: number[] = []
  const cers: number[] = []
  const latencies: number[] = []
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  for (let pass = 0; pass < passes; pass++) {
    for (const page of pages) {
      const t = performance.now()
      const text = await engine.read(page.file)
      latencies.push(performance.now() - t)
      if (pass === 0) cers.push(characterErrorRate(page.truth, text))
    }
    gc()
    gc()
    afterPass.push(procStatus().rss)
  }
  const wallMs = performance.now() - start
  const cpu = process.cpuUsage(cpu0)
  const n = passes * pages.length
  const steady = afterPass.length > 1 ? afterPass.slice(1) : afterPass
  const report: PassReport = {
    openBytes,
    openMs,
    steadyBytes: percentile(steady, 50),
    peakBytes: procStatus().hwm,
    pagesPerSec: n / (wallMs / 1000),
    cpuMsPerPage: (cpu.user + cpu.system) / 1000 / n,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    meanCer: cers.reduce((s, c) => s + c, 0) / cers.length,
    load1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
  }
  await engine.close()
  return report
}
