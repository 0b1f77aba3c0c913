/**
 * File-level entry points: parse, analyse, and return a versioned report (see report-schema.ts).
 * Comparisons keep at most one full graph alive: earlier snapshots are reduced to digests
 * (id, class, size per node) before the next file is parsed, so diffing two 1 GB snapshots does
 * not need memory for both.
 */
import { classifyNodes } from './classes.js'
import { basename } from 'node:path'
import { addedObjectsByClass, countsOnlyDiff, diffSnapshots, idsLookComparable } from './diff.js'
import { digestSnapshot, snapshotTotals, type SnapshotDigest } from './digest.js'
import { computeDominators } from './dominators.js'
import { classHeldSizes } from './held.js'
import { findLeakSuspects } from './leak-suspects.js'
import { classKey } from './classes.js'
import { parseHeapSnapshot } from './parser/parse.js'
import { shortestPathTree } from './path-tree.js'
import { clusterRetainers, DEFAULT_MAX_EXAMINED } from './retainers.js'
import { SNAPSHOT_REPORT_SCHEMA_VERSION, type DiffReport, type InspectReport, type LeakSuspectsReport } from './report-schema.js'
import { summarizeHeap, type ClassSummary } from './summary.js'

/** Progress of reading one file: path, bytes read so far, file size. */
export type FileProgressCallback = (path: string, bytesRead: number, totalBytes: number) => void

/** Options shared by the file-level analyses. */
export interface FileAnalysisOptions {
  /** Rows (classes) to report. @default 20 */
  top?: number
  /** Called as each file is read. @default none */
  onProgress?: FileProgressCallback
}

/** Options of {@link diffSnapshotFiles}. */
export interface DiffFilesOptions extends FileAnalysisOptions {
  /** Retainer-path clusters to report per top class (0: none). @default 3 */
  retainers?: number
  /** New objects per class whose paths are computed; the rest are sampled evenly. @default 2000 */
  maxExamined?: number
}

const parse = (path: string, options: FileAnalysisOptions, skipEdges = false) =>
  parseHeapSnapshot(path, { skipEdges, ...(options.onProgress ? { onProgress: (read: number, total: number) => options.onProgress!(path, read, total) } : {}) })

/** Summarises one snapshot file by class (the top `top` classes by retained size). */
export async function inspectSnapshotFile(path: string, options: FileAnalysisOptions = {}): Promise<InspectReport> {
  const t0 = performance.now()
  const graph = await parse(path, options)
  const t1 = performance.now()
  const summary = summarizeHeap(graph, { dominators: computeDominators(graph) })
  const t2 = performance.now()
  return {
    schemaVersion: SNAPSHOT_REPORT_SCHEMA_VERSION,
    kind: 'memgate.snapshot.inspect',
    snapshot: { ...snapshotTotals(graph), totalSelfSizeBytes: summary.totalSelfSizeBytes },
    reachableSizeBytes: summary.reachableSizeBytes,
    unreachableCount: summary.unreachableCount,
    classCount: summary.classes.length,
    classes: summary.classes.slice(0, options.top ?? 20),
    timings: { parseMs: t1 - t0, analyzeMs: t2 - t1 },
  }
}

/** One class of {@link heapClassesOfFile}: the summary's row plus what its objects hold (held.ts). */
export interface HeldClassSummary extends ClassSummary {
  /** Self sizes credited to this class as the nearest holder on their dominator path, in bytes (see held.ts). */
  heldSizeBytes: number
}

/**
 * Every class of one snapshot file with count, self, retained and held size, largest retained
 * first: what a composition records (src/check/heap-composition.ts).
 */
export async function heapClassesOfFile(path: string, options: Pick<FileAnalysisOptions, 'onProgress'> = {}): Promise<HeldClassSummary[]> {
  const graph = await parse(path, options)
  const dominators = computeDominators(graph)
  const table = classifyNodes(graph)
  const held = classHeldSizes(graph, dominators, table)
  const index = new Map(table.names.map((name, c) => [classKey(table.nodeTypes[c]!, name), c]))
  return summarizeHeap(graph, { dominators, classes: table }).classes.map((c) => ({ ...c, heldSizeBytes: held[index.get(classKey(c.nodeType, c.className))!]! }))
}

/** Diffs two snapshot files of one process (before, after), with retainer paths of what grew. */
export async function diffSnapshotFiles(beforePath: string, afterPath: string, options: DiffFilesOptions = {}): Promise<DiffReport> {
  let parseMs = 0
  let t = performance.now()
  const before = await digestFile(beforePath, options)
  parseMs += performance.now() - t
  t = performance.now()
  const graph = await parse(afterPath, options)
  const afterParsedMs = performance.now()
  parseMs += afterParsedMs - t
  const classes = classifyNodes(graph)
  const after = digestSnapshot(graph, classes)
  const matched = diffSnapshots(before, after)
  const processes = sameProcessEvidence(beforePath, afterPath, matched)
  const diff = processes.comparable ? matched : countsOnlyDiff(matched)
  const top = diff.classes.slice(0, options.top ?? 20)
  const clustersPerClass = options.retainers ?? 3
  const growing = top.filter((c) => c.addedCount > 0)
  let rows: DiffReport['classes'] = top
  // Retainer paths are of the objects new by id: none can be named when ids do not match.
  if (processes.comparable && clustersPerClass > 0 && growing.length > 0) {
    const added = addedObjectsByClass(before, after, growing)
    const tree = shortestPathTree(graph)
    rows = top.map((c) => {
      const ordinals = added.get(classKey(c.nodeType, c.className))
      if (!ordinals) return c
      return { ...c, retainers: clusterRetainers(graph, tree, ordinals, { maxClusters: clustersPerClass, maxExamined: options.maxExamined ?? DEFAULT_MAX_EXAMINED }) }
    })
  }
  return {
    schemaVersion: SNAPSHOT_REPORT_SCHEMA_VERSION,
    kind: 'memgate.snapshot.diff',
    before: diff.before,
    after: diff.after,
    addedCount: diff.addedCount,
    addedSizeBytes: diff.addedSizeBytes,
    removedCount: diff.removedCount,
    removedSizeBytes: diff.removedSizeBytes,
    classCount: diff.classes.length,
    classes: rows,
    ids: { comparable: processes.comparable, sharedIds: matched.sharedIds, mismatchedIds: matched.mismatchedIds },
    ...(processes.warning ? { warnings: [processes.warning] } : {}),
    timings: { parseMs, analyzeMs: performance.now() - afterParsedMs },
  }
}

/** Process id in a file name Node gives snapshots by default: `Heap.20250101.120000.<pid>.0.001.heapsnapshot`. */
export function pidInSnapshotName(path: string): number | null {
  const m = /^Heap\.\d{8}\.\d{6}\.(\d+)\.\d+\.\d+\.heapsnapshot$/.exec(basename(path))
  return m ? Number(m[1]) : null
}

/**
 * Whether two snapshots come from one process, so their ids can be matched. V8 keeps an object's
 * id for its life, within one process only; the heap snapshot format records no process or
 * isolate identity, so the evidence is the ids themselves (objects sharing an id but not a class)
 * and, when both files keep Node's default names, their process ids.
 */
function sameProcessEvidence(beforePath: string, afterPath: string, diff: { sharedIds: number; mismatchedIds: number }): { comparable: boolean; warning?: string } {
  const [pidBefore, pidAfter] = [pidInSnapshotName(beforePath), pidInSnapshotName(afterPath)]
  const reasons: string[] = []
  if (!idsLookComparable(diff)) {
    reasons.push(`${diff.mismatchedIds.toLocaleString('en-US')} of the ${diff.sharedIds.toLocaleString('en-US')} object ids they share name objects of different classes`)
  }
  if (pidBefore !== null && pidAfter !== null && pidBefore !== pidAfter) reasons.push(`their file names give process ids ${pidBefore} and ${pidAfter}`)
  if (reasons.length === 0) return { comparable: true }
  return {
    comparable: false,
    warning:
      `These snapshots look like they come from two different processes (${reasons.join('; ')}). ` +
      'Object ids only match within one process, so new and freed objects and their retainer paths cannot be told; ' +
      'only per-class counts and sizes are compared. Take both snapshots from the same process to see what grew.',
  }
}

/** Leak suspects of three snapshot files (baseline, target, final); see leak-suspects.ts. */
export async function findLeakSuspectsInFiles(paths: readonly [string, string, string], options: DiffFilesOptions = {}): Promise<LeakSuspectsReport> {
  const first = await digestFile(paths[0], options)
  const second = await digestFile(paths[1], options)
  const third = await parse(paths[2], options)
  const suspects = findLeakSuspects(first, second, third, {
    maxClasses: options.top ?? 20,
    maxClusters: options.retainers ?? 3,
    maxExamined: options.maxExamined ?? DEFAULT_MAX_EXAMINED,
  })
  return { schemaVersion: SNAPSHOT_REPORT_SCHEMA_VERSION, kind: 'memgate.snapshot.leaks', ...suspects }
}

/**
 * Parses a file without its edges (ids, classes and sizes need none) and keeps only its digest;
 * the graph is garbage when this returns.
 */
async function digestFile(path: string, options: FileAnalysisOptions): Promise<SnapshotDigest> {
  return digestSnapshot(await parse(path, options, true))
}
