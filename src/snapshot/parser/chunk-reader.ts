/**
 * Reads a file through two reusable buffers. The scanners consume every byte of a chunk before
 * asking for the next one (they keep their own state across chunk boundaries), so a refill never
 * has to move unread bytes and the buffers never grow: memory stays at two chunks however large
 * the file is.
 */
import type { FileHandle } from 'node:fs/promises'
import { MiB } from '../../common/units.js'

/** Called after each chunk: bytes read so far and the file's size. */
export type ProgressCallback = (bytesRead: number, totalBytes: number) => void

/** Size of the reusable read buffer in bytes. 4 MiB: large enough that syscalls are noise. */
export const DEFAULT_CHUNK_BYTES = 4 * MiB

/**
 * A position-tracking window over a file: `buf[pos..end)` holds unread bytes at file offset
 * `base + pos`. Two buffers alternate: while the scanners work through one, the next chunk is
 * already being read into the other, so the parser does not sit idle waiting for the thread pool.
 */
export class ChunkReader {
  /** The current chunk. Scanners read `buf[pos..end)`. */
  buf: Buffer
  /** Next unread byte in `buf`. Scanners advance it. */
  pos = 0
  /** End of valid data in `buf`. */
  end = 0
  /** File offset of `buf[0]`. */
  base = 0
  /** True once a read returned no bytes. */
  eof = false
  private spare: Buffer
  /** The read into `spare` that is in flight, if any, and the file offset it reads from. */
  private pending: Promise<number> | undefined
  private pendingAt = 0

  constructor(
    private readonly file: FileHandle,
    readonly totalBytes: number,
    private readonly onProgress?: ProgressCallback,
    chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    // Small files need no more buffer than their size.
    const size = Math.max(1, Math.min(chunkBytes, totalBytes))
    this.buf = Buffer.allocUnsafe(size)
    this.spare = Buffer.allocUnsafe(size)
  }

  /** File offset of the next unread byte. */
  offset(): number {
    return this.base + this.pos
  }

  /**
   * Replaces the (fully consumed) buffer with the next chunk.
   * @returns false at end of file.
   */
  async fill(): Promise<boolean> {
    if (this.eof) return false
    const at = this.base + this.end
    if (!this.pending || this.pendingAt !== at) this.startRead(at)
    const bytesRead = await this.pending!
    this.pending = undefined
    const done = this.buf
    this.buf = this.spare
    this.spare = done
    this.base = at
    this.pos = 0
    this.end = bytesRead
    if (bytesRead === 0) {
      this.eof = true
      return false
    }
    this.onProgress?.(at + bytesRead, this.totalBytes)
    // Read ahead into the buffer just consumed.
    if (at + bytesRead < this.totalBytes) this.startRead(at + bytesRead)
    return true
  }

  private startRead(at: number): void {
    this.pendingAt = at
    this.pending = this.file.read(this.spare, 0, this.spare.length, at).then((r) => r.bytesRead)
    // A failed read-ahead is reported by the fill() that awaits it; never as an unhandled rejection.
    this.pending.catch(() => undefined)
  }

  /** Waits for a read-ahead still in flight, so the file can be closed safely. */
  async settle(): Promise<void> {
    await this.pending?.catch(() => undefined)
  }

  /** Next byte without consuming it, or -1 at end of file. */
  async peek(): Promise<number> {
    if (this.pos >= this.end && !(await this.fill())) return -1
    return this.buf[this.pos]!
  }

  /** Skips JSON whitespace and returns the next byte without consuming it (-1 at end of file). */
  async peekNonSpace(): Promise<number> {
    for (;;) {
      while (this.pos < this.end) {
        const c = this.buf[this.pos]!
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c
        this.pos++
      }
      if (!(await this.fill())) return -1
    }
  }
}

/** A syntax problem at a byte offset; the parser turns it into a `SNAPSHOT_INVALID` InputError. */
export class SnapshotSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message)
    this.name = 'SnapshotSyntaxError'
  }
}

/** Describes a byte for an error message: `'x'`, `end of file` or `byte 0xff`. */
export function describeByte(c: number): string {
  if (c < 0) return 'end of file'
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`
  return `byte 0x${c.toString(16).padStart(2, '0')}`
}
