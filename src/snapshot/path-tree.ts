/**
 * Shortest retaining paths from the GC roots, for every node at once: a breadth-first search
 * over strong edges that records each node's parent and the edge it was reached by. As in Chrome
 * DevTools, user roots (the root's non-synthetic children: in Node.js the global object) are
 * searched first, so a path through `global.cache` is preferred over an equally short one
 * through V8's internal root lists.
 */
import { ROOT_ORDINAL, type HeapGraph } from './graph.js'

/** Marks nodes with no path in {@link PathTree.parentNode}. */
export const NO_PARENT = 0xffff_ffff

/** Parent pointers of a breadth-first search from the root. */
export interface PathTree {
  /** Parent of each node by ordinal; the root's is itself; {@link NO_PARENT} when unreachable. */
  parentNode: Uint32Array
  /** Edge from the parent to each node (undefined for the root and unreachable nodes). */
  parentEdge: Uint32Array
}

/** Builds the shortest-path tree. Linear in nodes and edges; 12 bytes per node while it runs. */
export function shortestPathTree(graph: HeapGraph): PathTree {
  const n = graph.nodeCount
  const { firstEdge, edgeTo, edgeType, nodeType } = graph
  const weak = graph.types.edgeWeak
  const shortcut = graph.types.edgeShortcut
  const parentNode = new Uint32Array(n).fill(NO_PARENT)
  const parentEdge = new Uint32Array(n)
  const queue = new Uint32Array(n)
  let head = 0
  let tail = 0
  const synthetic = graph.types.synthetic
  parentNode[ROOT_ORDINAL] = ROOT_ORDINAL
  // Phase 1: user roots.
  for (let e = firstEdge[ROOT_ORDINAL]!, end = firstEdge[ROOT_ORDINAL + 1]!; e < end; e++) {
    const w = edgeTo[e]!
    if (!graph.isEssentialEdge(ROOT_ORDINAL, e) || nodeType[w] === synthetic || parentNode[w] !== NO_PARENT) continue
    parentNode[w] = ROOT_ORDINAL
    parentEdge[w] = e
    queue[tail++] = w
  }
  // Phase 2 starts from the root once the user roots' reach is exhausted; the root is already
  // marked, so it is enqueued by hand.
  let rootQueued = false
  for (;;) {
    if (head === tail) {
      if (rootQueued) break
      rootQueued = true
      queue[tail++] = ROOT_ORDINAL
    }
    const v = queue[head++]!
    for (let e = firstEdge[v]!, end = firstEdge[v + 1]!; e < end; e++) {
      const w = edgeTo[e]!
      if (parentNode[w] !== NO_PARENT) continue
      // graph.isEssentialEdge, inlined: this loop runs once per edge.
      const t = edgeType[e]!
      if (t === weak || (t === shortcut && v !== ROOT_ORDINAL)) continue
      parentNode[w] = v
      parentEdge[w] = e
      queue[tail++] = w
    }
  }
  return { parentNode, parentEdge }
}
