/**
 * Parser for `/proc/<pid>/stat` (proc(5)). The second field is the command name in parentheses,
 * and the name itself may hold spaces and `)` (a process may call itself `a) b (c`), so fields
 * are counted from the LAST `)` in the line, never by splitting the whole line on spaces.
 */
import { indexOfByte } from './proc-fields.js'

const OPEN_PAREN = 0x28
const CLOSE_PAREN = 0x29
const SPACE = 0x20
const NEWLINE = 0x0a

/** The fields of `/proc/<pid>/stat` that memgate uses. CPU times are in clock ticks. */
export interface ProcStat {
  pid: number
  /** Command name (at most 15 bytes in the kernel), without the parentheses. */
  comm: string
  /** One-letter state: R, S, D, Z (zombie), T, t, X (dead), I, ... */
  state: string
  ppid: number
  /** User-mode CPU time, in clock ticks (see {@link ticksToMs}). */
  utimeTicks: number
  /** Kernel-mode CPU time, in clock ticks. */
  stimeTicks: number
  threads: number
  /** Start time after system boot, in clock ticks: with `pid` it tells a reused PID apart. */
  startTimeTicks: number
  /** Virtual memory size, in bytes. */
  vsizeBytes: number
  /** Resident set size, in pages (kept raw: the page size is not read here). */
  rssPages: number
}

// 1-based field numbers from proc(5); field 3 (state) is the first after ") ".
const F_PPID = 4
const F_UTIME = 14
const F_STIME = 15
const F_THREADS = 20
const F_STARTTIME = 22
const F_VSIZE = 23
const F_RSS = 24

/**
 * Parses the first `length` bytes of a `/proc/<pid>/stat` file.
 * @returns `null` when the text is not a stat line (no `(`…`)`, or fewer than 24 fields).
 * @example parseProcStat(Buffer.from('42 (my )proc) S 1 ...')).comm // 'my )proc'
 */
export function parseProcStat(buf: Uint8Array, length: number = buf.length): ProcStat | null {
  const open = indexOfByte(buf, length, OPEN_PAREN, 0)
  let close = -1
  for (let i = length - 1; i > open; i--) {
    if (buf[i] === CLOSE_PAREN) {
      close = i
      break
    }
  }
  if (open < 0 || close < 0) return null
  const pid = parseDecimal(buf, 0, open - 1)
  const comm = Buffer.from(buf.buffer, buf.byteOffset + open + 1, close - open - 1).toString('utf8')
  // Walk the space-separated fields after ") ": field 3 starts at close + 2.
  const fields = new Float64Array(F_RSS + 1)
  let state = ''
  let field = 3
  let start = close + 2
  while (start < length && field <= F_RSS) {
    let end = start
    while (end < length && buf[end] !== SPACE && buf[end] !== NEWLINE) end++
    if (field === 3) state = String.fromCharCode(buf[start] as number)
    else fields[field] = parseDecimal(buf, start, end)
    field++
    start = end + 1
  }
  if (field <= F_RSS || Number.isNaN(pid)) return null
  return {
    pid,
    comm,
    state,
    ppid: fields[F_PPID] as number,
    utimeTicks: fields[F_UTIME] as number,
    stimeTicks: fields[F_STIME] as number,
    threads: fields[F_THREADS] as number,
    startTimeTicks: fields[F_STARTTIME] as number,
    vsizeBytes: fields[F_VSIZE] as number,
    rssPages: fields[F_RSS] as number,
  }
}

/** Parses a (possibly negative) decimal in `buf[start, end)`; `NaN` when it is not one. */
function parseDecimal(buf: Uint8Array, start: number, end: number): number {
  let p = start
  let sign = 1
  if (buf[p] === 0x2d) {
    sign = -1
    p++
  }
  if (p >= end) return Number.NaN
  let value = 0
  for (; p < end; p++) {
    const d = (buf[p] as number) - 0x30
    if (d < 0 || d > 9) return Number.NaN
    value = value * 10 + d
  }
  return sign * value
}

/**
 * Converts CPU clock ticks to milliseconds.
 * @param ticksPerSecond The kernel's `USER_HZ` (`getconf CLK_TCK`), normally 100.
 */
export function ticksToMs(ticks: number, ticksPerSecond: number): number {
  return (ticks * 1000) / ticksPerSecond
}
