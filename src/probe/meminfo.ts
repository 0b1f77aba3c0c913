/**
 * `/proc/meminfo`: the whole machine's memory, what `free -h` prints. A watch records it next to
 * the watched processes, because a tree can look healthy while the host runs out of memory.
 */
import { ProcFields } from './proc-fields.js'
import { readProcFile, releaseProcBuffer } from './proc-read.js'

/** The machine's memory at one instant, in bytes; a figure the kernel did not print is null. */
export interface SystemMemory {
  /** Wall-clock time of the read, ms since the Unix epoch. */
  atMs: number
  /** `MemTotal`. */
  totalBytes: number | null
  /** `MemAvailable` (Linux ≥ 3.14): what can be allocated without swapping; `free`'s "available". */
  availableBytes: number | null
  /** `SwapTotal`. */
  swapTotalBytes: number | null
  /** `SwapTotal − SwapFree`: swap in use. */
  swapUsedBytes: number | null
}

const TOTAL = 0
const AVAILABLE = 1
const SWAP_TOTAL = 2
const SWAP_FREE = 3
const fields = new ProcFields(['MemTotal', 'MemAvailable', 'SwapTotal', 'SwapFree'])

/**
 * Parses the text of `/proc/meminfo` (its `kB` are KiB).
 * @example parseMeminfo(Buffer.from('MemTotal: 4 kB\nMemAvailable: 2 kB\n'), 0).availableBytes // 2048
 */
export function parseMeminfo(buf: Uint8Array, atMs: number, length: number = buf.length): SystemMemory {
  fields.parse(buf, length)
  const swapTotal = fields.get(SWAP_TOTAL)
  const swapFree = fields.get(SWAP_FREE)
  return {
    atMs,
    totalBytes: fields.get(TOTAL),
    availableBytes: fields.get(AVAILABLE),
    swapTotalBytes: swapTotal,
    swapUsedBytes: swapTotal === null || swapFree === null ? null : Math.max(0, swapTotal - swapFree),
  }
}

/**
 * Reads `/proc/meminfo`.
 * @returns null where there is no such file (not Linux, no procfs)
 * @example const mem = await readMeminfo(); mem?.availableBytes
 */
export async function readMeminfo(): Promise<SystemMemory | null> {
  if (process.platform !== 'linux') return null
  const atMs = Date.now()
  const read = await readProcFile('/proc/meminfo')
  if (!read.ok) return null
  try {
    return parseMeminfo(read.buf, atMs, read.length)
  } finally {
    releaseProcBuffer(read.buf)
  }
}
