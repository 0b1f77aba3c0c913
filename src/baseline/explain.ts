/**
 * "What grew": attached to failing memory verdicts, so the CI log says what grew and what holds
 * it. Two parts: the split of the RSS growth between the JS heap (V8 heap plus ArrayBuffers) and
 * native memory, and the classes that grew between heap snapshots, each with a retainer path.
 */
import { median } from '../common/stats.js'
import type { HeapClassRow } from '../run/composition.js'
import type { RepeatResult, StageResult } from '../run/schema.js'
import type { BaselineLookup } from './baseline-file.js'
import { METRICS } from './metrics/catalogue.js'
import type { HeapVsBaseline, RssGrowth } from './explain-rss.js'
import type { NativeGrowth } from './explain-native.js'

/**
 * Below this share of the RSS growth, the JS heap is not what grew: the growth is native
 * (allocator arenas, ONNX Runtime buffers, thread stacks), and heap snapshots cannot show it.
 */
export const NATIVE_SHARE = 0.25

/** One class that grew between two snapshots of the snapshot pass. */
export interface GrowingClass {
  className: string
  nodeType: string
  netCount: number
  netSizeBytes: number
  /** One retainer path of an added object, from a GC root (DevTools style), when one was found. */
  retainerPath: string | null
}

/** Growth by class between two heap snapshots (provided by the CLI from the snapshot module). */
export type HeapGrowth =
  | {
      state: 'ok'
      from: string
      to: string
      classes: GrowingClass[]
      /** The classes at the end of the last work stage (self and held sizes), when asked for: diffed against the baseline's heap composition. */
      composition?: { stage: string; classes: HeapClassRow[] }
    }
  /** Why there is no snapshot diff (the re-run failed, the module is gone, ...). */
  | { state: 'unavailable'; reason: string }

/** How the RSS growth splits, and against what it was measured. */
export interface MemorySplit {
  /** `baseline`: run medians minus baseline medians; `run`: from the first stage's start to the last stage's end in this run. */
  basis: 'baseline' | 'run'
  rssGrowthBytes: number
  /** Growth of V8 heap used plus ArrayBuffers, after GC. */
  jsGrowthBytes: number
  /** `js` when the JS heap accounts for at least {@link NATIVE_SHARE} of the RSS growth. */
  where: 'js' | 'native'
}

/** What the gate attaches to a failing memory verdict. */
export interface Explanation {
  split: MemorySplit | null
  heap: HeapGrowth | null
  /** The RSS categories (smaps) that grew; absent when the run recorded none. */
  rss?: RssGrowth | null
  /** Classes that grew against the baseline's heap composition; absent without one. */
  heapVsBaseline?: HeapVsBaseline | null
  /** Who holds the native memory, from the run's heaptrack pass (`analysis.native`); absent without one or when native memory did not grow. */
  native?: NativeGrowth | null
}

/** The stages that frame the scenario's own work: from setup's start to the last stage before teardown. */
export function framingStages(stages: readonly StageResult[]): { first: StageResult; last: StageResult } | null {
  const body = stages.filter((s) => s.kind !== 'teardown')
  const first = body[0]
  const last = body.at(-1)
  return first && last ? { first, last } : null
}

const jsOf = (s: { heapUsedBytes: number | null; arrayBuffersBytes: number | null } | null): number | null =>
  s && s.heapUsedBytes !== null ? s.heapUsedBytes + (s.arrayBuffersBytes ?? 0) : null

/**
 * Splits the memory growth: against the baseline's medians when it is comparable and
 * `againstBaseline` (a relative rule failed), else within the run (median over repeats of the
 * growth from the first stage's before-sample to the last stage's after-sample).
 * @returns null when the figures are missing or RSS did not grow
 */
export function memorySplit(completed: readonly RepeatResult[], baseline: BaselineLookup, againstBaseline: boolean): MemorySplit | null {
  if (againstBaseline && baseline.state === 'found') {
    const m = baseline.baseline.metrics
    const med = (key: 'peakRss' | 'heapUsed' | 'arrayBuffers') => median(completed.map((r) => METRICS[key].read(r)).filter((v): v is number => v !== null))
    const rss = med('peakRss') - (m.peakRss?.median ?? Number.NaN)
    const js = med('heapUsed') + med('arrayBuffers') - ((m.heapUsed?.median ?? Number.NaN) + (m.arrayBuffers?.median ?? 0))
    return split('baseline', rss, js)
  }
  const rss: number[] = []
  const js: number[] = []
  for (const r of completed) {
    const frame = framingStages(r.stages)
    const a = frame?.first.before
    const b = frame?.last.after
    if (!a || !b || a.rssBytes === null || b.rssBytes === null) continue
    const ja = jsOf(a)
    const jb = jsOf(b)
    if (ja === null || jb === null) continue
    rss.push(b.rssBytes - a.rssBytes)
    js.push(jb - ja)
  }
  return rss.length ? split('run', median(rss), median(js)) : null
}

function split(basis: MemorySplit['basis'], rss: number, js: number): MemorySplit | null {
  if (!Number.isFinite(rss) || !Number.isFinite(js) || rss <= 0) return null
  return { basis, rssGrowthBytes: rss, jsGrowthBytes: js, where: js >= NATIVE_SHARE * rss ? 'js' : 'native' }
}

/** Classes that grew, largest net growth first, at most `top`. */
export function topGrowingClasses(classes: readonly GrowingClass[], top = 5): GrowingClass[] {
  return classes.filter((c) => c.netSizeBytes > 0).sort((a, b) => b.netSizeBytes - a.netSizeBytes).slice(0, top)
}

/** The part of a snapshot diff report the explanation reads (`memgate diff --json` shape). */
export interface DiffLike {
  classes: readonly {
    className: string
    nodeType: string
    netCount: number
    netSizeBytes: number
    retainers?: { clusters: readonly { path: { text: string } }[] }
  }[]
}

/** Heap growth from a snapshot diff: the classes that grew, each with its most common retainer path. */
export function growthFromDiff(diff: DiffLike, from: string, to: string, top = 5): HeapGrowth {
  const classes = diff.classes.map((c) => ({
    className: c.className,
    nodeType: c.nodeType,
    netCount: c.netCount,
    netSizeBytes: c.netSizeBytes,
    retainerPath: c.retainers?.clusters[0]?.path.text ?? null,
  }))
  return { state: 'ok', from, to, classes: topGrowingClasses(classes, top) }
}
