/**
 * Turns the scanned columns into a {@link HeapGraph} after checking that they agree with each
 * other and with the header: whole rows, declared counts, edge counts that add up, `to_node`
 * offsets on a row boundary, and type and string indices in range. A snapshot that passes can
 * be walked by the analyses without bounds checks.
 */
import { HeapGraph, type SnapshotSource } from '../graph.js'
import type { StringStore } from '../string-store.js'
import { SnapshotSyntaxError } from './chunk-reader.js'
import type { EdgeSink, NodeSink } from './column-sinks.js'
import type { SnapshotHeader } from './header.js'

/** File offsets where each section's value starts, for error messages. */
export interface SectionOffsets {
  nodes: number
  edges: number
  strings: number
}

/** A typed array cut to `length`: shared when it is already that long, else copied (freeing the slack). */
function fit<T extends Uint8Array | Uint32Array>(a: T, length: number): T {
  return (a.length === length ? a : a.slice(0, length)) as T
}

/** Validates the parts and builds the graph. Edge `to_node` values are converted to ordinals in place. */
export function assembleGraph(
  source: SnapshotSource,
  header: SnapshotHeader,
  nodes: NodeSink,
  edges: EdgeSink,
  strings: StringStore,
  at: SectionOffsets,
  edgesSkipped = false,
  /** With `edgesSkipped`: how many edges the file holds. */
  skippedEdgeCount = 0,
): HeapGraph {
  const nodeFieldCount = header.nodeFields.length
  const edgeFieldCount = header.edgeFields.length
  const fail = (offset: number, message: string) => new SnapshotSyntaxError(offset, message)
  if (nodes.partial !== 0) {
    throw fail(at.nodes, `'nodes' holds ${nodes.rows * nodeFieldCount + nodes.partial} numbers, not a multiple of the ${nodeFieldCount} node fields`)
  }
  if (edges.partial !== 0) {
    throw fail(at.edges, `'edges' holds ${edges.rows * edgeFieldCount + edges.partial} numbers, not a multiple of the ${edgeFieldCount} edge fields`)
  }
  const nodeCount = nodes.rows
  const edgeCount = edges.rows
  if (header.nodeCount !== undefined && header.nodeCount !== nodeCount) {
    throw fail(at.nodes, `the header declares ${header.nodeCount} nodes but 'nodes' holds ${nodeCount}`)
  }
  if (nodeCount === 0) throw fail(at.nodes, `'nodes' is empty; a heap snapshot has at least its root node`)
  if (edgesSkipped) return assembleNodesOnly(source, header, nodes, strings, at, skippedEdgeCount)
  if (header.edgeCount !== undefined && header.edgeCount !== edgeCount) {
    throw fail(at.edges, `the header declares ${header.edgeCount} edges but 'edges' holds ${edgeCount}`)
  }

  const { nodeType, nodeName } = checkNodes(header, nodes, strings, at)
  const firstEdge = fit(nodes.edgeCountsShifted, nodeCount + 1)
  // Prefix sum: edge counts become each node's first edge index.
  let sum = 0
  for (let o = 0; o < nodeCount; o++) {
    sum += firstEdge[o + 1]!
    if (sum > edgeCount) break
    firstEdge[o + 1] = sum
  }
  if (sum !== edgeCount) {
    throw fail(at.nodes, `the nodes' edge_count fields add up to ${sum > edgeCount ? `more than ${edgeCount}` : sum} but 'edges' holds ${edgeCount} edges`)
  }
  const stringCount = strings.length

  const edgeType = fit(edges.type, edgeCount)
  const edgeName = fit(edges.name, edgeCount)
  const edgeTo = fit(edges.toNode, edgeCount)
  const edgeTypeCount = header.edgeTypes.length
  const elementType = header.edgeTypes.indexOf('element')
  const hiddenType = header.edgeTypes.indexOf('hidden')
  const limit = nodeCount * nodeFieldCount
  for (let e = 0; e < edgeCount; e++) {
    const to = edgeTo[e]!
    const ordinal = Math.floor(to / nodeFieldCount)
    if (to >= limit || ordinal * nodeFieldCount !== to) {
      throw fail(at.edges, `edge ${e} has to_node ${to}, which is not the start of a node row (a multiple of ${nodeFieldCount} below ${limit})`)
    }
    edgeTo[e] = ordinal
    const t = edgeType[e]!
    if (t >= edgeTypeCount) throw fail(at.edges, `edge ${e} has type index ${t} but only ${edgeTypeCount} edge types are declared`)
    if (t !== elementType && t !== hiddenType && edgeName[e]! >= stringCount) {
      throw fail(at.edges, `edge ${e} names string ${edgeName[e]} but 'strings' holds ${stringCount}`)
    }
  }

  return new HeapGraph({
    source,
    nodeTypes: header.nodeTypes,
    edgeTypes: header.edgeTypes,
    nodeType,
    nodeName,
    nodeId: fit(nodes.id, nodeCount),
    nodeSelfSize: fit(nodes.selfSize, nodeCount),
    largeSelfSizes: nodes.largeSelfSizes,
    firstEdge,
    edgeType,
    edgeName,
    edgeTo,
    strings,
  })
}

/** Node columns, checked: type and name indices in range. */
function checkNodes(header: SnapshotHeader, nodes: NodeSink, strings: StringStore, at: SectionOffsets): { nodeType: Uint8Array; nodeName: Uint32Array } {
  const nodeCount = nodes.rows
  const nodeType = fit(nodes.type, nodeCount)
  const nodeName = fit(nodes.name, nodeCount)
  const stringCount = strings.length
  const nodeTypeCount = header.nodeTypes.length
  for (let o = 0; o < nodeCount; o++) {
    if (nodeType[o]! >= nodeTypeCount) throw new SnapshotSyntaxError(at.nodes, `node ${o} has type index ${nodeType[o]} but only ${nodeTypeCount} node types are declared`)
    if (nodeName[o]! >= stringCount) throw new SnapshotSyntaxError(at.nodes, `node ${o} names string ${nodeName[o]} but 'strings' holds ${stringCount}`)
  }
  return { nodeType, nodeName }
}

/** A graph of nodes and strings only (the parser skipped the edges): every node has no edges. */
function assembleNodesOnly(source: SnapshotSource, header: SnapshotHeader, nodes: NodeSink, strings: StringStore, at: SectionOffsets, fileEdgeCount: number): HeapGraph {
  const nodeCount = nodes.rows
  const { nodeType, nodeName } = checkNodes(header, nodes, strings, at)
  return new HeapGraph({
    source,
    nodeTypes: header.nodeTypes,
    edgeTypes: header.edgeTypes,
    nodeType,
    nodeName,
    nodeId: fit(nodes.id, nodeCount),
    nodeSelfSize: fit(nodes.selfSize, nodeCount),
    largeSelfSizes: nodes.largeSelfSizes,
    firstEdge: new Uint32Array(nodeCount + 1),
    edgeType: new Uint8Array(0),
    edgeName: new Uint32Array(0),
    edgeTo: new Uint32Array(0),
    strings,
    edgesSkipped: true,
    fileEdgeCount,
  })
}
