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
 * One descriptor fails while its process lives on: `smaps_rollup` is tied to the address space it
 * was opened on, so after the process calls exec() (pyenv and npx shims, `sh -c 'exec …'`) its
 * reads fail with ESRCH too. `status` and `stat` belong to the process and survive exec. So on
 * ESRCH the file is opened again and kept if a `status` or `stat` descriptor of the same entry
 * still reads afterwards: the process was alive when the new descriptor was opened, so the PID
 * was still its own. Without such a descriptor the process counts as gone, as before.
 *
 * Bounded: descriptors of at most {@link MAX_OPEN_PIDS} processes stay open (least recently used
 * go first), a process unsampled for {@link IDLE_CLOSE_MS} is closed at the next sample of any
 * process, and a process found gone is closed at once.
 */
import { close, open, read } from 'node:fs'
import { acquireProcBuffer, procReadFailure, releaseProcBuffer, type ProcFileResult } from './proc-read.js'

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
  /** Descriptors replaced after an exec, closed once no read is under way. */
  retired: number[]
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
    let reopened = false
    for (;;) {
      const n = await pread(fd, buf)
      if (typeof n !== 'number') {
        if (n.code === 'ESRCH' && !reopened) {
          reopened = true
          const fresh = await reopenAfterExec(entry, name, fd, path)
          if (fresh !== null) {
            fd = fresh
            continue
          }
        }
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
    else if (entry.inFlight === 0) closeRetired(entry)
  }
}

/** Files whose descriptor tells whether the process it was opened for still lives (they survive exec). */
const ANCHORS: readonly PidFileName[] = ['stat', 'status']

/**
 * After ESRCH on `stale`: a descriptor of `name` opened afresh, when the process it was opened for
 * still lives (it exec()ed), else null. The fresh one replaces `stale` in the entry.
 */
async function reopenAfterExec(entry: PidEntry, name: PidFileName, stale: number, path: string): Promise<number | null> {
  const anchor = ANCHORS.map((a) => (a === name ? undefined : entry.fds.get(a))).find((fd) => fd !== undefined)
  if (anchor === undefined) return null
  const opened = await openFile(path)
  if (typeof opened !== 'number') return null
  // Read after the open: alive now means alive then, so the PID named this process when it was opened.
  const probe = acquireProcBuffer()
  const alive = typeof (await pread(anchor, probe)) === 'number'
  releaseProcBuffer(probe)
  const current = entry.fds.get(name)
  if (!alive || entry.closeRequested || (current !== stale && current !== undefined)) {
    close(opened, ignore)
    // A concurrent read got there first: use its descriptor.
    return alive && current !== undefined && current !== stale ? current : null
  }
  entry.fds.set(name, opened)
  entry.retired.push(stale) // another read may still be using it
  return opened
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
  entry ??= { pid, fds: new Map(), inFlight: 0, retired: [], usedAtMs: now, closeRequested: false }
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
  closeRetired(entry)
  if (entries.get(entry.pid) === entry) entries.delete(entry.pid)
}

function closeRetired(entry: PidEntry): void {
  for (const fd of entry.retired.splice(0)) close(fd, ignore)
}

function openFile(path: string): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => open(path, 'r', (error, fd) => resolve(error ?? fd)))
}

function pread(fd: number, buf: Buffer): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => read(fd, buf, 0, buf.length, 0, (error, n) => resolve(error ?? n)))
}

function ignore(): void {}
