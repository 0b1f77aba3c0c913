/**
 * The native allocation profile memgate records: heaptrack's top backtraces by peak and by bytes
 * leaked at exit, each attributed to a shared object and a named frame, grouped both ways.
 */
import { access } from 'node:fs/promises'
import { InputError } from '../common/errors.js'
import { namedFrameOf, sharedObjectOf, type NamedFrame, type NamedFrameKind } from './attribute.js'
import { detectHeaptrack, type HeaptrackTools } from './detect.js'
import { parseHeaptrackPrint, type HeaptrackFrame, type HeaptrackPrintOutput, type HeaptrackTrace } from './parse-print.js'
import { runGroup } from './process-group.js'

/**
 * One allocation site: one backtrace. Sizes are bytes as heaptrack_print prints them (1000-based,
 * two decimals: within 0.5% of the exact figure).
 */
export interface NativeSite {
  /** Bytes this backtrace held at the moment of the process's heap peak; null when it is not among the listed peak sites. */
  peakBytes: number | null
  /** Bytes it allocated and never freed before exit; null when it is not among the listed leak sites. */
  leakedBytes: number | null
  /** Calls to allocation functions from this backtrace over the whole run. */
  allocations: number
  /** The shared object or executable that asked for the memory (path), see {@link sharedObjectOf}; null when unknown. */
  sharedObject: string | null
  /** The nearest named frame, see {@link namedFrameOf}. */
  frame: NamedFrame | null
  /** Innermost first, up to the named frame and a few beyond (at most `maxFramesPerSite`). */
  frames: HeaptrackFrame[]
  /** Frames of the backtrace not kept in `frames`. */
  framesOmitted: number
  /** Merged heaptrack output only: the unlisted rest of one allocation location ("from N other places"). */
  restOfPlaces?: number
}

/** Listed sites summed per shared object or per named frame. */
export interface NativeGroup {
  /** Shared object path (`bySharedObject`) or the named frame's short name (`byFrame`); `'(unknown)'` when heaptrack named none. */
  key: string
  /** Σ `peakBytes` of the group's sites listed by peak. */
  peakBytes: number
  /** Σ `leakedBytes` of the group's sites listed by leaks. */
  leakedBytes: number
  /** Σ allocation calls of the group's sites. */
  allocations: number
  /** Number of sites. */
  sites: number
}

/** A {@link NativeGroup} of `byFrame`, with what kind of frame it is and where it lives. */
export interface NativeFrameGroup extends NativeGroup {
  kind: NamedFrameKind | null
  module: string | null
}

/** Totals of the whole traced run (not only the listed sites). */
export interface NativeTotals {
  /** Peak of heap bytes allocated and not yet freed (malloc/new/…, not RSS). */
  peakBytes: number
  /** Bytes still allocated at exit (after heaptrack's leak suppressions). */
  leakedBytes: number
  /** Calls to allocation functions (exact). */
  allocations: number
  temporaryAllocations: number | null
  /** Peak RSS of the traced process, heaptrack's own overhead included: not a figure to gate on. */
  peakRssBytes: number | null
  suppressedLeakedBytes: number | null
  runtimeMs: number | null
  /** Σ `peakBytes` of the listed sites: how much of `peakBytes` the sites explain. */
  listedPeakBytes: number
  /** Σ `leakedBytes` of the listed sites. */
  listedLeakedBytes: number
}

/** What a native pass records. */
export interface NativeProfile {
  tool: 'heaptrack'
  /** heaptrack's version, e.g. `'1.4.0'`. */
  version: string
  /** The traced command as heaptrack recorded it. */
  command: string | null
  totals: NativeTotals
  /** Biggest peak first (then leaked). */
  bySharedObject: NativeGroup[]
  /** Biggest peak first (then leaked). */
  byFrame: NativeFrameGroup[]
  /** Union of the top sites by peak and by leaks; biggest peak first, then biggest leak. */
  sites: NativeSite[]
}

/** Options of {@link buildNativeProfile} and {@link readNativeProfile}. */
export interface NativeProfileOptions {
  /** Backtraces listed per measure (heaptrack_print `--peak-limit`). @default 40 */
  top?: number
  /** Frames kept per site. @default 40 */
  maxFramesPerSite?: number
}

const DEFAULT_TOP = 40

const siteKey = (t: HeaptrackTrace) => JSON.stringify([t.rest ? 'rest' : '', t.frames.map((f) => [f.function, f.address, f.module, f.file, f.line])])

function keptFrames(frames: readonly HeaptrackFrame[], frame: NamedFrame | null, max: number): HeaptrackFrame[] {
  const upTo = frame ? frame.index + 4 : max
  return frames.slice(0, Math.min(upTo, max))
}

function group<G extends NativeGroup>(sites: readonly NativeSite[], keyOf: (s: NativeSite) => string, make: (key: string, s: NativeSite) => G): G[] {
  const groups = new Map<string, G>()
  for (const s of sites) {
    const key = keyOf(s)
    const g = groups.get(key) ?? make(key, s)
    g.peakBytes += s.peakBytes ?? 0
    g.leakedBytes += s.leakedBytes ?? 0
    g.allocations += s.allocations
    g.sites++
    groups.set(key, g)
  }
  return [...groups.values()].sort((a, b) => b.peakBytes - a.peakBytes || b.leakedBytes - a.leakedBytes)
}

/**
 * Builds the profile from parsed heaptrack_print output: joins the peak and leak lists by
 * backtrace, attributes each site, and groups the sites by shared object and by named frame.
 */
export function buildNativeProfile(parsed: HeaptrackPrintOutput, version: string, options: NativeProfileOptions = {}): NativeProfile {
  const maxFrames = options.maxFramesPerSite ?? 40
  const byKey = new Map<string, { trace: HeaptrackTrace; peak: number | null; leaked: number | null }>()
  for (const [list, field] of [
    [parsed.peaks, 'peak'],
    [parsed.leaks, 'leaked'],
  ] as const) {
    for (const trace of list) {
      const key = siteKey(trace)
      const entry = byKey.get(key) ?? { trace, peak: null, leaked: null }
      entry[field] = (entry[field] ?? 0) + trace.bytes
      byKey.set(key, entry)
    }
  }
  const sites: NativeSite[] = [...byKey.values()].map(({ trace, peak, leaked }) => {
    const frame = namedFrameOf(trace.frames)
    const frames = keptFrames(trace.frames, frame, maxFrames)
    return {
      peakBytes: peak,
      leakedBytes: leaked,
      allocations: trace.allocations,
      sharedObject: sharedObjectOf(trace.frames),
      frame,
      frames,
      framesOmitted: trace.frames.length - frames.length,
      ...(trace.rest ? { restOfPlaces: trace.rest.places } : {}),
    }
  })
  sites.sort((a, b) => (b.peakBytes ?? -1) - (a.peakBytes ?? -1) || (b.leakedBytes ?? -1) - (a.leakedBytes ?? -1))
  const listedPeakBytes = sites.reduce((sum, s) => sum + (s.peakBytes ?? 0), 0)
  const listedLeakedBytes = sites.reduce((sum, s) => sum + (s.leakedBytes ?? 0), 0)
  const zero = { peakBytes: 0, leakedBytes: 0, allocations: 0, sites: 0 }
  return {
    tool: 'heaptrack',
    version,
    command: parsed.command,
    totals: {
      peakBytes: parsed.summary.peakBytes ?? listedPeakBytes,
      leakedBytes: parsed.summary.leakedBytes ?? listedLeakedBytes,
      allocations: parsed.summary.allocations ?? sites.reduce((sum, s) => sum + s.allocations, 0),
      temporaryAllocations: parsed.summary.temporaryAllocations,
      peakRssBytes: parsed.summary.peakRssBytes,
      suppressedLeakedBytes: parsed.summary.suppressedLeakedBytes,
      runtimeMs: parsed.summary.runtimeMs,
      listedPeakBytes,
      listedLeakedBytes,
    },
    bySharedObject: group(sites, (s) => s.sharedObject ?? '(unknown)', (key) => ({ key, ...zero })),
    byFrame: group(
      sites,
      (s) => s.frame?.name ?? '(unknown)',
      (key, s) => ({ key, kind: s.frame?.kind ?? null, module: s.frame?.module ?? null, ...zero }),
    ),
    sites,
  }
}

/**
 * heaptrack_print's arguments for a profile: the peak and leak lists only, one entry per full
 * backtrace (`--merge-backtraces=0`: merged entries sum peaks of different backtraces and cut each
 * location to `--sub-peak-limit` traces), `top` entries each.
 */
export function heaptrackPrintArgs(dataFile: string, top = DEFAULT_TOP): string[] {
  return ['--file', dataFile, '--print-peaks=1', '--print-leaks=1', '--print-allocators=0', '--print-temporary=0', '--merge-backtraces=0', `--peak-limit=${top}`, '--shorten-templates=1']
}

/**
 * Reads a heaptrack data file (`.zst`/`.gz`) with heaptrack_print and returns its profile.
 * @throws MemgateError `PROBE_UNAVAILABLE` when heaptrack is not installed.
 * @throws InputError `INPUT_NOT_FOUND` for a missing file, `INPUT_CORRUPT` when heaptrack_print fails on it.
 * @example const profile = await readNativeProfile(await runUnderHeaptrack({ command: 'node', args: ['app.js'], outDir }))
 */
export async function readNativeProfile(dataFile: string, options: NativeProfileOptions & { tools?: HeaptrackTools; timeoutMs?: number } = {}): Promise<NativeProfile> {
  const tools = options.tools ?? (await detectHeaptrack())
  try {
    await access(dataFile)
  } catch (error) {
    throw new InputError('INPUT_NOT_FOUND', `heaptrack data file ${dataFile} does not exist. Produce one with runUnderHeaptrack() or \`heaptrack -o FILE COMMAND\`.`, dataFile, { cause: error })
  }
  const timeoutMs = options.timeoutMs ?? 300_000
  const exit = await runGroup(tools.heaptrackPrint, heaptrackPrintArgs(dataFile, options.top ?? DEFAULT_TOP), { env: { ...process.env, LC_ALL: 'C' }, timeoutMs, keepStdout: 'all' })
  if (exit.timedOut || exit.code !== 0) {
    const why = exit.timedOut ? `did not finish within ${timeoutMs} ms` : `failed (${exit.signal ?? `exit code ${exit.code}`})`
    throw new InputError('INPUT_CORRUPT', `heaptrack_print ${why} on ${dataFile}: ${exit.stderr.trim().split('\n').slice(-3).join(' ') || 'no message'}. The file may be truncated (a killed run) or from another heaptrack version.`, dataFile)
  }
  return buildNativeProfile(parseHeaptrackPrint(exit.stdout, dataFile), tools.version, options)
}
