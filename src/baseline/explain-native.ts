/**
 * Who holds the native growth: when the run has a heaptrack pass (`analysis.native`, from
 * `memgate run --native heaptrack`), the explanation of a failing memory rule names the shared
 * object and the nearest named frame that still held the most at the end of that pass
 * ("libonnxruntime.so.1 under InferenceSessionWrap::Run +21.0 MiB still allocated"). Only when
 * native memory is what grew: heaptrack traces malloc and operator new, not the V8 heap's pages.
 */
import { formatBytes } from '../common/units.js'
import { V8_HEAP_KIND } from '../run/composition.js'
import type { NativeAnalysis } from '../run/schema.js'
import type { MemorySplit } from './explain.js'
import type { RssGrowth } from './explain-rss.js'

/** Holders listed per explanation. */
export const TOP_NATIVE_HOLDERS = 3

/** Below this growth (bytes), a non-heap RSS category did not grow: 1 MiB, above smaps noise between repeats. */
const NATIVE_GROWTH_BYTES = 1024 * 1024

/** The listed sites of one shared object under one named frame, summed. Sizes in bytes. */
export interface NativeHolder {
  /** Path of the shared object or executable; null when heaptrack named none. */
  sharedObject: string | null
  /** Its file name (`libonnxruntime.so.1`), `(unknown)` without one. */
  library: string
  /** The nearest named frame's short name (`InferenceSessionWrap::Run`); null when none. */
  frame: string | null
  bytes: number
  allocations: number
  /** Listed sites (backtraces) summed into it. */
  sites: number
}

/** What the heaptrack pass says holds the native memory. */
export interface NativeGrowth {
  /** The heaptrack data file, relative to the run directory. */
  file: string
  /**
   * `leaked`: bytes still allocated when the traced pass ended (what a growth is made of);
   * `peak`: at heaptrack's peak, when none of the listed sites still held anything.
   */
  measure: 'leaked' | 'peak'
  /** Largest first, at most {@link TOP_NATIVE_HOLDERS}; sums of the sites run.json lists (the top ones), so a lower bound. */
  holders: NativeHolder[]
  /** All the pass's allocations by the same measure. */
  totalBytes: number
  /** `libonnxruntime.so.1 under InferenceSessionWrap::Run +21.0 MiB still allocated`: the first holder. */
  summary: string
}

/**
 * Whether native memory (anything but the V8 heap: malloc arenas, ArrayBuffers, shared objects'
 * data) grew: from the RSS categories when recorded, else from the split; true when neither is known.
 */
export function nativeGrew(rss: RssGrowth | null | undefined, split: MemorySplit | null): boolean {
  if (rss && rss.deltas.length > 0) return rss.deltas.some((d) => d.kind !== V8_HEAP_KIND && d.deltaBytes >= NATIVE_GROWTH_BYTES)
  if (split) return split.where === 'native'
  return true
}

/** `libonnxruntime.so.1 under InferenceSessionWrap::Run` (or the library alone without a named frame). */
export function holderName(h: Pick<NativeHolder, 'library' | 'frame'>): string {
  return h.frame ? `${h.library} under ${h.frame}` : h.library
}

/** `+21.0 MiB still allocated` or `21.0 MiB at peak`. */
export function holderAmount(bytes: number, measure: NativeGrowth['measure']): string {
  return measure === 'leaked' ? `${formatBytes(bytes, true)} still allocated` : `${formatBytes(bytes)} at peak`
}

const libraryOf = (path: string | null): string => (path ? (path.split('/').pop() ?? path) : '(unknown)')

/**
 * The holders of the native memory in `analysis`, or null when the run has no heaptrack pass, its
 * sites hold nothing, or (given `rss`/`split`) native memory is not what grew.
 */
export function nativeGrowth(analysis: NativeAnalysis | undefined | null, rss?: RssGrowth | null, split: MemorySplit | null = null): NativeGrowth | null {
  if (!analysis || !nativeGrew(rss, split)) return null
  const leaked = holdersOf(analysis.topByLeaked, (s) => s.leakedBytes)
  const measure = leaked.length > 0 ? 'leaked' : 'peak'
  const holders = measure === 'leaked' ? leaked : holdersOf(analysis.topByPeak, (s) => s.peakBytes)
  const top = holders[0]
  if (!top) return null
  return {
    file: analysis.file,
    measure,
    holders: holders.slice(0, TOP_NATIVE_HOLDERS),
    totalBytes: measure === 'leaked' ? analysis.totals.leakedBytes : analysis.totals.peakBytes,
    summary: `${holderName(top)} ${holderAmount(top.bytes, measure)}`,
  }
}

/** Sites summed by (shared object, frame), positive sizes only, largest first. */
function holdersOf(sites: NativeAnalysis['topByLeaked'], size: (s: NativeAnalysis['topByLeaked'][number]) => number | null): NativeHolder[] {
  const byKey = new Map<string, NativeHolder>()
  for (const s of sites) {
    const bytes = size(s)
    if (bytes === null || bytes <= 0) continue
    const key = JSON.stringify([s.sharedObject, s.frame])
    const h = byKey.get(key) ?? { sharedObject: s.sharedObject, library: libraryOf(s.sharedObject), frame: s.frame, bytes: 0, allocations: 0, sites: 0 }
    h.bytes += bytes
    h.allocations += s.allocations
    h.sites++
    byKey.set(key, h)
  }
  return [...byKey.values()].sort((a, b) => b.bytes - a.bytes || holderName(a).localeCompare(holderName(b)))
}
