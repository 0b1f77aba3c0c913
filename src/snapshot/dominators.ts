/**
 * Dominator tree and retained sizes, by Semi-NCA (Georgiadis & Tarjan; Lengauer–Tarjan's
 * semidominators with path compression, then immediate dominators as nearest common ancestors)
 * over typed arrays. Node `d` dominates `v` when every path from the root to `v` passes through
 * `d`; `v`'s retained size is what a GC would free if `v` became unreachable: the self sizes of
 * everything `v` dominates. Edges follow {@link HeapGraph.isEssentialEdge} (no weak edges, no
 * shortcuts except from the root), as in Chrome DevTools.
 *
 * Memory is what limits parsing 1 GB snapshots, so the arrays are few and reused: while it runs,
 * seven 32-bit arrays per node plus 4 bytes per strong edge (the predecessor lists); afterwards,
 * 16 bytes per node (immediate dominator, preorder, retained size). Nothing recurses, so long
 * chains (a linked list of millions of nodes) cannot overflow the stack.
 */
import { ROOT_ORDINAL, type HeapGraph } from './graph.js'

/** Marks unreachable nodes in {@link DominatorTree.idom}. */
export const UNREACHABLE = 0xffff_ffff

/** Result of {@link computeDominators}. */
export interface DominatorTree {
  /** Immediate dominator of each node by ordinal; the root's is itself; {@link UNREACHABLE} if unreachable. */
  idom: Uint32Array
  /** Retained size of each node in bytes (its self size if unreachable). */
  retainedSize: Float64Array
  /** Reachable nodes in depth-first preorder from the root: every node comes after its dominator. */
  order: Uint32Array
}

/** Computes the dominator tree of the nodes reachable from the root, and retained sizes. */
export function computeDominators(graph: HeapGraph): DominatorTree {
  const nodeCount = graph.nodeCount
  const dfs = depthFirst(graph)
  const { vertex, n } = dfs
  const { predStart, preds } = predecessors(graph, dfs.dfn, vertex, n)
  // dfn is not needed any more: its buffer becomes the path-compression stack, and the DFS's
  // edge cursors become the forest's ancestor links.
  const idomDfn = semiNca(n, dfs.parent, predStart, preds, dfs.dfn, dfs.nextEdge)

  const idom = new Uint32Array(nodeCount).fill(UNREACHABLE)
  idom[ROOT_ORDINAL] = ROOT_ORDINAL
  for (let w = 2; w <= n; w++) idom[vertex[w]!] = vertex[idomDfn[w]!]!
  const retainedSize = new Float64Array(nodeCount)
  for (let o = 0; o < nodeCount; o++) retainedSize[o] = graph.selfSize(o)
  // A dominator has a smaller DFS number than the nodes it dominates, so walking DFS numbers
  // downwards adds each subtree's total to its parent after the subtree is complete.
  for (let w = n; w >= 2; w--) {
    const v = vertex[w]!
    retainedSize[idom[v]!]! += retainedSize[v]!
  }
  return { idom, retainedSize, order: vertex.subarray(1, n + 1) }
}

interface DepthFirst {
  /** DFS number of each node by ordinal (0 = unreachable). */
  dfn: Uint32Array
  /** Ordinal of each DFS number (1-based). */
  vertex: Uint32Array
  /** DFS number of each DFS number's tree parent. */
  parent: Uint32Array
  /** Scratch (N + 1 entries) left over from the walk, for reuse. */
  nextEdge: Uint32Array
  /** Reachable nodes. */
  n: number
}

/**
 * Iterative DFS from the root over essential edges, numbering nodes in preorder. The DFS stack
 * is the tree path from the root to the current node, so `parent` doubles as the stack and
 * `nextEdge` (per DFS number) as each frame's edge cursor.
 */
function depthFirst(graph: HeapGraph): DepthFirst {
  const nodeCount = graph.nodeCount
  const { firstEdge, edgeTo, edgeType } = graph
  const weak = graph.types.edgeWeak
  const shortcut = graph.types.edgeShortcut
  const dfn = new Uint32Array(nodeCount)
  const vertex = new Uint32Array(nodeCount + 1)
  const parent = new Uint32Array(nodeCount + 1)
  const nextEdge = new Uint32Array(nodeCount + 1)
  let k = 1
  dfn[ROOT_ORDINAL] = 1
  vertex[1] = ROOT_ORDINAL
  nextEdge[1] = firstEdge[ROOT_ORDINAL]!
  let cur = 1
  while (cur !== 0) {
    const v = vertex[cur]!
    const end = firstEdge[v + 1]!
    let e = nextEdge[cur]!
    let child = 0
    for (; e < end; e++) {
      const t = edgeType[e]!
      if (t === weak || (t === shortcut && v !== ROOT_ORDINAL)) continue
      const w = edgeTo[e]!
      if (dfn[w] !== 0) continue
      child = ++k
      dfn[w] = child
      vertex[child] = w
      parent[child] = cur
      nextEdge[child] = firstEdge[w]!
      e++
      break
    }
    nextEdge[cur] = e
    cur = child !== 0 ? child : parent[cur]!
  }
  return { dfn, vertex, parent, nextEdge, n: k }
}

/** Predecessor lists (CSR) in DFS-number space, reachable nodes and essential edges only. */
function predecessors(graph: HeapGraph, dfn: Uint32Array, vertex: Uint32Array, n: number): { predStart: Uint32Array; preds: Uint32Array } {
  const { firstEdge, edgeTo, edgeType } = graph
  const weak = graph.types.edgeWeak
  const shortcut = graph.types.edgeShortcut
  const predStart = new Uint32Array(n + 2)
  for (let k = 1; k <= n; k++) {
    const v = vertex[k]!
    for (let e = firstEdge[v]!, end = firstEdge[v + 1]!; e < end; e++) {
      const t = edgeType[e]!
      if (t === weak || (t === shortcut && v !== ROOT_ORDINAL)) continue
      const w = dfn[edgeTo[e]!]!
      if (w !== 0) predStart[w + 1]!++
    }
  }
  for (let k = 1; k <= n + 1; k++) predStart[k]! += predStart[k - 1]!
  const preds = new Uint32Array(predStart[n + 1]!)
  const fill = predStart.slice(0, n + 1)
  for (let k = 1; k <= n; k++) {
    const v = vertex[k]!
    for (let e = firstEdge[v]!, end = firstEdge[v + 1]!; e < end; e++) {
      const t = edgeType[e]!
      if (t === weak || (t === shortcut && v !== ROOT_ORDINAL)) continue
      const w = dfn[edgeTo[e]!]!
      if (w !== 0) preds[fill[w]!++] = k
    }
  }
  return { predStart, preds }
}

/**
 * Semi-NCA on DFS numbers 1..n (1 = root): semidominators as in Lengauer–Tarjan (eval with
 * path compression over the forest of processed vertices), then each immediate dominator is the
 * nearest ancestor of the tree parent whose number is at most the semidominator.
 * `path` (at least n entries) and `ancestor` (n + 1, any content) are scratch buffers.
 * @returns the immediate dominator of each DFS number, in `parent`'s buffer.
 */
function semiNca(n: number, parent: Uint32Array, predStart: Uint32Array, preds: Uint32Array, path: Uint32Array, ancestor: Uint32Array): Uint32Array {
  const semi = new Uint32Array(n + 1)
  const label = new Uint32Array(n + 1)
  for (let i = 1; i <= n; i++) {
    semi[i] = i
    label[i] = i
    ancestor[i] = 0
  }
  // eval(v): the vertex with the smallest semidominator on v's forest path (compressing it).
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v
    let top = 0
    let x = v
    path[top++] = x
    while (ancestor[ancestor[x]!] !== 0) {
      x = ancestor[x]!
      path[top++] = x
    }
    // Compress from the vertex nearest the forest root back down to v.
    for (let i = top - 2; i >= 0; i--) {
      const y = path[i]!
      const a = ancestor[y]!
      if (semi[label[a]!]! < semi[label[y]!]!) label[y] = label[a]!
      ancestor[y] = ancestor[a]!
    }
    return label[v]!
  }
  for (let w = n; w >= 2; w--) {
    let s = semi[w]!
    for (let p = predStart[w]!, end = predStart[w + 1]!; p < end; p++) {
      const u = evaluate(preds[p]!)
      if (semi[u]! < s) s = semi[u]!
    }
    semi[w] = s
    ancestor[w] = parent[w]!
  }
  // parent[w] becomes idom[w]: vertices are finished in increasing order, so every number below
  // w already holds its immediate dominator when w climbs through it.
  const idom = parent
  idom[1] = 1
  for (let w = 2; w <= n; w++) {
    let d = idom[w]!
    while (d > semi[w]!) d = idom[d]!
    idom[w] = d
  }
  return idom
}
