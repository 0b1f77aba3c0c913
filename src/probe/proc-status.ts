/**
 * `/proc/<pid>/status`: the kernel's own memory figures for one process, in bytes.
 */
import { ProcFields } from './proc-fields.js'
import { readProcFile, releaseProcBuffer } from './proc-read.js'

/**
 * Parsed `/proc/<pid>/status`. Sizes are bytes (the file's `kB` are KiB). A field the kernel
 * did not print is `null`: a zombie or kernel thread has no `Vm*` lines at all.
 */
export interface ProcStatus {
  pid: number
  /** Parent PID (`PPid`). */
  ppid: number | null
  /** Command name (`Name`), at most 15 bytes. */
  name: string
  /** One-letter state (`State`): R, S, D, Z (zombie), T, X (dead), I, ... */
  state: string
  /** `VmRSS`: resident set size now. */
  rssBytes: number | null
  /** `VmHWM`: peak resident set size since start or the last {@link resetPeakRss}. */
  peakRssBytes: number | null
  /** `VmSwap`: anonymous memory swapped out. */
  swapBytes: number | null
  /** `VmSize`: virtual address space. */
  sizeBytes: number | null
  /** `VmPeak`: peak virtual address space. */
  peakSizeBytes: number | null
  /** `VmData`: data + heap + anonymous mappings (virtual). */
  dataBytes: number | null
  /** `RssAnon`, `RssFile`, `RssShmem`: the three parts of `VmRSS`. */
  rssAnonBytes: number | null
  rssFileBytes: number | null
  rssShmemBytes: number | null
  /** `Threads`: OS threads. */
  threads: number | null
}

/** Index of each key in {@link STATUS_KEYS}; shared with the samplers. */
export const S = {
  rss: 0,
  hwm: 1,
  swap: 2,
  threads: 3,
  size: 4,
  peak: 5,
  data: 6,
  anon: 7,
  file: 8,
  shmem: 9,
  ppid: 10,
  pid: 11,
} as const

/** Keys read from `status`, in the order of {@link S}. */
export const STATUS_KEYS = ['VmRSS', 'VmHWM', 'VmSwap', 'Threads', 'VmSize', 'VmPeak', 'VmData', 'RssAnon', 'RssFile', 'RssShmem', 'PPid', 'Pid']

/** Creates a reusable parser for the status keys (indexes in {@link S}). */
export function createStatusFields(): ProcFields {
  return new ProcFields(STATUS_KEYS)
}

/**
 * Parses the first `length` bytes of a `/proc/<pid>/status` file.
 * @returns `null` when the text has no `Pid:` line (not a status file).
 */
export function parseProcStatus(buf: Uint8Array, length: number = buf.length): ProcStatus | null {
  const f = createStatusFields().parse(buf, length)
  const pid = f.get(S.pid)
  if (pid === null) return null
  const text = Buffer.from(buf.buffer, buf.byteOffset, length).toString('utf8')
  return {
    pid,
    ppid: f.get(S.ppid),
    name: textField(text, 'Name'),
    state: textField(text, 'State').slice(0, 1),
    rssBytes: f.get(S.rss),
    peakRssBytes: f.get(S.hwm),
    swapBytes: f.get(S.swap),
    sizeBytes: f.get(S.size),
    peakSizeBytes: f.get(S.peak),
    dataBytes: f.get(S.data),
    rssAnonBytes: f.get(S.anon),
    rssFileBytes: f.get(S.file),
    rssShmemBytes: f.get(S.shmem),
    threads: f.get(S.threads),
  }
}

/** The text after `key:` up to the end of its line, trimmed; '' when the line is absent. */
function textField(text: string, key: string): string {
  const prefix = `${key}:`
  let start: number
  if (text.startsWith(prefix)) start = 0
  else {
    const at = text.indexOf(`\n${prefix}`)
    if (at < 0) return ''
    start = at + 1
  }
  const end = text.indexOf('\n', start)
  return text.slice(start + prefix.length, end < 0 ? text.length : end).trim()
}

/**
 * Reads and parses `/proc/<pid>/status`.
 * @param pid A PID, or `'self'` for this process.
 * @returns `null` when the process is gone or unreadable, and on platforms without procfs
 * (macOS, Windows), where none of these figures exist under these names.
 * @example (await readProcStatus('self'))?.peakRssBytes
 */
export async function readProcStatus(pid: number | 'self'): Promise<ProcStatus | null> {
  if (process.platform !== 'linux') return null
  const read = await readProcFile(`/proc/${pid}/status`)
  if (!read.ok) return null
  try {
    return parseProcStatus(read.buf, read.length)
  } finally {
    releaseProcBuffer(read.buf)
  }
}
