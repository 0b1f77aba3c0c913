/**
 * The part of a snapshot that comparisons need: each node's id, class and self size, ordered by
 * id. About 20 bytes per node, so a comparison holds one digest and at most one graph at a time
 * instead of two or three full graphs.
 */
import { classifyNodes, type ClassTable } from './classes.js'
import type { HeapGraph, SnapshotSource } from './graph.js'
import { sortById } from './id-order.js'

/** Headline figures of one snapshot. */
export interface SnapshotTotals {
  /** Absolute path of the file. */
  path: string
  /** File size in bytes. */
  fileSizeBytes: number
  nodeCount: number
  edgeCount: number
  /** Sum of all self sizes, in bytes. */
  totalSelfSizeBytes: number
}

/**
 * Nodes of one snapshot in id order, with their class and self size. The class and size columns
 * are the class table's and the graph's own arrays (indexed by ordinal), not copies: digesting a
 * graph costs only the two sorted arrays (8 bytes per node), and a digest kept after its graph is
 * dropped holds 16 bytes per node.
 */
export interface SnapshotDigest {
  totals: SnapshotTotals
  /** Node ids, ascending. */
  ids: Uint32Array
  /** Ordinal of each id (same order as `ids`). */
  ordinals: Uint32Array
  /** Class of each node by ordinal, an index into `classNames`/`classNodeTypes`. */
  classOf: Uint32Array
  /** Self size of each node by ordinal, in bytes; `0xffffffff` means "see `largeSelfSizes`". */
  selfSize: Uint32Array
  /** Self sizes of 4 GiB or more, by ordinal. */
  largeSelfSizes: ReadonlyMap<number, number>
  classNames: string[]
  classNodeTypes: string[]
}

/** Self size in bytes of the node with ordinal `o` in a digest. */
export function digestSelfSize(d: SnapshotDigest, o: number): number {
  const s = d.selfSize[o]!
  return s === 0xffff_ffff ? (d.largeSelfSizes.get(o) ?? s) : s
}

/** Headline figures of a graph. */
export function snapshotTotals(graph: HeapGraph): SnapshotTotals {
  let total = 0
  for (let o = 0; o < graph.nodeCount; o++) total += graph.selfSize(o)
  // The file's edge count, also when the edges were skipped (a diff's "before" side skips them).
  return totalsOf(graph.source, graph.nodeCount, graph.fileEdgeCount, total)
}

function totalsOf(source: SnapshotSource, nodeCount: number, edgeCount: number, totalSelfSizeBytes: number): SnapshotTotals {
  return { path: source.path, fileSizeBytes: source.sizeBytes, nodeCount, edgeCount, totalSelfSizeBytes }
}

/**
 * Digests a graph.
 * @param classes the graph's class table, if already computed. @default classifyNodes(graph)
 */
export function digestSnapshot(graph: HeapGraph, classes: ClassTable = classifyNodes(graph)): SnapshotDigest {
  const { ids, ordinals } = sortById(graph.nodeId)
  return {
    totals: snapshotTotals(graph),
    ids,
    ordinals,
    classOf: classes.classOf,
    selfSize: graph.nodeSelfSize,
    largeSelfSizes: graph.largeSelfSizes,
    classNames: classes.names,
    classNodeTypes: classes.nodeTypes,
  }
}
