/**
 * Streaming parser of `/proc/<pid>/smaps`: one record per mapping (VMA) with its address range,
 * permissions, path and the four figures memgate attributes (Rss, Pss, Anonymous, Swap). The text
 * of a big process runs to a few MB (about 1 KiB per mapping), so the parser takes it in chunks
 * of any size, scans bytes, and builds a string only for a path it has not just seen.
 */

/** Permission bits of a mapping, from its `rwxp`/`rwxs` column. */
export const PERM_READ = 1
export const PERM_WRITE = 2
export const PERM_EXEC = 4
/** `s` in the fourth column: a shared mapping (`p` is private, copy-on-write). */
export const PERM_SHARED = 8

/** One mapping of `/proc/<pid>/smaps`. Sizes in bytes (the kernel's `kB` is 1024 bytes). */
export interface SmapsMapping {
  /** First address of the mapping. Exact: user-space addresses stay below 2^53. */
  startAddr: number
  /** First address after the mapping; `endAddr - startAddr` is its mapped size. */
  endAddr: number
  /** {@link PERM_READ} | {@link PERM_WRITE} | {@link PERM_EXEC} | {@link PERM_SHARED}. */
  perms: number
  /**
   * The path column: a file (` (deleted)` suffix kept), a pseudo-path (`[heap]`, `[stack]`,
   * `[vdso]`, `[anon:name]`), or `''` for an anonymous mapping.
   */
  path: string
  /** Resident pages. */
  rssBytes: number
  /** Resident pages, each divided by the number of processes that map it. */
  pssBytes: number
  /** Pages that belong to no file: never-written zero pages excluded, copy-on-write copies included. */
  anonBytes: number
  /** Pages of this mapping in swap. */
  swapBytes: number
}

const NEWLINE = 0x0a
const SPACE = 0x20
const TAB = 0x09
const DASH = 0x2d
const ZERO = 0x30
const NINE = 0x39
const LOWER_A = 0x61
const LOWER_F = 0x66
const LOWER_R = 0x72
const LOWER_W = 0x77
const LOWER_X = 0x78
const LOWER_S = 0x73

// Keys with their colon, so that `Pss:` does not match `Pss_Dirty:` nor `Swap:` `SwapPss:`.
const RSS = bytesOf('Rss:')
const PSS = bytesOf('Pss:')
const ANONYMOUS = bytesOf('Anonymous:')
const SWAP = bytesOf('Swap:')

/** A long path (up to PATH_MAX) fits; grown on the rare longer line. */
const INITIAL_CARRY_BYTES = 4096

/**
 * Parses smaps text fed in chunks of any size (a line may straddle two chunks).
 *
 * @example
 * const parser = new SmapsParser()
 * for await (const chunk of stream) parser.write(chunk)
 * const mappings = parser.end()
 */
export class SmapsParser {
  private mappings: SmapsMapping[] = []
  private current: SmapsMapping | null = null
  /** The start of a line that the previous chunk cut off. */
  private carry: Buffer = Buffer.allocUnsafe(INITIAL_CARRY_BYTES)
  private carryLength = 0
  /** Bytes and string of the last path seen: a library's 4–5 consecutive mappings share one. */
  private lastPathBytes: Buffer = Buffer.alloc(0)
  private lastPath = ''

  /** Parses the first `length` bytes of `chunk`, which may end mid-line. */
  write(chunk: Uint8Array, length: number = chunk.length): void {
    let from = 0
    if (this.carryLength > 0) {
      const end = indexOfNewline(chunk, 0, length)
      this.appendCarry(chunk, 0, end)
      if (end === length) return // still no end of line
      this.parseLine(this.carry, 0, this.carryLength)
      this.carryLength = 0
      from = end + 1
    }
    while (from < length) {
      const eol = indexOfNewline(chunk, from, length)
      if (eol === length) {
        this.appendCarry(chunk, from, length)
        return
      }
      this.parseLine(chunk, from, eol)
      from = eol + 1
    }
  }

  /** Parses a last line without a newline and returns every mapping; the parser can then be reused. */
  end(): SmapsMapping[] {
    if (this.carryLength > 0) this.parseLine(this.carry, 0, this.carryLength)
    const { mappings } = this
    this.mappings = []
    this.current = null
    this.carryLength = 0
    return mappings
  }

  private appendCarry(chunk: Uint8Array, from: number, to: number): void {
    const needed = this.carryLength + (to - from)
    if (needed > this.carry.length) {
      const bigger = Buffer.allocUnsafe(Math.max(needed, this.carry.length * 2))
      this.carry.copy(bigger, 0, 0, this.carryLength)
      this.carry = bigger
    }
    this.carry.set(chunk.subarray(from, to), this.carryLength)
    this.carryLength = needed
  }

  /** One line, `buf[from, to)` without its newline. */
  private parseLine(buf: Uint8Array, from: number, to: number): void {
    if (to <= from) return
    const first = buf[from] as number
    // Header lines start with a lower-case hex address; field lines with an upper-case key.
    if ((first >= ZERO && first <= NINE) || (first >= LOWER_A && first <= LOWER_F)) {
      this.current = this.parseHeader(buf, from, to)
      if (this.current) this.mappings.push(this.current)
      return
    }
    const m = this.current
    if (m === null) return
    if (startsWith(buf, from, to, RSS)) m.rssBytes = parseKb(buf, from + RSS.length, to)
    else if (startsWith(buf, from, to, PSS)) m.pssBytes = parseKb(buf, from + PSS.length, to)
    else if (startsWith(buf, from, to, ANONYMOUS)) m.anonBytes = parseKb(buf, from + ANONYMOUS.length, to)
    else if (startsWith(buf, from, to, SWAP)) m.swapBytes = parseKb(buf, from + SWAP.length, to)
  }

  /** `start-end perms offset dev inode   path`; `null` for a line that is not one. */
  private parseHeader(buf: Uint8Array, from: number, to: number): SmapsMapping | null {
    let p = from
    let startAddr = 0
    for (; p < to && buf[p] !== DASH; p++) startAddr = startAddr * 16 + hexDigit(buf[p] as number)
    let endAddr = 0
    for (p++; p < to && buf[p] !== SPACE; p++) endAddr = endAddr * 16 + hexDigit(buf[p] as number)
    p++
    if (p + 4 > to || !(endAddr >= startAddr)) return null
    let perms = 0
    if (buf[p] === LOWER_R) perms |= PERM_READ
    if (buf[p + 1] === LOWER_W) perms |= PERM_WRITE
    if (buf[p + 2] === LOWER_X) perms |= PERM_EXEC
    if (buf[p + 3] === LOWER_S) perms |= PERM_SHARED
    p += 4
    // Skip offset, dev and inode: three space-separated fields.
    for (let field = 0; field < 3; field++) {
      while (p < to && buf[p] === SPACE) p++
      while (p < to && buf[p] !== SPACE) p++
    }
    while (p < to && (buf[p] === SPACE || buf[p] === TAB)) p++
    return { startAddr, endAddr, perms, path: this.pathOf(buf, p, to), rssBytes: 0, pssBytes: 0, anonBytes: 0, swapBytes: 0 }
  }

  private pathOf(buf: Uint8Array, from: number, to: number): string {
    if (from >= to) return ''
    const last = this.lastPathBytes
    if (to - from === last.length) {
      let same = true
      for (let i = 0; i < last.length; i++) {
        if (buf[from + i] !== last[i]) {
          same = false
          break
        }
      }
      if (same) return this.lastPath
    }
    this.lastPathBytes = Buffer.from(buf.subarray(from, to))
    this.lastPath = this.lastPathBytes.toString('utf8')
    return this.lastPath
  }
}

/**
 * Parses a whole smaps text.
 * @example parseSmaps(readFileSync('/proc/self/smaps')).length // number of mappings
 */
export function parseSmaps(text: string | Uint8Array): SmapsMapping[] {
  const parser = new SmapsParser()
  parser.write(typeof text === 'string' ? Buffer.from(text, 'utf8') : text)
  return parser.end()
}

/** Index of the next newline in `buf[from, to)`, or `to` (never past `to`, unlike `indexOf`). */
function indexOfNewline(buf: Uint8Array, from: number, to: number): number {
  let i = from
  while (i < to && buf[i] !== NEWLINE) i++
  return i
}

function bytesOf(key: string): Uint8Array {
  return Uint8Array.from(Buffer.from(key, 'latin1'))
}

function startsWith(buf: Uint8Array, from: number, to: number, key: Uint8Array): boolean {
  if (from + key.length > to) return false
  for (let i = 0; i < key.length; i++) if (buf[from + i] !== key[i]) return false
  return true
}

function hexDigit(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO
  if (c >= LOWER_A && c <= LOWER_F) return c - LOWER_A + 10
  return Number.NaN // a malformed address makes the header fail the range check
}

/** `   123 kB` → bytes; 0 when there are no digits. */
function parseKb(buf: Uint8Array, from: number, to: number): number {
  let p = from
  while (p < to && (buf[p] === SPACE || buf[p] === TAB)) p++
  let value = 0
  for (; p < to; p++) {
    const c = buf[p] as number
    if (c < ZERO || c > NINE) break
    value = value * 10 + (c - ZERO)
  }
  return value * 1024
}
