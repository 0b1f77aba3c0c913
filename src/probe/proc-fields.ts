/**
 * Allocation-free parser for the `Key:   value [kB]` line format shared by `/proc/<pid>/status`
 * and `/proc/<pid>/smaps_rollup`. It scans raw bytes so a sampler running every 10 ms does not
 * build a string per file read (STYLE.md: probes must be light).
 */

const NEWLINE = 0x0a
const SPACE = 0x20
const TAB = 0x09
const ZERO = 0x30
const NINE = 0x39
const LOWER_K = 0x6b
const UPPER_B = 0x42

/**
 * A fixed set of keys parsed out of a `Key: value` file into a reused `Float64Array`.
 * Values followed by `kB` are converted to bytes (the kernel's `kB` is 1024 bytes);
 * unit-less values (`Threads`, `PPid`) are kept as they are. A key absent from the input, or
 * one whose value is not a decimal number, reads as `NaN` in {@link values} and `null` from
 * {@link get}.
 *
 * @example
 * const f = new ProcFields(['VmRSS', 'Threads'])
 * f.parse(Buffer.from('VmRSS:\t  2048 kB\nThreads:\t4\n'))
 * f.get(0) // 2097152
 */
export class ProcFields {
  /** Parsed values by key index, `NaN` where missing. Overwritten by every {@link parse}. */
  readonly values: Float64Array
  private readonly keys: Uint8Array[]

  /** @param names Keys without the trailing colon, e.g. `'VmRSS'`. Order gives the index. */
  constructor(readonly names: readonly string[]) {
    // The colon is part of the key so that `Pss` does not match `Pss_Dirty:`.
    this.keys = names.map((name) => Uint8Array.from(Buffer.from(`${name}:`, 'latin1')))
    this.values = new Float64Array(names.length).fill(Number.NaN)
  }

  /**
   * Parses the first `length` bytes of `buf` (the rest may be stale data from an earlier read).
   * @param length Bytes of `buf` that hold the file. @default buf.length
   */
  parse(buf: Uint8Array, length: number = buf.length): this {
    const { values, keys } = this
    values.fill(Number.NaN)
    let lineStart = 0
    while (lineStart < length) {
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as Uint8Array
        if (startsWithAt(buf, length, lineStart, key)) {
          values[k] = parseValue(buf, length, lineStart + key.length)
          break
        }
      }
      const eol = indexOfByte(buf, length, NEWLINE, lineStart)
      if (eol < 0) break
      lineStart = eol + 1
    }
    return this
  }

  /** The value of key `index` from the last {@link parse}, or `null` where it was missing. */
  get(index: number): number | null {
    const v = this.values[index]
    return v === undefined || Number.isNaN(v) ? null : v
  }
}

function startsWithAt(buf: Uint8Array, length: number, at: number, key: Uint8Array): boolean {
  if (at + key.length > length) return false
  for (let i = 0; i < key.length; i++) if (buf[at + i] !== key[i]) return false
  return true
}

/** Index of `byte` in `buf[from, length)`, or -1. */
export function indexOfByte(buf: Uint8Array, length: number, byte: number, from: number): number {
  for (let i = from; i < length; i++) if (buf[i] === byte) return i
  return -1
}

/** Parses `   123 kB` (or `123`) starting at `at`; `NaN` when there are no digits. */
function parseValue(buf: Uint8Array, length: number, at: number): number {
  let p = at
  while (p < length && (buf[p] === SPACE || buf[p] === TAB)) p++
  const digitsStart = p
  let value = 0
  while (p < length) {
    const c = buf[p] as number
    if (c < ZERO || c > NINE) break
    value = value * 10 + (c - ZERO)
    p++
  }
  if (p === digitsStart) return Number.NaN
  while (p < length && buf[p] === SPACE) p++
  if (p + 1 < length && buf[p] === LOWER_K && buf[p + 1] === UPPER_B) value *= 1024
  return value
}
