/**
 * Where live memory was allocated: V8's sampling heap profiler (inspector
 * `HeapProfiler.startSampling` / `stopSampling`) around a function. V8 samples an allocation
 * about every `samplingIntervalBytes` bytes (Poisson-distributed) and records its stack; samples
 * of objects that are garbage-collected before `stopSampling` are dropped, so after a final GC
 * the profile describes memory allocated during the function *and still live*: a leak's source.
 *
 * Cost and precision trade against each other through the interval: an interval of I bytes puts
 * about N / I samples on N live bytes, so the relative error of a site's estimate goes as
 * sqrt(I / N). Cost measured by `npx tsx bench/snapshot.ts --only sampling` (an allocation-heavy
 * loop of small objects, strings and Buffers; throughput per main-thread CPU second; medians of
 * 20–40 alternating rounds; five runs on a shared 2-core machine, whose noise is a few points):
 * 512 KiB (V8's default) cost −0.4…10.6% (median 6.7%), 128 KiB 7.9…12.7% (median 8.8%),
 * 32 KiB 2.1…26.1% (median 19.5%). The reference figures are ~2.5% at 512 KiB and 13% at
 * 32 KiB on a lighter loop. 128 KiB is the default here: it costs about what 512 KiB does, takes
 * four times the samples (a 1 MiB leak gets ~8, enough to rank sites), and stays clear of the
 * steep cost of 32 KiB.
 */
import { Session } from 'node:inspector/promises'
import { KiB } from '../common/units.js'
import { collectGarbage } from './gc.js'

/** Default sampling interval in bytes (see the module comment for the trade-off). */
export const DEFAULT_SAMPLING_INTERVAL_BYTES = 128 * KiB

/**
 * The protocol's SamplingHeapProfile. Declared here because the Node 20 typings predate the
 * `samples` list and node `id`s that V8 sends.
 */
export interface SamplingProfile {
  head: SamplingProfileNode
  samples?: { size: number; nodeId: number; ordinal: number }[]
}

/** A node of {@link SamplingProfile}'s call tree. */
export interface SamplingProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  /** Bytes allocated by this frame (with this stack) and still live, estimated from samples. */
  selfSize: number
  id?: number
  children: SamplingProfileNode[]
}

/** Options of {@link sampleAllocations}. */
export interface AllocationSamplingOptions {
  /** Mean bytes between samples. Smaller is more precise and slower. @default 131072 (128 KiB) */
  samplingIntervalBytes?: number
  /** Sites to report, largest first. @default 20 */
  top?: number
  /** Run a full GC before stopping, so only live memory is reported. @default true */
  gc?: boolean
}

/** One allocation site: a function and source position. */
export interface AllocationSite {
  /** Function name; `(anonymous)` for anonymous functions; V8 pseudo-frames look like `(V8 API)`. */
  functionName: string
  /** Script URL (`file:///…` or a Node.js internal path); empty for pseudo-frames. */
  url: string
  /** 1-based line of the allocating code. */
  line: number
  /** 1-based column of the allocating code. */
  column: number
  /** Estimated bytes allocated here and still live at the end. */
  liveBytes: number
  /** Samples behind the estimate (few samples: a rough estimate). */
  samples: number
}

/** Result of {@link sampleAllocations}. */
export interface AllocationProfile<T> {
  /** What the function returned. */
  result: T
  /** Top sites by live bytes. */
  sites: AllocationSite[]
  /** Estimated live bytes allocated during the function, over all sites. */
  totalLiveBytes: number
  samplingIntervalBytes: number
  /** Wall time of the function, in ms. */
  durationMs: number
}

/**
 * Runs `fn` under the sampling heap profiler and reports where memory still live at the end was
 * allocated. The function's errors propagate (after sampling is stopped).
 * @example
 * const { sites } = await sampleAllocations(() => handleRequests(1000))
 * console.log(sites[0]) // { functionName: 'cacheResult', url: 'file:///app/cache.js', line: 12, ... }
 */
export async function sampleAllocations<T>(fn: () => T | Promise<T>, options: AllocationSamplingOptions = {}): Promise<AllocationProfile<T>> {
  const samplingIntervalBytes = options.samplingIntervalBytes ?? DEFAULT_SAMPLING_INTERVAL_BYTES
  const session = new Session()
  session.connect()
  try {
    await session.post('HeapProfiler.enable')
    await session.post('HeapProfiler.startSampling', { samplingInterval: samplingIntervalBytes })
    const startedMs = performance.now()
    let result: T
    let durationMs: number
    let profile: SamplingProfile
    try {
      result = await fn()
    } finally {
      durationMs = performance.now() - startedMs
      if (options.gc ?? true) await collectGarbage()
      profile = (await session.post('HeapProfiler.stopSampling')).profile as SamplingProfile
    }
    const { sites, totalLiveBytes } = aggregateSites(profile)
    return { result, sites: sites.slice(0, options.top ?? 20), totalLiveBytes, samplingIntervalBytes, durationMs }
  } finally {
    session.disconnect()
  }
}

/** Sums a sampling profile's tree by call frame (function and position), largest first. */
export function aggregateSites(profile: SamplingProfile): { sites: AllocationSite[]; totalLiveBytes: number } {
  const samplesByNode = new Map<number, number>()
  for (const s of profile.samples ?? []) samplesByNode.set(s.nodeId, (samplesByNode.get(s.nodeId) ?? 0) + 1)
  const byFrame = new Map<string, AllocationSite>()
  let total = 0
  const stack: SamplingProfileNode[] = [profile.head]
  while (stack.length > 0) {
    const node = stack.pop()!
    stack.push(...node.children)
    if (node.selfSize <= 0) continue
    const f = node.callFrame
    const key = `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}\u0000${f.columnNumber}`
    let site = byFrame.get(key)
    if (!site) {
      site = { functionName: f.functionName || '(anonymous)', url: f.url, line: f.lineNumber + 1, column: f.columnNumber + 1, liveBytes: 0, samples: 0 }
      byFrame.set(key, site)
    }
    site.liveBytes += node.selfSize
    site.samples += node.id === undefined ? 0 : (samplesByNode.get(node.id) ?? 0)
    total += node.selfSize
  }
  const sites = [...byFrame.values()].sort((a, b) => b.liveBytes - a.liveBytes)
  return { sites, totalLiveBytes: total }
}
