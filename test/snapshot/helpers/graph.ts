/** Builds {@link HeapGraph}s in memory from edge lists, for the analyses' unit tests. */
import { HeapGraph } from '../../../src/snapshot/graph.js'
import { StringStoreBuilder } from '../../../src/snapshot/string-store.js'
import { EDGE_TYPES, NODE_TYPES, type SynthNode } from './synthetic.js'

export interface EdgeSpec {
  from: number
  to: number
  /** @default 'property' */
  type?: string
  /** @default 'e' */
  name?: string | number
}

export interface NodeSpec {
  /** @default 'object' */
  type?: string
  /** @default 'N' */
  name?: string
  /** @default 1 */
  selfSize?: number
  /** @default 2 * ordinal + 1 */
  id?: number
}

/** A graph of `nodes.length` nodes (node 0 is the root) with the given edges. */
export function graphOf(nodes: readonly NodeSpec[], edges: readonly EdgeSpec[]): HeapGraph {
  const strings = new StringStoreBuilder()
  const index = new Map<string, number>()
  const str = (s: string) => {
    let i = index.get(s)
    if (i === undefined) {
      i = strings.length
      index.set(s, i)
      const bytes = Buffer.from(s)
      strings.begin()
      strings.append(bytes, 0, bytes.length)
      strings.end()
    }
    return i
  }
  const n = nodes.length
  const sorted = [...edges].sort((a, b) => a.from - b.from)
  const firstEdge = new Uint32Array(n + 1)
  for (const e of sorted) firstEdge[e.from + 1]!++
  for (let o = 0; o < n; o++) firstEdge[o + 1]! += firstEdge[o]!
  const edgeType = Uint8Array.from(sorted, (e) => EDGE_TYPES.indexOf(e.type ?? 'property'))
  const edgeName = Uint32Array.from(sorted, (e) => (typeof e.name === 'number' ? e.name : str(e.name ?? 'e')))
  return new HeapGraph({
    source: { path: '/memory/test.heapsnapshot', sizeBytes: 0 },
    nodeTypes: NODE_TYPES,
    edgeTypes: EDGE_TYPES,
    nodeType: Uint8Array.from(nodes, (s) => NODE_TYPES.indexOf(s.type ?? 'object')),
    nodeName: Uint32Array.from(nodes, (s) => str(s.name ?? 'N')),
    nodeId: Uint32Array.from(nodes, (s, o) => s.id ?? 2 * o + 1),
    nodeSelfSize: Uint32Array.from(nodes, (s) => s.selfSize ?? 1),
    largeSelfSizes: new Map(),
    firstEdge,
    edgeType,
    edgeName,
    edgeTo: Uint32Array.from(sorted, (e) => e.to),
    strings: strings.build(),
  })
}

/** Seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The in-memory graph of a {@link SynthNode} list (as the parser would build it from the text). */
export function graphOfSynth(nodes: readonly SynthNode[]): HeapGraph {
  return graphOf(
    nodes.map((n, o) => ({ type: n.type, name: n.name, selfSize: n.selfSize ?? 0, id: n.id ?? 2 * o + 1 })),
    nodes.flatMap((n, from) => (n.edges ?? []).map((e) => ({ from, to: e.to, type: e.type, name: e.name }))),
  )
}
