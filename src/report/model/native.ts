/**
 * Native allocation sites, from each scenario's heaptrack pass (`analysis.native`, recorded by
 * `memgate run --native heaptrack`): the totals, the top shared objects and named frames by bytes
 * still allocated at the end and at heaptrack's peak, and the top sites. Read as recorded: the
 * pass ran outside every RSS figure, so these are its own figures.
 */
import type { NativeAnalysis, RunResult } from '../../run/schema.js'

/** Groups and sites listed per scenario. */
export const NATIVE_ROWS = 6

/** One group of sites: a shared object (its file name shown) or a named frame. Sizes in bytes. */
export interface NativeGroupRow {
  /** The file name of the shared object (`libonnxruntime.so.1`), or the frame's short name. */
  name: string
  /** The full path of a shared object; null for a frame. */
  path: string | null
  /** For a frame: `binding`, `builtin`, `node`, `native`; null for a shared object. */
  kind: string | null
  leakedBytes: number
  peakBytes: number
  allocations: number
  sites: number
}

/** One allocation site (a backtrace), as recorded. */
export interface NativeSiteRow {
  library: string
  frame: string | null
  leakedBytes: number | null
  peakBytes: number | null
  allocations: number
}

/** The heaptrack pass of one scenario. */
export interface NativeFindings {
  scenario: string
  /** heaptrack's version and the data file (relative to the run directory). */
  version: string
  file: string
  totals: NativeAnalysis['totals']
  /** Largest still-allocated first, then largest peak; at most {@link NATIVE_ROWS}. */
  bySharedObject: NativeGroupRow[]
  byFrame: NativeGroupRow[]
  /** The sites still holding the most at the end (or the largest at the peak when none holds anything). */
  topSites: NativeSiteRow[]
  topSitesBy: 'leaked' | 'peak'
}

const fileName = (path: string): string => path.split('/').pop() || path

const byHeld = (a: NativeGroupRow, b: NativeGroupRow) => b.leakedBytes - a.leakedBytes || b.peakBytes - a.peakBytes || a.name.localeCompare(b.name)

/** The heaptrack passes of `run`'s scenarios, in run order; empty when none had one. */
export function nativeOf(run: RunResult): NativeFindings[] {
  const out: NativeFindings[] = []
  for (const s of run.scenarios) {
    const n = s.analysis?.native
    if (!n) continue
    const so = n.bySharedObject.map((g) => ({ name: g.key.startsWith('/') ? fileName(g.key) : g.key, path: g.key.startsWith('/') ? g.key : null, kind: null, leakedBytes: g.leakedBytes, peakBytes: g.peakBytes, allocations: g.allocations, sites: g.sites }))
    const frames = n.byFrame.map((g) => ({ name: g.key, path: null, kind: g.kind ?? null, leakedBytes: g.leakedBytes, peakBytes: g.peakBytes, allocations: g.allocations, sites: g.sites }))
    const leaked = n.topByLeaked.filter((x) => (x.leakedBytes ?? 0) > 0)
    const topSitesBy = leaked.length > 0 ? 'leaked' : 'peak'
    const sites = (topSitesBy === 'leaked' ? leaked : n.topByPeak).slice(0, NATIVE_ROWS)
    out.push({
      scenario: s.name,
      version: n.version,
      file: n.file,
      totals: n.totals,
      bySharedObject: so.sort(byHeld).slice(0, NATIVE_ROWS),
      byFrame: frames.sort(byHeld).slice(0, NATIVE_ROWS),
      topSites: sites.map((x) => ({ library: x.sharedObject ? fileName(x.sharedObject) : '(unknown)', frame: x.frame, leakedBytes: x.leakedBytes, peakBytes: x.peakBytes, allocations: x.allocations })),
      topSitesBy,
    })
  }
  return out
}
