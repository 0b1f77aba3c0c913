/**
 * Per-class summary of one snapshot: count, self size and retained size, as Chrome DevTools'
 * Summary view shows them. A class's retained size counts each object's retained size only when
 * no dominator of it belongs to the same class, so a linked list of 1,000 `Node`s counts once,
 * not 1,000 times over.
 */
import { classifyNodes, type ClassTable } from './classes.js'
import { computeDominators, UNREACHABLE, type DominatorTree } from './dominators.js'
import { ROOT_ORDINAL, type HeapGraph } from './graph.js'

/** One row of a summary. */
export interface ClassSummary {
  /** DevTools class name, e.g. `Planted`, `(string)`, `(closure)`. */
  className: string
  /** Node type of the class's objects, e.g. `object`, `string`, `native`. */
  nodeType: string
  /** Objects of this class (reachable or not). */
  count: number
  /** Sum of their self sizes, in bytes. */
  selfSizeBytes: number
  /** What a GC would free if all of them became unreachable, in bytes (reachable objects only). */
  retainedSizeBytes: number
}

/** Summary of a snapshot. */
export interface HeapSummary {
  nodeCount: number
  edgeCount: number
  /** Sum of all self sizes, in bytes. */
  totalSelfSizeBytes: number
  /** Self sizes of the nodes reachable from the root (the root's retained size), in bytes. */
  reachableSizeBytes: number
  /** Nodes not reachable from the root through strong edges. */
  unreachableCount: number
  /** Every class, largest retained size first (then self size, then name). */
  classes: ClassSummary[]
}

/** Precomputed inputs, to share work with other analyses. */
export interface SummaryInputs {
  /** @default computeDominators(graph) */
  dominators?: DominatorTree
  /** @default classifyNodes(graph) */
  classes?: ClassTable
}

/** Summarises a graph by class. Linear in nodes and edges after the dominator tree. */
export function summarizeHeap(graph: HeapGraph, inputs: SummaryInputs = {}): HeapSummary {
  const dom = inputs.dominators ?? computeDominators(graph)
  const table = inputs.classes ?? classifyNodes(graph)
  const classCount = table.names.length
  const count = new Float64Array(classCount)
  const self = new Float64Array(classCount)
  const { classOf } = table
  let totalSelf = 0
  let unreachable = 0
  for (let o = 0; o < graph.nodeCount; o++) {
    const c = classOf[o]!
    const s = graph.selfSize(o)
    count[c]!++
    self[c]! += s
    totalSelf += s
    if (dom.idom[o] === UNREACHABLE) unreachable++
  }
  const retained = classRetainedSizes(graph, dom, table)
  const classes: ClassSummary[] = []
  for (let c = 0; c < classCount; c++) {
    classes.push({ className: table.names[c]!, nodeType: table.nodeTypes[c]!, count: count[c]!, selfSizeBytes: self[c]!, retainedSizeBytes: retained[c]! })
  }
  classes.sort((a, b) => b.retainedSizeBytes - a.retainedSizeBytes || b.selfSizeBytes - a.selfSizeBytes || (a.className < b.className ? -1 : a.className > b.className ? 1 : 0))
  return {
    nodeCount: graph.nodeCount,
    edgeCount: graph.edgeCount,
    totalSelfSizeBytes: totalSelf,
    reachableSizeBytes: dom.retainedSize[ROOT_ORDINAL]!,
    unreachableCount: unreachable,
    classes,
  }
}

/**
 * Retained size per class: a depth-first walk of the dominator tree keeps, per class, how many
 * of the current node's dominators belong to it; a node adds its retained size only when that
 * count is zero. Synthetic nodes (the root, `(GC roots)` and its categories) are not classes
 * users can act on and would retain the whole heap, so they add nothing.
 */
function classRetainedSizes(graph: HeapGraph, dom: DominatorTree, table: ClassTable): Float64Array {
  const { idom, order, retainedSize } = dom
  const { classOf } = table
  const nodeCount = graph.nodeCount
  const classCount = table.names.length
  // Children of each node in the dominator tree (CSR over ordinals).
  const childStart = new Uint32Array(nodeCount + 1)
  for (let i = 1; i < order.length; i++) childStart[idom[order[i]!]! + 1]!++
  for (let o = 0; o < nodeCount; o++) childStart[o + 1]! += childStart[o]!
  const fill = childStart.slice(0, nodeCount)
  const children = new Uint32Array(Math.max(0, order.length - 1))
  for (let i = 1; i < order.length; i++) {
    const v = order[i]!
    children[fill[idom[v]!]!++] = v
  }

  const synthetic = graph.types.synthetic
  const active = new Uint32Array(classCount)
  const retained = new Float64Array(classCount)
  // Depth-first over the dominator tree without a stack: `fill` becomes each node's cursor into
  // its children, and a finished node returns to its parent through `idom`.
  const cursor = fill
  cursor.set(childStart.subarray(0, nodeCount))
  const enter = (v: number) => {
    if (graph.nodeType[v] !== synthetic) {
      const c = classOf[v]!
      if (active[c]!++ === 0) retained[c]! += retainedSize[v]!
    }
  }
  let v = ROOT_ORDINAL
  enter(v)
  for (;;) {
    const next = cursor[v]!
    if (next < childStart[v + 1]!) {
      cursor[v] = next + 1
      v = children[next]!
      enter(v)
      continue
    }
    if (graph.nodeType[v] !== synthetic) active[classOf[v]!]!--
    if (v === ROOT_ORDINAL) break
    v = idom[v]!
  }
  return retained
}
