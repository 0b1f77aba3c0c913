/**
 * Skips one JSON value of any size (sections memgate does not use: `trace_function_infos`,
 * `trace_tree`, `samples`, `locations`, unknown keys), optionally keeping its bytes when the value
 * is small and wanted (the `snapshot` header, parsed afterwards with JSON.parse).
 * It tracks nesting and strings only; a malformed skipped value is not diagnosed in detail,
 * a malformed kept one is rejected by JSON.parse.
 */
import { describeByte, SnapshotSyntaxError, type ChunkReader } from './chunk-reader.js'

/** Skips (or keeps) one JSON value of any shape; resumable across chunks. */
export class ValueScanner {
  /** True once the value is complete. */
  done = false
  private started = false
  private primitive = false
  private depth = 0
  private inString = false
  private escaped = false
  private readonly kept: Buffer[] = []
  private keptBytes = 0

  /**
   * @param section the key being read, for error messages.
   * @param keepLimitBytes keep the value's bytes up to this size (0: keep nothing).
   */
  constructor(
    private readonly section: string,
    private readonly keepLimitBytes = 0,
  ) {}

  /** The kept bytes as text (only when constructed with a keep limit). */
  text(): string {
    return Buffer.concat(this.kept).toString('utf8')
  }

  /** Consumes bytes of the value from the reader; stops right after it. */
  scan(r: ChunkReader): void {
    const buf = r.buf
    const end = r.end
    const from = r.pos
    let i = r.pos
    while (i < end && !this.done) {
      const c = buf[i]!
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (c === 0x5c) this.escaped = true
        else if (c === 0x22) {
          this.inString = false
          if (this.depth === 0) this.done = true
        }
      } else if (!this.started) {
        this.start(r, i, c)
      } else if (this.primitive) {
        // A number or literal ends at the first delimiter, which belongs to the enclosing object.
        if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          this.done = true
          break
        }
      } else if (c === 0x22) {
        this.inString = true
      } else if (c === 0x7b || c === 0x5b) {
        this.depth++
      } else if (c === 0x7d || c === 0x5d) {
        if (--this.depth === 0) this.done = true
      }
      i++
    }
    if (this.keepLimitBytes > 0 && i > from) {
      this.keptBytes += i - from
      if (this.keptBytes > this.keepLimitBytes) {
        throw new SnapshotSyntaxError(r.base + i, `'${this.section}' is larger than ${this.keepLimitBytes} bytes; this does not look like a heap snapshot header`)
      }
      this.kept.push(Buffer.from(buf.subarray(from, i)))
    }
    r.pos = i
  }

  private start(r: ChunkReader, i: number, c: number): void {
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return
    this.started = true
    if (c === 0x7b || c === 0x5b) this.depth = 1
    else if (c === 0x22) this.inString = true
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) this.primitive = true
    else throw new SnapshotSyntaxError(r.base + i, `expected a value for '${this.section}' but found ${describeByte(c)}`)
  }
}
