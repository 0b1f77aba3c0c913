/**
 * The process table, read incrementally. A watch must notice every process that joins a tree,
 * once per interval, for hours; reading every process's `stat` each time costs milliseconds of
 * CPU on a busy host (about 50 µs per process). A process's parent and start time never change
 * while it lives (a reparented orphan keeps its place in the watch), so only PIDs not seen at the
 * previous scan are read: a steady host costs one `readdir('/proc')` per interval.
 *
 * A PID that ends and is handed to a new process between two scans reads as the old process. On
 * Linux PIDs are handed out in increasing order up to `pid_max` (4 194 304 on 64-bit kernels
 * since systemd 243), so that takes a full wrap within one interval.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { parseProcStat } from '../proc-stat.js'

/** What the table knows of one process. */
export interface ScannedProcess {
  pid: number
  ppid: number
  /** Start time after boot, in clock ticks: with `pid`, tells a reused PID apart. */
  startTimeTicks: number
  /** Kernel command name (`comm`, at most 15 bytes). */
  comm: string
  /** A zombie has exited: nothing left to measure. */
  zombie: boolean
}

/** One scan: processes that appeared since the previous one, and PIDs that went away. */
export interface ScanDelta {
  born: ScannedProcess[]
  gone: number[]
}

/** The process table, remembered between scans. Linux only. */
export class ProcScan {
  private readonly known = new Map<number, ScannedProcess>()
  private present = new Set<number>()

  /** Lists `/proc` and reads `stat` of the PIDs not seen before. */
  scan(): ScanDelta {
    // Synchronous: one getdents of a few hundred entries takes ~0.1 ms, less than the thread-pool
    // round trip of the asynchronous call.
    const names = readdirSync('/proc')
    const now = new Set<number>()
    const fresh: number[] = []
    for (const name of names) {
      const c = name.charCodeAt(0)
      if (c < 0x31 || c > 0x39) continue
      const pid = Number(name)
      now.add(pid)
      if (!this.known.has(pid)) fresh.push(pid)
    }
    const gone: number[] = []
    for (const pid of this.present) {
      if (!now.has(pid)) {
        gone.push(pid)
        this.known.delete(pid)
      }
    }
    this.present = now
    const born: ScannedProcess[] = []
    for (const pid of fresh) {
      const p = readProcessStat(pid)
      if (p === null) continue
      this.known.set(p.pid, p)
      born.push(p)
    }
    return { born, gone }
  }

  /** What the last scan knew of `pid`. */
  get(pid: number): ScannedProcess | undefined {
    return this.known.get(pid)
  }

  /**
   * Forgets `pid`, so the next scan reads it afresh: called when a watched process is found gone
   * while its PID is still listed (a zombie, or a PID already reused).
   */
  forget(pid: number): void {
    this.known.delete(pid)
    this.present.delete(pid)
  }
}

/** One buffer for the synchronous reads below: `stat` is ~300 bytes, a cmdline rarely over 4 KiB. */
let syncBuf = Buffer.allocUnsafe(8192)

/**
 * Reads a small `/proc` file synchronously into {@link syncBuf} (valid until the next call).
 * Synchronous on purpose: open, read and close of `/proc/<pid>/stat` cost about 20 µs of CPU this
 * way and 65–110 µs through the thread pool (measured over 184 processes), and a host that
 * starts hundreds of processes a second (a test suite) makes the watch read that many.
 * @returns the bytes read, or -1 when the file is gone or unreadable
 */
function readSmallSync(path: string, limit: number): number {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return -1
  }
  try {
    for (;;) {
      const n = readSync(fd, syncBuf, 0, syncBuf.length, 0)
      if (n < syncBuf.length || syncBuf.length >= limit) return n
      syncBuf = Buffer.allocUnsafe(syncBuf.length * 2)
    }
  } catch {
    return -1 // ESRCH: it exited between open and read
  } finally {
    closeSync(fd)
  }
}

/** `/proc/<pid>/stat` of one process; null when it is gone or unreadable. */
export function readProcessStat(pid: number): ScannedProcess | null {
  const n = readSmallSync(`/proc/${pid}/stat`, 8192)
  if (n <= 0) return null
  const stat = parseProcStat(syncBuf, n)
  if (!stat) return null
  return { pid, ppid: stat.ppid, startTimeTicks: stat.startTimeTicks, comm: stat.comm, zombie: stat.state === 'Z' || stat.state === 'X' }
}

/** Longest command line kept for a process, in characters: a `java` classpath can run to megabytes. */
export const MAX_COMMAND_CHARS = 500

/**
 * The command line of `pid`, arguments joined by spaces (as `ps` shows it), cut at
 * {@link MAX_COMMAND_CHARS}. Synchronous, like {@link readProcessStat}.
 * @returns null for a kernel thread or zombie (empty cmdline) or a process that is gone or hidden
 */
export function readCmdline(pid: number): string | null {
  const n = readSmallSync(`/proc/${pid}/cmdline`, MAX_COMMAND_CHARS * 4)
  if (n <= 0) return null
  let end = Math.min(n, MAX_COMMAND_CHARS * 4)
  while (end > 0 && syncBuf[end - 1] === 0) end--
  for (let i = 0; i < end; i++) if (syncBuf[i] === 0) syncBuf[i] = 0x20
  // A process may rewrite its argv area with spaces and no NULs (nginx, postgres): same result.
  const joined = syncBuf.toString('utf8', 0, end)
  if (joined.length === 0) return null
  return joined.length > MAX_COMMAND_CHARS ? `${joined.slice(0, MAX_COMMAND_CHARS - 1)}…` : joined
}

let bootTimeMs: number | null | undefined

/**
 * The system's boot time (`btime` in `/proc/stat`), ms since the epoch, to turn a process's start
 * ticks into a wall-clock time. Read once.
 * @returns null where it cannot be read
 */
export async function bootTimeMsOf(): Promise<number | null> {
  if (bootTimeMs !== undefined) return bootTimeMs
  try {
    const text = await readFile('/proc/stat', 'utf8')
    const m = /^btime (\d+)$/m.exec(text)
    bootTimeMs = m ? Number(m[1]) * 1000 : null
  } catch {
    bootTimeMs = null
  }
  return bootTimeMs
}
