/**
 * A parsed heap snapshot held as typed-array columns: no JS object per node or edge, so a graph
 * of millions of nodes costs ~17 bytes per node and ~9 per edge. Nodes are addressed by
 * *ordinal* (0..nodeCount-1; the file's `to_node` offsets are divided by the node field count
 * at parse time) and edges by their index in file order; node `n`'s outgoing edges are
 * `firstEdge[n] .. firstEdge[n + 1] - 1`. Node 0 is V8's synthetic root.
 */
import type { StringStore } from './string-store.js'

/** Where a graph came from. */
export interface SnapshotSource {
  /** Absolute path of the `.heapsnapshot` file. */
  path: string
  /** File size in bytes. */
  sizeBytes: number
}

/** Column arrays and tables that make up a graph (the parser's output). */
export interface HeapGraphParts {
  source: SnapshotSource
  nodeTypes: readonly string[]
  edgeTypes: readonly string[]
  nodeType: Uint8Array
  nodeName: Uint32Array
  nodeId: Uint32Array
  /** Self sizes in bytes; `0xffffffff` means "see `largeSelfSizes`". */
  nodeSelfSize: Uint32Array
  largeSelfSizes: ReadonlyMap<number, number>
  firstEdge: Uint32Array
  edgeType: Uint8Array
  edgeName: Uint32Array
  edgeTo: Uint32Array
  strings: StringStore
  /** True when the parser was asked to skip the edges (see `ParseOptions.skipEdges`). @default false */
  edgesSkipped?: boolean
  /** Edges the file holds, read or not. @default edgeTo.length */
  fileEdgeCount?: number
}

/** Indices of the node and edge types the analyses care about; -1 when a snapshot lacks one. */
export interface TypeIds {
  hidden: number
  array: number
  string: number
  object: number
  code: number
  closure: number
  native: number
  synthetic: number
  edgeElement: number
  edgeHidden: number
  edgeProperty: number
  edgeInternal: number
  edgeContext: number
  edgeShortcut: number
  edgeWeak: number
}

/** The synthetic root's ordinal (V8 always writes it first). */
export const ROOT_ORDINAL = 0

/**
 * A parsed snapshot: the columns plus helpers that name types and decode strings.
 * @example
 * const g = await parseHeapSnapshot('app.heapsnapshot')
 * for (let e = g.firstEdge[0]!; e < g.firstEdge[1]!; e++) console.log(g.edgeLabel(e), g.nodeNameOf(g.edgeTo[e]!))
 */
export class HeapGraph implements HeapGraphParts {
  readonly source: SnapshotSource
  readonly nodeTypes: readonly string[]
  readonly edgeTypes: readonly string[]
  readonly nodeType: Uint8Array
  readonly nodeName: Uint32Array
  readonly nodeId: Uint32Array
  readonly nodeSelfSize: Uint32Array
  readonly largeSelfSizes: ReadonlyMap<number, number>
  readonly firstEdge: Uint32Array
  readonly edgeType: Uint8Array
  readonly edgeName: Uint32Array
  readonly edgeTo: Uint32Array
  readonly strings: StringStore
  readonly types: TypeIds
  /** True when the edges were not read: counts and ids are valid, reachability is not. */
  readonly edgesSkipped: boolean
  /** Edges the snapshot file holds, also when they were skipped ({@link edgeCount} is what was read). */
  readonly fileEdgeCount: number

  constructor(parts: HeapGraphParts) {
    this.source = parts.source
    this.nodeTypes = parts.nodeTypes
    this.edgeTypes = parts.edgeTypes
    this.nodeType = parts.nodeType
    this.nodeName = parts.nodeName
    this.nodeId = parts.nodeId
    this.nodeSelfSize = parts.nodeSelfSize
    this.largeSelfSizes = parts.largeSelfSizes
    this.firstEdge = parts.firstEdge
    this.edgeType = parts.edgeType
    this.edgeName = parts.edgeName
    this.edgeTo = parts.edgeTo
    this.strings = parts.strings
    this.edgesSkipped = parts.edgesSkipped ?? false
    this.fileEdgeCount = parts.fileEdgeCount ?? parts.edgeTo.length
    const n = (name: string) => parts.nodeTypes.indexOf(name)
    const e = (name: string) => parts.edgeTypes.indexOf(name)
    this.types = {
      hidden: n('hidden'),
      array: n('array'),
      string: n('string'),
      object: n('object'),
      code: n('code'),
      closure: n('closure'),
      native: n('native'),
      synthetic: n('synthetic'),
      edgeElement: e('element'),
      edgeHidden: e('hidden'),
      edgeProperty: e('property'),
      edgeInternal: e('internal'),
      edgeContext: e('context'),
      edgeShortcut: e('shortcut'),
      edgeWeak: e('weak'),
    }
  }

  /** Number of nodes. */
  get nodeCount(): number {
    return this.nodeType.length
  }

  /** Number of edges. */
  get edgeCount(): number {
    return this.edgeTo.length
  }

  /** Node `o`'s self (shallow) size in bytes. */
  selfSize(o: number): number {
    const s = this.nodeSelfSize[o]!
    return s === 0xffff_ffff ? (this.largeSelfSizes.get(o) ?? s) : s
  }

  /** Node `o`'s type name, e.g. `'object'`. */
  nodeTypeName(o: number): string {
    return this.nodeTypes[this.nodeType[o]!] ?? 'unknown'
  }

  /** Node `o`'s name (constructor name for objects, text for strings). */
  nodeNameOf(o: number): string {
    return this.strings.get(this.nodeName[o]!) ?? ''
  }

  /** Edge `e`'s type name, e.g. `'property'`. */
  edgeTypeName(e: number): string {
    return this.edgeTypes[this.edgeType[e]!] ?? 'unknown'
  }

  /** True when edge `e`'s `name_or_index` is an index (element and hidden edges) rather than a string. */
  edgeHasIndex(e: number): boolean {
    const t = this.edgeType[e]!
    return t === this.types.edgeElement || t === this.types.edgeHidden
  }

  /** Edge `e`'s name, or its index as a number for element and hidden edges. */
  edgeLabel(e: number): string | number {
    return this.edgeHasIndex(e) ? this.edgeName[e]! : (this.strings.get(this.edgeName[e]!) ?? '')
  }

  /**
   * Whether edge `e` (leaving node `from`) counts for reachability, as in Chrome DevTools: weak
   * edges never retain, and shortcut edges only from the root (where they mark user roots such
   * as the global object; elsewhere they duplicate a longer real path).
   */
  isEssentialEdge(from: number, e: number): boolean {
    const t = this.edgeType[e]!
    return t !== this.types.edgeWeak && (t !== this.types.edgeShortcut || from === ROOT_ORDINAL)
  }
}
