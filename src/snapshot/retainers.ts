/**
 * Retainer paths: why an object is still alive, as the chain of references from a GC root.
 * A path is rendered for people the way they think about it, e.g.
 * `Map (global leakyCache) → table → Planted`: it starts at the first object under a user root
 * (or at V8's root category, such as `(Global handles)`), names the edges that have names, and
 * leaves out V8's internal storage (hash tables, property and element backing arrays) and the
 * meaningless slot numbers inside it. Paths that differ only in array indices cluster together.
 */
import { classNameFor } from './classes.js'
import { ROOT_ORDINAL, type HeapGraph } from './graph.js'
import { NO_PARENT, type PathTree } from './path-tree.js'

/** One reference on a retainer path: the edge followed and the node it reaches. */
export interface RetainerStep {
  /** Edge type, e.g. `property`, `element`, `internal`, `context`. */
  edgeType: string
  /** Property or variable name, or the index for element and hidden edges. */
  edge: string | number
  nodeId: number
  /** Node type, e.g. `object`, `array`, `synthetic`. */
  nodeType: string
  /** DevTools class name, e.g. `Map`, `(array)`. */
  className: string
}

/** A path from a root to one object. */
export interface RetainerPath {
  /** Id of the object the path leads to. */
  nodeId: number
  /** Steps from the root's child down to the object. */
  steps: RetainerStep[]
  /** Human rendering, e.g. `Map (global leakyCache) → table → Planted`. */
  text: string
}

/** Paths longer than this are cut (they only arise in pathological graphs). */
const MAX_STEPS = 1000

/** Node types that are V8 storage rather than objects a user created; they are not printed. */
const INTERNAL_TYPES = new Set(['hidden', 'array', 'code', 'object shape'])

/** The shortest path to node `o`, or undefined when it is unreachable from the roots. */
export function retainerPath(graph: HeapGraph, tree: PathTree, o: number): RetainerPath | undefined {
  if (tree.parentNode[o] === NO_PARENT) return undefined
  const chain: number[] = []
  for (let v = o; v !== ROOT_ORDINAL && chain.length < MAX_STEPS; v = tree.parentNode[v]!) chain.push(v)
  chain.reverse()
  const steps = chain.map((v): RetainerStep => {
    const e = tree.parentEdge[v]!
    const nodeType = graph.nodeTypeName(v)
    return {
      edgeType: graph.edgeTypeName(e),
      edge: graph.edgeLabel(e),
      nodeId: graph.nodeId[v]!,
      nodeType,
      className: displayName(graph, v, nodeType),
    }
  })
  return { nodeId: graph.nodeId[o]!, steps, text: renderRetainerPath(steps) }
}

/** Closures are shown by function name; everything else by DevTools class name. */
function displayName(graph: HeapGraph, v: number, nodeType: string): string {
  if (nodeType === 'closure') {
    const name = graph.nodeNameOf(v)
    return name === '' ? '(anonymous function)' : `${name}()`
  }
  if (nodeType === 'synthetic') return graph.nodeNameOf(v)
  return classNameFor(nodeType, graph.nodeNameOf(v))
}

/**
 * Renders steps as text (see the module comment).
 * @example renderRetainerPath(steps) // 'Map (global leakyCache) → table → Planted'
 */
export function renderRetainerPath(steps: readonly RetainerStep[]): string {
  if (steps.length === 0) return '(root)'
  const tokens: string[] = []
  let i = 0
  const first = steps[0]!
  if (first.nodeType !== 'synthetic') {
    // A user root (the global object): name the first object by the variable that holds it.
    if (steps.length === 1) return first.className
    const next = steps[1]!
    tokens.push(`${next.className} (${first.className} ${String(next.edge)})`)
    i = 2
  } else {
    // V8's root categories: skip "(GC roots)" and show the category, e.g. "(Global handles)".
    while (i < steps.length - 1 && steps[i]!.nodeType === 'synthetic' && steps[i + 1]!.nodeType === 'synthetic') i++
    tokens.push(steps[i]!.className)
    i++
  }
  for (; i < steps.length; i++) {
    const step = steps[i]!
    // Slot numbers inside V8 storage and root lists mean nothing to a reader.
    const prevType = steps[i - 1]!.nodeType
    const fromInternal = INTERNAL_TYPES.has(prevType) || prevType === 'synthetic'
    const label = edgeToken(step, fromInternal)
    if (label !== undefined) tokens.push(label)
    if (!INTERNAL_TYPES.has(step.nodeType) || i === steps.length - 1) tokens.push(step.className)
  }
  return tokens.join(' → ')
}

function edgeToken(step: RetainerStep, fromInternal: boolean): string | undefined {
  const numeric = typeof step.edge === 'number' || /^\d+$/.test(step.edge)
  if (step.edgeType === 'hidden' || step.edgeType === 'weak') return undefined
  if (numeric) return fromInternal ? undefined : `[${step.edge}]`
  return step.edge === '' ? undefined : String(step.edge)
}

/** A path with array indices blanked, so objects in the same collection share one signature. */
export function pathSignature(text: string): string {
  return text.replace(/\[\d+\]/g, '[]')
}

/** Objects that share a retainer path (up to array indices). */
export interface RetainerCluster {
  /** Objects examined that have this path. */
  count: number
  /** Their total self size, in bytes. */
  sizeBytes: number
  /** The path of the first such object (with its real indices). */
  path: RetainerPath
}

/** Result of {@link clusterRetainers}. */
export interface RetainerClusters {
  /** Objects whose paths were computed (at most `maxExamined`, spread evenly over the input). */
  examined: number
  /** Examined objects with no path from a root (garbage the snapshot still listed). */
  unreachable: number
  /** Most common paths first (then largest size). */
  clusters: RetainerCluster[]
}

/**
 * Objects per class whose paths are computed by default. A share estimated from 2,000 evenly
 * spread samples is within about ±2 percentage points, and the paths cost ~2 µs each.
 */
export const DEFAULT_MAX_EXAMINED = 2000

/** Options of {@link clusterRetainers}. */
export interface ClusterOptions {
  /** Objects to examine at most; the rest are sampled evenly. @default 2000 */
  maxExamined?: number
  /** Clusters to return at most. @default 3 */
  maxClusters?: number
}

/**
 * Groups objects (ordinals) by retainer path signature. Paths are first grouped by a structural
 * key (edge types, edge names, node types and names, by string index: no text is decoded per
 * object), then one path per group is rendered and groups that render alike are merged.
 */
export function clusterRetainers(graph: HeapGraph, tree: PathTree, ordinals: ArrayLike<number>, options: ClusterOptions = {}): RetainerClusters {
  const maxExamined = Math.max(1, options.maxExamined ?? DEFAULT_MAX_EXAMINED)
  const stride = Math.max(1, ordinals.length / maxExamined)
  const keyOf = pathKeyFunction(graph, tree)
  const groups = new Map<number, { count: number; sizeBytes: number; sample: number }>()
  let examined = 0
  let unreachable = 0
  for (let x = 0; x < ordinals.length; x += stride) {
    const o = ordinals[Math.floor(x)]!
    examined++
    const key = keyOf(o)
    if (key === undefined) {
      unreachable++
      continue
    }
    const group = groups.get(key)
    if (group) {
      group.count++
      group.sizeBytes += graph.selfSize(o)
    } else {
      groups.set(key, { count: 1, sizeBytes: graph.selfSize(o), sample: o })
    }
  }
  const bySignature = new Map<string, RetainerCluster>()
  for (const group of groups.values()) {
    const path = retainerPath(graph, tree, group.sample)!
    const signature = pathSignature(path.text)
    const cluster = bySignature.get(signature)
    if (cluster) {
      cluster.count += group.count
      cluster.sizeBytes += group.sizeBytes
    } else {
      bySignature.set(signature, { count: group.count, sizeBytes: group.sizeBytes, path })
    }
  }
  const clusters = [...bySignature.values()].sort((a, b) => b.count - a.count || b.sizeBytes - a.sizeBytes)
  return { examined, unreachable, clusters: clusters.slice(0, options.maxClusters ?? 3) }
}

/**
 * A function from node ordinal to a structural key of its path (undefined when unreachable).
 * Two paths with equal keys render to the same signature; the converse is settled by merging.
 * Keys are interned as numbers and memoised per node, so objects that share a parent (10,000
 * entries of one Map) cost one step each instead of a walk to the root.
 */
function pathKeyFunction(graph: HeapGraph, tree: PathTree): (o: number) => number | undefined {
  const { parentNode, parentEdge } = tree
  const { edgeType, edgeName, nodeType, nodeName } = graph
  const { object, native, closure, synthetic } = graph.types
  // Per string: 0 not yet known, 1 all digits (a slot number, blanked), 2 a real name.
  const numeric = new Uint8Array(graph.strings.length)
  const labelOf = (e: number): number => {
    if (graph.edgeHasIndex(e)) return -1
    const name = edgeName[e]!
    if (numeric[name] === 0) numeric[name] = /^\d+$/.test(graph.strings.get(name) ?? '') ? 1 : 2
    return numeric[name] === 1 ? -1 : name
  }
  const interned = new Map<string, number>()
  const memo = new Map<number, number>([[ROOT_ORDINAL, 0]])
  const chain: number[] = []
  return (o) => {
    if (parentNode[o] === NO_PARENT) return undefined
    // Walk up to the nearest node whose key is known, then intern keys back down.
    let v = o
    while (!memo.has(v) && chain.length < MAX_STEPS) {
      chain.push(v)
      v = parentNode[v]!
    }
    let key = memo.get(v) ?? 0
    while (chain.length > 0) {
      const w = chain.pop()!
      const e = parentEdge[w]!
      const t = nodeType[w]!
      // Only these types are shown by name; strings, arrays and the like by type alone.
      const named = t === object || t === native || t === closure || t === synthetic
      const step = `${key}/${edgeType[e]}.${labelOf(e)}.${t}.${named ? nodeName[w] : -1}`
      let id = interned.get(step)
      if (id === undefined) interned.set(step, (id = interned.size + 1))
      memo.set(w, id)
      key = id
    }
    return key
  }
}
