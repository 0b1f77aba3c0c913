/**
 * The snapshot's `strings` table, kept as UTF-8 bytes in a few large buffers plus one 32-bit
 * start offset per string, instead of millions of JS strings (each with a 16–24 byte header on
 * the V8 heap). Strings are decoded only when asked for, which in practice means the few hundred
 * class names and edge names a report prints.
 */
import { KiB, MiB } from '../common/units.js'

/** Read-only access to the decoded strings of a snapshot. */
export class StringStore {
  /** Cache of the chunk used by the last lookup; lookups tend to be local. */
  private lastChunk = 0

  /**
   * @param chunks UTF-8 bytes; each string lies wholly in one chunk.
   * @param chunkFirst index of the first string of each chunk, ascending, `chunkFirst[0] === 0`.
   * @param starts byte offset of each string within its chunk.
   */
  constructor(
    private readonly chunks: readonly Buffer[],
    private readonly chunkFirst: readonly number[],
    private readonly starts: Uint32Array,
  ) {}

  /** Number of strings. */
  get length(): number {
    return this.starts.length
  }

  /** Bytes held by the store (UTF-8 text plus offsets). */
  get sizeBytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0) + this.starts.byteLength
  }

  /** String `i`, or `undefined` when out of range. */
  get(i: number): string | undefined {
    if (!(i >= 0 && i < this.starts.length)) return undefined
    const k = this.chunkOf(i)
    const chunk = this.chunks[k]!
    const next = this.chunkFirst[k + 1] ?? this.starts.length
    const end = i + 1 < next ? this.starts[i + 1]! : chunk.length
    return chunk.toString('utf8', this.starts[i]!, end)
  }

  private chunkOf(i: number): number {
    const first = this.chunkFirst
    const k = this.lastChunk
    if (first[k]! <= i && (k + 1 >= first.length || i < first[k + 1]!)) return k
    let lo = 0
    let hi = first.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (first[mid]! <= i) lo = mid
      else hi = mid - 1
    }
    this.lastChunk = lo
    return lo
  }
}

/** Smallest and largest chunk allocation: small snapshots stay small, big ones allocate rarely. */
const MIN_CHUNK_BYTES = 64 * KiB
const MAX_CHUNK_BYTES = 16 * MiB

/** Appends strings byte by byte (as a scanner decodes them) and builds a {@link StringStore}. */
export class StringStoreBuilder {
  private readonly chunks: Buffer[] = []
  private readonly chunkFirst: number[] = [0]
  private cur: Buffer = Buffer.allocUnsafe(MIN_CHUNK_BYTES)
  private pos = 0
  private strStart = 0
  private starts: Uint32Array
  private count = 0

  /**
   * @param expectedCount starts the offset table at this size (e.g. from a previous pass); it grows as needed.
   */
  constructor(expectedCount = 4096) {
    this.starts = new Uint32Array(Math.max(16, expectedCount))
  }

  /** Number of completed strings. */
  get length(): number {
    return this.count
  }

  /** Starts a new string. */
  begin(): void {
    this.strStart = this.pos
  }

  /** Appends `src[start..end)` to the current string. */
  append(src: Buffer, start: number, end: number): void {
    const n = end - start
    if (this.pos + n > this.cur.length) this.spill(n)
    const cur = this.cur
    if (n < 24) {
      // A call into Buffer#copy costs more than copying a short run by hand.
      let p = this.pos
      for (let i = start; i < end; i++) cur[p++] = src[i]!
      this.pos = p
    } else {
      src.copy(cur, this.pos, start, end)
      this.pos += n
    }
  }

  /** Appends one byte to the current string. */
  appendByte(b: number): void {
    if (this.pos + 1 > this.cur.length) this.spill(1)
    this.cur[this.pos++] = b
  }

  /** Ends the current string. */
  end(): void {
    if (this.count === this.starts.length) {
      const grown = new Uint32Array(Math.ceil(this.starts.length * 1.5))
      grown.set(this.starts)
      this.starts = grown
    }
    this.starts[this.count++] = this.strStart
  }

  /** Finishes the store; the builder must not be used afterwards. */
  build(): StringStore {
    // Copy the last chunk to its used size so the unused tail is freed.
    this.chunks.push(Buffer.from(this.cur.subarray(0, this.pos)))
    this.cur = Buffer.alloc(0)
    return new StringStore(this.chunks, this.chunkFirst, this.starts.slice(0, this.count))
  }

  /** Moves the string in progress to a fresh chunk with room for `need` more bytes. */
  private spill(need: number): void {
    const partial = this.pos - this.strStart
    const size = Math.max(Math.min(MAX_CHUNK_BYTES, this.cur.length * 2), (partial + need) * 2)
    const next = Buffer.allocUnsafe(size)
    this.cur.copy(next, 0, this.strStart, this.pos)
    // Keep the old chunk only if it holds completed strings (it may hold just this one's prefix).
    if (this.count > this.chunkFirst[this.chunkFirst.length - 1]!) {
      this.chunks.push(this.cur.subarray(0, this.strStart))
      this.chunkFirst.push(this.count)
    }
    this.cur = next
    this.pos = partial
    this.strStart = 0
  }
}
