/**
 * Scans a JSON array of non-negative integers (`nodes`, `edges`) straight from file bytes into
 * an {@link IntegerSink}, a row at a time, with no string or number objects in between. The state
 * survives chunk boundaries, so a number split across two reads is assembled correctly.
 */
import { describeByte, SnapshotSyntaxError, type ChunkReader } from './chunk-reader.js'
import type { IntegerSink } from './column-sinks.js'

/** After `[`: a value or `]`. */
const START = 0
/** Inside a number's digits. */
const NUMBER = 1
/** After a value: `,` or `]`. */
const AFTER = 2
/** After `,`: a value. */
const NEXT = 3

/** Values above this lose precision as doubles; no snapshot field comes near it. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER

/** Streams one integer array into a sink; resumable across chunks. */
export class IntegerArrayScanner {
  /** True once the closing `]` has been consumed. */
  done = false
  private state = START
  private value = 0
  /** Field of the current row the next value goes to. */
  private field = 0
  /** File offset where the current number started, for errors about its value. */
  private numberOffset = 0
  /** File offset where the current row started, for errors about its values. */
  private rowOffset = 0
  /** Set when the sink rejected a row. */
  private rejected = false

  /**
   * @param sink receives every row in order.
   * @param section the array's name, for error messages (e.g. `'nodes'`).
   */
  constructor(
    private readonly sink: IntegerSink,
    private readonly section: string,
  ) {}

  /**
   * Consumes `r.buf[r.pos..r.end)`, or up to and including the closing `]`.
   * Call after the opening `[` has been consumed; refill the reader while `done` is false.
   *
   * The byte loop ({@link scanRun}) handles only what fills the array (digits, commas, spaces)
   * and returns on anything else; the rare cases (the closing bracket, a number cut by the chunk
   * boundary, errors) are handled here. Code that never ran has no type feedback, and reaching
   * it in optimised code throws V8 back to the interpreter mid-loop; keeping it out of the loop
   * avoids those deoptimisations, which cost a third of a cold parse.
   */
  scan(r: ChunkReader): void {
    for (;;) {
      if (this.state === NUMBER && r.pos < r.end && !isDigit(r.buf[r.pos]!)) this.endNumber()
      this.scanRun(r)
      if (this.rejected) throw new SnapshotSyntaxError(this.rowOffset, `in '${this.section}': ${this.sink.rejection()}`)
      if (r.pos >= r.end) return
      if (this.state === NUMBER) continue
      const c = r.buf[r.pos]!
      if (c === 0x5d) {
        if (this.state === NEXT) throw this.error(r, `unexpected ']' after ','`)
        this.done = true
        this.sink.partial = this.field
        r.pos++
        return
      }
      if (isDigit(c)) throw this.error(r, `expected ',' or ']' between numbers but found ${describeByte(c)}`)
      if (c === 0x2c) throw this.error(r, `unexpected ','`)
      throw this.error(r, `expected a non-negative integer but found ${describeByte(c)}`)
    }
  }

  /** The hot loop: digits, commas and whitespace; stops at the chunk's end or any other byte. */
  private scanRun(r: ChunkReader): void {
    const buf = r.buf
    const end = r.end
    const sink = this.sink
    const row = sink.row
    const fieldCount = row.length
    let i = r.pos
    let state = this.state
    let value = this.value
    let field = this.field
    while (i < end) {
      let c = buf[i]!
      if (c >= 0x30 && c <= 0x39) {
        if (state === AFTER) break
        if (state !== NUMBER) {
          value = 0
          this.numberOffset = r.base + i
          if (field === 0) this.rowOffset = this.numberOffset
        }
        do {
          value = value * 10 + (c - 0x30)
          c = ++i < end ? buf[i]! : 0
        } while (c >= 0x30 && c <= 0x39)
        // Cut by the chunk's end, or too large: the caller finishes (or rejects) the number.
        if (i === end || value > MAX_EXACT) {
          state = NUMBER
          break
        }
        row[field] = value
        if (++field === fieldCount) {
          if (!sink.pushRow()) {
            this.rejected = true
            break
          }
          field = 0
        }
        state = AFTER
      }
      if (c === 0x2c && state === AFTER) state = NEXT
      else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
      i++
    }
    r.pos = i
    this.state = state
    this.value = value
    this.field = field
  }

  /** Completes a number whose digits ended at a chunk boundary (or rejects a too-large one). */
  private endNumber(): void {
    if (this.value > MAX_EXACT) throw new SnapshotSyntaxError(this.numberOffset, `in '${this.section}': number ${this.value} is too large`)
    this.sink.row[this.field] = this.value
    if (++this.field === this.sink.row.length) {
      if (!this.sink.pushRow()) throw new SnapshotSyntaxError(this.rowOffset, `in '${this.section}': ${this.sink.rejection()}`)
      this.field = 0
    }
    this.state = AFTER
  }

  private error(r: ChunkReader, what: string): SnapshotSyntaxError {
    return new SnapshotSyntaxError(r.base + r.pos, `in '${this.section}': ${what}`)
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}
