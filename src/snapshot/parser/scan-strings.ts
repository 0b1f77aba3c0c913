/**
 * Scans the JSON array of strings into a {@link StringStoreBuilder} as UTF-8. Runs of plain bytes
 * (the common case: no escapes) are copied as they are; escapes are decoded, `\uXXXX` pairs of
 * surrogates are joined into one code point, and a lone surrogate (which UTF-8 cannot hold)
 * becomes U+FFFD, as V8 itself does when it converts such a string to UTF-8.
 */
import type { StringStoreBuilder } from '../string-store.js'
import { describeByte, SnapshotSyntaxError, type ChunkReader } from './chunk-reader.js'

const START = 0
const AFTER = 1
const NEXT = 2
const IN_STRING = 3
const ESCAPE = 4
const UNICODE = 5

const NO_SURROGATE = -1

/** Streams the strings array into a string store; resumable across chunks. */
export class StringArrayScanner {
  /** True once the closing `]` has been consumed. */
  done = false
  private state = START
  private hex = 0
  private hexDigits = 0
  private pendingHigh = NO_SURROGATE

  constructor(
    private readonly out: StringStoreBuilder,
    private readonly section = 'strings',
  ) {}

  /** Consumes `r.buf[r.pos..r.end)`, or up to and including the closing `]`. */
  scan(r: ChunkReader): void {
    const buf = r.buf
    const end = r.end
    const out = this.out
    let i = r.pos
    while (i < end) {
      const state = this.state
      if (state === IN_STRING) {
        const run = i
        let c = 0
        while (i < end) {
          c = buf[i]!
          if (c === 0x22 || c === 0x5c || c < 0x20) break
          i++
        }
        if (i > run) {
          this.flushSurrogate()
          out.append(buf, run, i)
        }
        if (i === end) break
        if (c === 0x22) {
          this.flushSurrogate()
          out.end()
          this.state = AFTER
        } else if (c === 0x5c) {
          this.state = ESCAPE
        } else {
          throw this.error(r, i, `raw control character ${describeByte(c)} inside a string (JSON requires it escaped)`)
        }
        i++
        continue
      }
      const c = buf[i]!
      if (state === ESCAPE) {
        this.escape(r, i, c)
      } else if (state === UNICODE) {
        this.hexDigit(r, i, c)
      } else if (c === 0x22) {
        if (state === AFTER) throw this.error(r, i, `expected ',' or ']' between strings but found '"'`)
        out.begin()
        this.state = IN_STRING
      } else if (c === 0x2c) {
        if (state !== AFTER) throw this.error(r, i, `unexpected ','`)
        this.state = NEXT
      } else if (c === 0x5d) {
        if (state === NEXT) throw this.error(r, i, `unexpected ']' after ','`)
        this.done = true
        i++
        break
      } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        throw this.error(r, i, `expected a string but found ${describeByte(c)}`)
      }
      i++
    }
    r.pos = i
  }

  /** True while inside an unfinished string (for end-of-file messages). */
  get inString(): boolean {
    return this.state >= IN_STRING
  }

  private escape(r: ChunkReader, i: number, c: number): void {
    let b: number
    switch (c) {
      case 0x22: // "
      case 0x5c: // \
      case 0x2f: // /
        b = c
        break
      case 0x62: // b
        b = 0x08
        break
      case 0x66: // f
        b = 0x0c
        break
      case 0x6e: // n
        b = 0x0a
        break
      case 0x72: // r
        b = 0x0d
        break
      case 0x74: // t
        b = 0x09
        break
      case 0x75: // u
        this.state = UNICODE
        this.hex = 0
        this.hexDigits = 0
        return
      default:
        throw this.error(r, i, `invalid escape '\\${String.fromCharCode(c)}'`)
    }
    this.flushSurrogate()
    this.out.appendByte(b)
    this.state = IN_STRING
  }

  private hexDigit(r: ChunkReader, i: number, c: number): void {
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1
    if (d < 0) throw this.error(r, i, `expected a hex digit in a \\u escape but found ${describeByte(c)}`)
    this.hex = this.hex * 16 + d
    if (++this.hexDigits < 4) return
    this.state = IN_STRING
    this.codeUnit(this.hex)
  }

  private codeUnit(u: number): void {
    if (u >= 0xdc00 && u <= 0xdfff && this.pendingHigh !== NO_SURROGATE) {
      const cp = 0x10000 + ((this.pendingHigh - 0xd800) << 10) + (u - 0xdc00)
      this.pendingHigh = NO_SURROGATE
      this.codePoint(cp)
      return
    }
    this.flushSurrogate()
    if (u >= 0xd800 && u <= 0xdbff) this.pendingHigh = u
    else if (u >= 0xdc00 && u <= 0xdfff) this.codePoint(0xfffd)
    else this.codePoint(u)
  }

  /** A high surrogate not followed by a low one cannot be encoded: write U+FFFD for it. */
  private flushSurrogate(): void {
    if (this.pendingHigh === NO_SURROGATE) return
    this.pendingHigh = NO_SURROGATE
    this.codePoint(0xfffd)
  }

  private codePoint(cp: number): void {
    const out = this.out
    if (cp < 0x80) {
      out.appendByte(cp)
    } else if (cp < 0x800) {
      out.appendByte(0xc0 | (cp >> 6))
      out.appendByte(0x80 | (cp & 0x3f))
    } else if (cp < 0x10000) {
      out.appendByte(0xe0 | (cp >> 12))
      out.appendByte(0x80 | ((cp >> 6) & 0x3f))
      out.appendByte(0x80 | (cp & 0x3f))
    } else {
      out.appendByte(0xf0 | (cp >> 18))
      out.appendByte(0x80 | ((cp >> 12) & 0x3f))
      out.appendByte(0x80 | ((cp >> 6) & 0x3f))
      out.appendByte(0x80 | (cp & 0x3f))
    }
  }

  private error(r: ChunkReader, i: number, what: string): SnapshotSyntaxError {
    return new SnapshotSyntaxError(r.base + i, `in '${this.section}': ${what}`)
  }
}
