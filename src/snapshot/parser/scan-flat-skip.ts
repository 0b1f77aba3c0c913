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

  /** Consumes bytes up to and including the closing `]` (call after the opening `[`). */
  scan(r: ChunkReader): void {
    const k = r.buf.subarray(r.pos, r.end).indexOf(0x5d)
    if (k < 0) {
      r.pos = r.end
      return
    }
    r.pos += k + 1
    this.done = true
  }
}
