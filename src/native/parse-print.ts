/**
 * Parses the text `heaptrack_print` writes (heaptrack 1.x) into backtraces with their figures.
 * Reads both layouts: one entry per backtrace (`--merge-backtraces=0`, what memgate asks for) and
 * the default merged one (an allocation location, then up to `--sub-peak-limit` backtraces below it,
 * then "and X from N other places"). Only the peak and leak sections are kept; the others are skipped.
 *
 * Sizes: heaptrack_print prints 1000-based units with two decimals (`67.11M` = 67,110,000), so a
 * parsed size is within 0.5% of the exact byte count (exact below 1000 bytes).
 */
import { InputError } from '../common/errors.js'

/** One frame of a backtrace, as heaptrack_print names it. */
export interface HeaptrackFrame {
  /** Demangled function name (templates shortened to `<>`), or null where heaptrack had no symbol. */
  function: string | null
  /** The instruction address printed instead of a name (`0x7f74a28f276b`), else null. */
  address: string | null
  /** Source file and line when the binary has debug info, else null. */
  file: string | null
  line: number | null
  /** Path of the shared object or executable (`in …`); null for `in ??`. An inlined frame has its caller's. */
  module: string | null
  /** True for a frame heaptrack listed as inlined into the one before it (it has no `in` line of its own). */
  inlined: boolean
}

/** One backtrace (or, in merged output, the unlisted rest of a location) with its figure. */
export interface HeaptrackTrace {
  /** Peak section: bytes this backtrace held at the moment of the process's heap peak. Leak section: bytes allocated and never freed before exit. */
  bytes: number
  /** Calls to allocation functions from this backtrace over the whole run. */
  allocations: number
  /** Innermost first: `frames[0]` called malloc/new/…; heaptrack stops at `main` or `_start`. */
  frames: HeaptrackFrame[]
  /** Merged output only: the "and X from N other places" rest of a location; `frames` is only the location. */
  rest?: { places: number }
}

/** heaptrack_print's closing summary. A line missing from the text is null. */
export interface HeaptrackSummary {
  runtimeMs: number | null
  /** Calls to allocation functions (exact). */
  allocations: number | null
  temporaryAllocations: number | null
  /** Peak of the bytes allocated and not yet freed (heap, not RSS). */
  peakBytes: number | null
  /** Peak RSS of the traced process, including heaptrack's own overhead. */
  peakRssBytes: number | null
  /** Bytes allocated and not freed at exit, after suppressions. */
  leakedBytes: number | null
  /** Leaked bytes hidden by heaptrack's built-in or embedded suppressions. */
  suppressedLeakedBytes: number | null
}

/** Everything memgate reads from one heaptrack_print output. */
export interface HeaptrackPrintOutput {
  /** `Debuggee command was: …`, null if absent. */
  command: string | null
  /** Whether the output used the merged layout. */
  merged: boolean
  /** PEAK MEMORY CONSUMERS, biggest first. */
  peaks: HeaptrackTrace[]
  /** MEMORY LEAKS, biggest first. */
  leaks: HeaptrackTrace[]
  summary: HeaptrackSummary
  /** Lines inside the peak and leak sections the parser did not recognise (0 on heaptrack 1.4's output). */
  unrecognizedLines: number
}

const UNIT: Record<string, number> = { B: 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 }
const SIZE = String.raw`(-?\d+(?:\.\d+)?)([BKMGTP])`

/**
 * Parses one of heaptrack_print's sizes (`805B`, `67.11M`, `-1.20K` in diff output) to bytes.
 * @example parseHeaptrackSize('67.11M') // 67_110_000
 */
export function parseHeaptrackSize(text: string): number | null {
  const m = new RegExp(`^${SIZE}$`).exec(text.trim())
  if (!m) return null
  return Math.round(Number(m[1]) * (UNIT[m[2] as string] as number))
}

const TOP_LABEL = new RegExp(`^${SIZE} (peak memory consumed|leaked) over (\\d+) calls from$`)
const SUB_LABEL = new RegExp(`^${SIZE} (consumed|leaked) over (\\d+) calls from:$`)
const REST = new RegExp(`^and ${SIZE} from (\\d+) other places$`)
const SECTIONS: Record<string, 'peaks' | 'leaks' | 'skip'> = {
  'PEAK MEMORY CONSUMERS': 'peaks',
  'MEMORY LEAKS': 'leaks',
  'MOST CALLS TO ALLOCATION FUNCTIONS': 'skip',
  'MOST TEMPORARY ALLOCATIONS': 'skip',
}

interface Line {
  indent: number
  text: string
}

/** Reads a run of frame lines at `indent` (names at `indent`, `at`/`in` at `indent + 2`) starting at `lines[i]`. */
function readFrames(lines: readonly Line[], i: number, indent: number): { frames: HeaptrackFrame[]; next: number } {
  const frames: HeaptrackFrame[] = []
  let current: HeaptrackFrame | null = null
  let sawModule = false
  const close = () => {
    if (current && !sawModule) {
      // No `in` line: inlined into the physical frame printed before it.
      current.inlined = frames.length > 1
      current.module = frames.length > 1 ? (frames[frames.length - 2]?.module ?? null) : null
    }
  }
  for (; i < lines.length; i++) {
    const line = lines[i] as Line
    if (line.text === '') break
    if (line.indent === indent + 2 && current && (line.text.startsWith('at ') || line.text.startsWith('in '))) {
      if (line.text.startsWith('in ')) {
        const module = line.text.slice(3)
        current.module = module === '??' ? null : module
        sawModule = true
      } else {
        const where = line.text.slice(3)
        const colon = where.lastIndexOf(':')
        const lineNo = colon > 0 ? Number(where.slice(colon + 1)) : NaN
        current.file = Number.isInteger(lineNo) ? where.slice(0, colon) : where
        current.line = Number.isInteger(lineNo) ? lineNo : null
      }
      continue
    }
    if (line.indent !== indent || TOP_LABEL.test(line.text) || SUB_LABEL.test(line.text) || REST.test(line.text)) break
    close()
    const isAddress = /^0x[0-9a-f]+$/i.test(line.text)
    const unknown = line.text === '??'
    current = { function: isAddress || unknown ? null : line.text, address: isAddress ? line.text : null, file: null, line: null, module: null, inlined: false }
    sawModule = false
    frames.push(current)
  }
  close()
  return { frames, next: i }
}

/**
 * Parses heaptrack_print's standard output.
 * @param text everything heaptrack_print wrote to stdout
 * @param source the file it came from, for messages
 * @throws InputError `INPUT_UNSUPPORTED_FORMAT` when the text has neither a peak/leak section nor a summary.
 */
export function parseHeaptrackPrint(text: string, source = 'heaptrack_print output'): HeaptrackPrintOutput {
  const lines: Line[] = text.split('\n').map((raw) => {
    const t = raw.replace(/\r$/, '')
    const trimmed = t.trimStart()
    return { indent: t.length - trimmed.length, text: trimmed.trimEnd() }
  })
  const out: HeaptrackPrintOutput = {
    command: null,
    merged: false,
    peaks: [],
    leaks: [],
    summary: { runtimeMs: null, allocations: null, temporaryAllocations: null, peakBytes: null, peakRssBytes: null, leakedBytes: null, suppressedLeakedBytes: null },
    unrecognizedLines: 0,
  }
  let section: 'peaks' | 'leaks' | 'skip' | null = null
  let sawSection = false
  let sawSummary = false
  let i = 0
  while (i < lines.length) {
    const line = lines[i] as Line
    if (line.text === '') {
      i++
      continue
    }
    if (line.indent === 0 && line.text in SECTIONS) {
      section = SECTIONS[line.text] ?? null
      sawSection = true
      i++
      continue
    }
    const command = line.indent === 0 ? /^Debuggee command was: (.*)$/.exec(line.text) : null
    if (command) {
      out.command = command[1] ?? null
      i++
      continue
    }
    if (line.indent === 0 && readSummaryLine(line.text, out)) {
      sawSummary = true
      section = null
      i++
      continue
    }
    const top = line.indent === 0 ? TOP_LABEL.exec(line.text) : null
    if (top && (section === 'peaks' || section === 'leaks')) {
      i = readEntry(lines, i + 1, top, out[section], out)
      continue
    }
    if (section === 'peaks' || section === 'leaks') out.unrecognizedLines++
    i++
  }
  if (!sawSection && !sawSummary) {
    const start = JSON.stringify(text.slice(0, 120))
    throw new InputError('INPUT_UNSUPPORTED_FORMAT', `${source} is not heaptrack_print output: it has no PEAK MEMORY CONSUMERS or MEMORY LEAKS section and no summary (it starts with ${start}). Check that heaptrack_print (heaptrack 1.x) read the data file.`, source)
  }
  return out
}

/** Reads one entry after its top label: an unmerged backtrace, or a merged location with its sub-backtraces. */
function readEntry(lines: readonly Line[], i: number, label: RegExpExecArray, into: HeaptrackTrace[], out: HeaptrackPrintOutput): number {
  const bytes = sizeOf(label)
  const allocations = Number(label[4])
  const first = lines[i]
  if (!first || first.indent !== 0) {
    const { frames, next } = readFrames(lines, i, 2)
    into.push({ bytes, allocations, frames })
    return next
  }
  // Merged: the allocation location at indent 0, then "X consumed over N calls from:" + frames at indent 4.
  out.merged = true
  const location = readFrames(lines, i, 0)
  i = location.next
  let listedCalls = 0
  let subs = 0
  for (;;) {
    const line = lines[i]
    if (!line) break
    const sub = line.indent === 0 ? SUB_LABEL.exec(line.text) : null
    const rest = line.indent <= 2 ? REST.exec(line.text) : null
    if (sub) {
      const { frames, next } = readFrames(lines, i + 1, 4)
      const subBytes = sizeOf(sub)
      const calls = Number(sub[4])
      into.push({ bytes: subBytes, allocations: calls, frames: [...location.frames, ...frames] })
      listedCalls += calls
      subs++
      i = next
    } else if (rest) {
      into.push({ bytes: sizeOf(rest), allocations: Math.max(0, allocations - listedCalls), frames: location.frames, rest: { places: Number(rest[3]) } })
      return i + 1
    } else break
  }
  // A location without sub-backtraces (heaptrack had no trace for it) stands alone.
  if (subs === 0) into.push({ bytes, allocations, frames: location.frames })
  return i
}

function sizeOf(m: RegExpExecArray): number {
  return Math.round(Number(m[1]) * (UNIT[m[2] as string] as number))
}

function readSummaryLine(text: string, out: HeaptrackPrintOutput): boolean {
  let m: RegExpExecArray | null
  if ((m = /^total runtime: (\d+(?:\.\d+)?)s\.$/.exec(text))) out.summary.runtimeMs = Math.round(Number(m[1]) * 1000)
  else if ((m = /^calls to allocation functions: (\d+)/.exec(text))) out.summary.allocations = Number(m[1])
  else if ((m = /^temporary memory allocations: (\d+)/.exec(text))) out.summary.temporaryAllocations = Number(m[1])
  else if ((m = /^peak heap memory consumption: (\S+)$/.exec(text))) out.summary.peakBytes = parseHeaptrackSize(m[1] as string)
  else if ((m = /^peak RSS \(including heaptrack overhead\): (\S+)$/.exec(text))) out.summary.peakRssBytes = parseHeaptrackSize(m[1] as string)
  else if ((m = /^total memory leaked: (\S+)$/.exec(text))) out.summary.leakedBytes = parseHeaptrackSize(m[1] as string)
  else if ((m = /^suppressed leaks: (\S+)$/.exec(text))) out.summary.suppressedLeakedBytes = parseHeaptrackSize(m[1] as string)
  else return false
  return true
}
