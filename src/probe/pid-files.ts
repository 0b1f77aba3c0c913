/**
 * Open `/proc/<pid>` files of the processes being sampled, kept between samples.
 *
 * A timeline samples the same PID every few ms. Keeping `status`, `stat` and `smaps_rollup` open
 * and reading each with one `pread` at offset 0 (a seq_file regenerates its text on a read from
 * offset 0) costs one thread-pool round trip per file instead of four (open, read, read to EOF,
 * close): measured 300–450 µs of CPU per sample before, 80–120 µs after, on the loaded CI VM.
 * It also makes PID reuse harmless: a descriptor belongs to the process it was opened for, and
 * reads fail with ESRCH once that process has been reaped, even if the PID is taken again.
 *
 * Bounded: descriptors of at most {@link MAX_OPEN_PIDS} processes stay open (least recently used
 * go first), a process unsampled for {@link IDLE_CLOSE_MS} is closed at the next sample of any
 * process, and a process found gone is closed at once.
 */
import { close, open, read } from 'node:fs'
import { acquireProcBuffer, procReadFailure, type ProcFileResult } from './proc-read.js'

/** The `/proc/<pid>` files kept open. */
export type PidFileName = 'status' | 'stat' | 'smaps_rollup'

/** Most processes whose descriptors are kept (3 each at most). */
export const MAX_OPEN_PIDS = 32
/** A process not sampled for this long has its descriptors closed, in ms. */
export const IDLE_CLOSE_MS = 10_000

interface PidEntry {
  pid: number
  fds: Map<PidFileName, number>
  /** Reads under way: a descriptor is never closed under a pending read (its number could be reused). */
  inFlight: number
  usedAtMs: number
  closeRequested: boolean
}

const entries = new Map<number, PidEntry>()
let lastSweepMs = 0

/**
 * Reads `/proc/<pid>/<name>` through a kept descriptor into a pooled buffer; hand it back with
 * `releaseProcBuffer` after parsing.
 * @throws MemgateError `PROBE_UNAVAILABLE` for errors that say nothing about the target.
 */
export async function readPidFile(pid: number, name: PidFileName): Promise<ProcFileResult> {
  let buf = acquireProcBuffer()
  const path = `/proc/${pid}/${name}`
  const entry = entryFor(pid)
  entry.inFlight++
  try {
    let fd = entry.fds.get(name)
    if (fd === undefined) {
      const opened = await openFile(path)
      if (typeof opened !== 'number') return procReadFailure(opened, path)
      // A concurrent call may have opened it meanwhile: keep one descriptor.
      const existing = entry.fds.get(name)
      if (existing !== undefined) close(opened, ignore)
      else entry.fds.set(name, opened)
      fd = existing ?? opened
    }
    for (;;) {
      const n = await pread(fd, buf)
      if (typeof n !== 'number') {
        const result = procReadFailure(n, path)
        if (!result.ok && result.reason === 'gone') entry.closeRequested = true
        return result
      }
      if (n < buf.length) return { ok: true, buf, length: n }
      buf = Buffer.allocUnsafe(buf.length * 2) // did not fit: read again, larger
    }
  } finally {
    entry.inFlight--
    if (entry.closeRequested) closeEntry(entry)
  }
}

/** Closes the descriptors of `pid` (now, or when its last pending read finishes). */
export function closePidFiles(pid: number): void {
  const entry = entries.get(pid)
  if (!entry) return
  entry.closeRequested = true
  closeEntry(entry)
}

/** PIDs whose descriptors are open now (for tests and diagnostics). */
export function openPidFileCount(): number {
  return entries.size
}

function entryFor(pid: number): PidEntry {
  const now = Date.now()
  let entry = entries.get(pid)
  if (entry && entry.closeRequested && entry.inFlight === 0) entry = undefined
  if (entry) entries.delete(pid) // re-inserted below: Map order is our LRU order
  entry ??= { pid, fds: new Map(), inFlight: 0, usedAtMs: now, closeRequested: false }
  entry.usedAtMs = now
  entries.set(pid, entry)
  if (entries.size > MAX_OPEN_PIDS || now - lastSweepMs > IDLE_CLOSE_MS) {
    lastSweepMs = now
    for (const other of entries.values()) {
      if (other === entry) continue
      const idle = now - other.usedAtMs > IDLE_CLOSE_MS
      if (idle || entries.size > MAX_OPEN_PIDS) {
        other.closeRequested = true
        closeEntry(other)
      }
    }
  }
  return entry
}

function closeEntry(entry: PidEntry): void {
  if (entry.inFlight > 0) return // the last pending read closes it
  for (const fd of entry.fds.values()) close(fd, ignore)
  entry.fds.clear()
  if (entries.get(entry.pid) === entry) entries.delete(entry.pid)
}

function openFile(path: string): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => open(path, 'r', (error, fd) => resolve(error ?? fd)))
}

function pread(fd: number, buf: Buffer): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => read(fd, buf, 0, buf.length, 0, (error, n) => resolve(error ?? n)))
}

function ignore(): void {}
