/**
 * Reading `/proc` files cheaply. procfs files report a size of 0, so `fs.readFile` falls back to
 * 64 KiB chunks per call; at a 10 ms interval that is megabytes of garbage per second in the
 * very process being measured. Instead: this process reads synchronously into one reused buffer
 * (tens of microseconds, no promise), and other PIDs are read asynchronously into pooled buffers.
 */
import { close as fsClose, closeSync, open as fsOpen, openSync, read as fsRead, readSync } from 'node:fs'
import { MemgateError } from '../common/errors.js'

/** Room for `status` (~1.5 KiB) and `smaps_rollup` (~1 KiB); grown on the rare longer file. */
const INITIAL_BUFFER_BYTES = 8192
const POOL_LIMIT = 16

let selfBuffer: Buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES)

/** The buffer the last {@link readSelfProcFile} filled. Valid until the next call. */
export function selfProcBuffer(): Buffer {
  return selfBuffer
}

/** Open descriptors of `/proc/self` files, kept for the life of the process (two at most). */
const selfFds = new Map<string, number>()

/**
 * Reads a whole `/proc/self/...` file synchronously into the shared buffer.
 *
 * The descriptor stays open and each read is one `pread` at offset 0: a seq_file regenerates its
 * text on a read from offset 0, and for a single-record file (`status`, `smaps_rollup`) a read
 * shorter than the buffer is the whole text. One syscall instead of four (open, read, read to
 * EOF, close) took the `status` read from 67 to 40 µs on the loaded CI VM.
 * @returns the number of bytes read, or -1 when the file cannot be opened or read (no procfs,
 * a sandbox that hides it). Errors are not thrown: a missing figure is `null`, not a failure.
 */
export function readSelfProcFile(path: string): number {
  let fd = selfFds.get(path)
  if (fd === undefined) {
    try {
      fd = openSync(path, 'r')
    } catch {
      return -1
    }
    selfFds.set(path, fd)
  }
  try {
    for (;;) {
      const n = readSync(fd, selfBuffer, 0, selfBuffer.length, 0)
      if (n < selfBuffer.length) return n
      selfBuffer = Buffer.allocUnsafe(selfBuffer.length * 2) // did not fit: read again, larger
    }
  } catch (error) {
    // Reopen on the next call. After EBADF (someone closed our descriptor) the number may already
    // belong to another file, so it must not be closed again.
    selfFds.delete(path)
    if ((error as NodeJS.ErrnoException).code !== 'EBADF') closeSync(fd)
    return -1
  }
}

/** Outcome of reading another process's `/proc` file. */
export type ProcFileResult =
  | { ok: true; buf: Buffer; length: number }
  /** `gone`: the process exited (ENOENT/ESRCH). `denied`: it exists but we may not read it. */
  | { ok: false; reason: 'gone' | 'denied' }

const pool: Buffer[] = []

/** A buffer for one `/proc` read, from the pool when one is free. */
export function acquireProcBuffer(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafe(INITIAL_BUFFER_BYTES)
}

/** Returns a buffer from {@link readProcFile} to the pool once it has been parsed. */
export function releaseProcBuffer(buf: Buffer): void {
  if (pool.length < POOL_LIMIT) pool.push(buf)
}

/**
 * Reads a whole `/proc/<pid>/...` file asynchronously into a pooled buffer. Hand the buffer back
 * with {@link releaseProcBuffer} after parsing.
 *
 * Callback `fs` calls, not `fs/promises`: a `FileHandle` costs about twice the CPU per file
 * (measured: 94 `stat` files took 7.8 ms of CPU through FileHandles, 4.4 ms through callbacks),
 * which matters when a tree walk reads every process's `stat` every few milliseconds.
 * @throws MemgateError `PROBE_UNAVAILABLE` for errors that say nothing about the target (EMFILE,
 * EIO): treating those as "process gone" would end a measurement that is still running.
 */
export function readProcFile(path: string): Promise<ProcFileResult> {
  return new Promise((resolve, reject) => {
    const settle = (error: unknown): void => {
      try {
        resolve(procReadFailure(error, path))
      } catch (unexpected) {
        reject(unexpected)
      }
    }
    fsOpen(path, 'r', (openError, fd) => {
      if (openError) return settle(openError)
      let buf = acquireProcBuffer()
      let length = 0
      const onRead = (readError: NodeJS.ErrnoException | null, bytesRead: number): void => {
        if (readError) {
          // ESRCH here: the process exited between open and read.
          releaseProcBuffer(buf)
          fsClose(fd, ignore)
          return settle(readError)
        }
        if (bytesRead === 0) {
          fsClose(fd, ignore) // nothing to wait for: the text is complete
          return resolve({ ok: true, buf, length })
        }
        length += bytesRead
        if (length === buf.length) buf = grow(buf, length)
        fsRead(fd, buf, length, buf.length - length, null, onRead)
      }
      fsRead(fd, buf, 0, buf.length, null, onRead)
    })
  })
}

function ignore(): void {}

/**
 * Classifies a failed `/proc` read: ENOENT/ESRCH mean the process is gone, EACCES/EPERM that we
 * may not read it.
 * @throws MemgateError `PROBE_UNAVAILABLE` for anything else (EMFILE, EIO), which says nothing
 * about the target.
 */
export function procReadFailure(error: unknown, path: string): ProcFileResult {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT' || code === 'ESRCH') return { ok: false, reason: 'gone' }
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, reason: 'denied' }
  throw new MemgateError(
    'PROBE_UNAVAILABLE',
    `Could not read ${path} (${code ?? 'unknown error'}). The probe cannot tell whether the target is still running; check the file-descriptor limit (ulimit -n) and that /proc is mounted.`,
    { cause: error },
  )
}

function grow(buf: Buffer, used: number): Buffer {
  const bigger = Buffer.allocUnsafe(buf.length * 2)
  buf.copy(bigger, 0, 0, used)
  return bigger
}
