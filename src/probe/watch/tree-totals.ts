/**
 * The watched tree as a whole: its total at each tick (RSS summed; PSS and USS summed from each
 * process's last read, the honest total for processes sharing pages), the peaks over every tick
 * (decimated or not), the trend, the machine's memory, and the rows of the live view.
 */
import { DecimatingSeries } from '../decimating-series.js'
import { emptySample } from '../empty-sample.js'
import type { SystemMemory } from '../meminfo.js'
import type { MemorySample } from '../types.js'
import type { ProcessRow, TreeTotals, WatchEvent, WatchTick } from './tick.js'
import { TREND_WINDOW, type TrackedProcess } from './tracked.js'

type Summed = 'rssBytes' | 'pssBytes' | 'privateBytes' | 'swapBytes' | 'threads' | 'cpuUserMs' | 'cpuSystemMs'

export class TreeTotalsTracker {
  /** Kept totals, bounded. */
  readonly series: DecimatingSeries<MemorySample>
  first: MemorySample | null = null
  last: MemorySample | null = null
  readonly peak = { rssBytes: null as number | null, rssAtMs: null as number | null, pssBytes: null as number | null, pssAtMs: null as number | null, ussBytes: null as number | null }
  readonly system = { first: null as SystemMemory | null, last: null as SystemMemory | null, minAvailableBytes: null as number | null, maxSwapUsedBytes: null as number | null }
  private readonly rssWindow: (number | null)[] = []

  constructor(maxSamples: number) {
    this.series = new DecimatingSeries(maxSamples, (s) => s.rssBytes)
  }

  acceptSystem(system: SystemMemory | null): void {
    if (!system) return
    const s = this.system
    s.first ??= system
    s.last = system
    if (system.availableBytes !== null && (s.minAvailableBytes === null || system.availableBytes < s.minAvailableBytes)) s.minAvailableBytes = system.availableBytes
    if (system.swapUsedBytes !== null && (s.maxSwapUsedBytes === null || system.swapUsedBytes > s.maxSwapUsedBytes)) s.maxSwapUsedBytes = system.swapUsedBytes
  }

  /**
   * Sums the live processes at `atMs` and records the total.
   * @param primaryPid the `pid` of the total sample (the first watched process)
   * @returns the total, or null when no process is alive
   */
  add(primaryPid: number, atMs: number, live: readonly TrackedProcess[]): MemorySample | null {
    if (live.length === 0) return null
    const total = emptySample(primaryPid, atMs)
    const add = (key: Summed, v: number | null): void => {
      if (v !== null) total[key] = (total[key] ?? 0) + v
    }
    for (const t of live) {
      const s = t.latest
      add('rssBytes', s?.rssBytes ?? null)
      add('pssBytes', t.pssBytes)
      add('privateBytes', t.privateBytes)
      add('swapBytes', s?.swapBytes ?? null)
      add('threads', s?.threads ?? null)
      add('cpuUserMs', s?.cpuUserMs ?? null)
      add('cpuSystemMs', s?.cpuSystemMs ?? null)
    }
    this.series.push(total)
    this.first ??= total
    this.last = total
    const p = this.peak
    if (total.rssBytes !== null && (p.rssBytes === null || total.rssBytes > p.rssBytes)) [p.rssBytes, p.rssAtMs] = [total.rssBytes, atMs]
    if (total.pssBytes !== null && (p.pssBytes === null || total.pssBytes > p.pssBytes)) [p.pssBytes, p.pssAtMs] = [total.pssBytes, atMs]
    if (total.privateBytes !== null && (p.ussBytes === null || total.privateBytes > p.ussBytes)) p.ussBytes = total.privateBytes
    this.rssWindow.push(total.rssBytes)
    if (this.rssWindow.length > TREND_WINDOW + 1) this.rssWindow.shift()
    return total
  }

  /** The live view of one tick: a row per live process (roots first, then by PID) and the totals. */
  view(index: number, atMs: number, startedAtMs: number, live: readonly TrackedProcess[], total: MemorySample | null, system: SystemMemory | null, events: WatchEvent[]): WatchTick {
    const rows: ProcessRow[] = []
    let cpu: number | null = null
    for (const t of live) {
      const s = t.latest
      if (t.cpuPercent !== null) cpu = (cpu ?? 0) + t.cpuPercent
      rows.push({ pid: t.pid, ppid: t.ppid, command: t.command, role: t.role, rssBytes: s?.rssBytes ?? null, pssBytes: t.pssBytes, ussBytes: t.privateBytes, swapBytes: s?.swapBytes ?? null, threads: s?.threads ?? null, cpuPercent: t.cpuPercent, peakRssBytes: t.peakRssBytes, rssTrendBytes: t.rssTrendBytes })
    }
    rows.sort((a, b) => (a.role === b.role ? a.pid - b.pid : a.role === 'root' ? -1 : 1))
    const totals: TreeTotals = { processes: rows.length, rssBytes: total?.rssBytes ?? null, pssBytes: total?.pssBytes ?? null, ussBytes: total?.privateBytes ?? null, swapBytes: total?.swapBytes ?? null, threads: total?.threads ?? null, cpuPercent: cpu }
    const w = this.rssWindow
    const trend = w.length >= 2 && w[0] != null && w[w.length - 1] != null ? (w[w.length - 1] as number) - (w[0] as number) : null
    const { rssBytes, rssAtMs, pssBytes, pssAtMs } = this.peak
    return { index, atMs, elapsedMs: atMs - startedAtMs, processes: rows, total: totals, peak: { rssBytes, rssAtMs, pssBytes, pssAtMs }, rssTrendBytes: trend, system, events }
  }
}
