/**
 * Skips the rest of a flat JSON array (numbers only, no strings or nesting, as `edges`,
 * `locations`, `samples` and `trace_function_infos` are) by searching for its `]` with
 * Buffer#indexOf, which runs at memchr speed instead of a JS loop per byte.
 */
import type { ChunkReader } from './chunk-reader.js'

/** Skips one flat array; see the module comment. */
export class FlatArraySkipper {
  /** True once the closing `]` has been consumed. */
  done = false
  /** Commas seen, when counting. */
  private commas = 0
  /** True once a byte other than whitespace was seen inside the array, when counting. */
  private nonEmpty = false

  /** @param counting also count the array's values (a loop per comma: for files whose header lacks the count). */
  constructor(private readonly counting = false) {}

  /** Values in the array (only when counting): commas + 1, or 0 for `[]`. */
  get count(): number {
    return this.nonEmpty ? this.commas + 1 : 0
  }

  /** Consumes bytes up to and including the closing `]` (call after the opening `[`). */
  scan(r: ChunkReader): void {
    const k = r.buf.subarray(r.pos, r.end).indexOf(0x5d)
    const end = k < 0 ? r.end : r.pos + k
    if (this.counting) this.countIn(r.buf, r.pos, end)
    if (k < 0) {
      r.pos = r.end
      return
    }
    r.pos += k + 1
    this.done = true
  }

  private countIn(buf: Buffer, from: number, to: number): void {
    if (!this.nonEmpty) {
      for (let i = from; i < to; i++) {
        const c = buf[i]!
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          this.nonEmpty = true
          break
        }
      }
    }
    for (let i = buf.indexOf(0x2c, from); i >= 0 && i < to; i = buf.indexOf(0x2c, i + 1)) this.commas++
  }
}
