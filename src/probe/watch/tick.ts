/**
 * What a watch reports at every interval: each live process, the tree's totals, the peak so far
 * and the machine's memory. Plain data: the CLI renders it as a live table, a log line or JSON.
 */
import type { SystemMemory } from '../meminfo.js'

/** Something that happened to the watched processes. */
export interface WatchEvent {
  atMs: number
  /**
   * `start`: a process joined (started under a watched one, or matched the pattern); `exit`: one
   * ended; `recycle`: one ended and its parent started another in the same interval (a worker
   * replaced); `kill`: memgate ended it (the watch stopped while the command it started still
   * ran); `note`: about the watch itself.
   */
  kind: 'start' | 'exit' | 'recycle' | 'kill' | 'note'
  pid: number | null
  message: string
}

/** One live process at one tick. Sizes in bytes; null where the figure could not be read. */
export interface ProcessRow {
  pid: number
  ppid: number | null
  command: string
  role: 'root' | 'child'
  rssBytes: number | null
  /** Last PSS read (smaps_rollup is read at most every `smapsMinIntervalMs`). */
  pssBytes: number | null
  /** USS: private clean + dirty pages, from the same read as PSS. */
  ussBytes: number | null
  swapBytes: number | null
  threads: number | null
  /** CPU over the last interval, percent of one core (200 = two cores busy). */
  cpuPercent: number | null
  /** Highest RSS seen of this process. */
  peakRssBytes: number | null
  /** RSS now minus RSS ten intervals ago. */
  rssTrendBytes: number | null
}

/** Sums over the live processes of the tree(s). */
export interface TreeTotals {
  processes: number
  rssBytes: number | null
  /** Sum of each process's last PSS: the honest total for processes that share pages. */
  pssBytes: number | null
  ussBytes: number | null
  swapBytes: number | null
  threads: number | null
  cpuPercent: number | null
}

/** One interval of a watch. */
export interface WatchTick {
  /** 0 for the first sample. */
  index: number
  atMs: number
  /** Since the watch started. */
  elapsedMs: number
  /** Live processes, roots first, then by PID. */
  processes: ProcessRow[]
  total: TreeTotals
  /** Highest tree totals so far and when; every tick counts, decimated or not. */
  peak: { rssBytes: number | null; rssAtMs: number | null; pssBytes: number | null; pssAtMs: number | null }
  /** Tree RSS now minus ten intervals ago. */
  rssTrendBytes: number | null
  system: SystemMemory | null
  /** Events since the previous tick. */
  events: WatchEvent[]
}
