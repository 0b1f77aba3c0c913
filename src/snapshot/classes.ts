/**
 * Groups nodes into classes the way Chrome DevTools' Summary view does: objects and native
 * objects by constructor name (`Planted`, `Map`, `system / Context`), every other node type by the
 * type itself in parentheses (`(string)`, `(closure)`, `(array)`, `(compiled code)`, `(system)`
 * for hidden nodes).
 */
import type { HeapGraph } from './graph.js'

/** Nodes grouped into classes. */
export interface ClassTable {
  /** Class index of each node, by ordinal. */
  classOf: Uint32Array
  /** Display name of each class. */
  names: string[]
  /** Node type of each class's nodes (e.g. `'object'`, `'string'`). */
  nodeTypes: string[]
}

/**
 * The DevTools class name of a node.
 * @example classNameFor('object', 'Planted') // 'Planted'
 * @example classNameFor('closure', 'run') // '(closure)'
 */
export function classNameFor(nodeType: string, name: string): string {
  switch (nodeType) {
    case 'object':
    case 'native':
      return name === '' ? '(anonymous)' : name
    case 'hidden':
      return '(system)'
    case 'code':
      return '(compiled code)'
    default:
      return `(${nodeType})`
  }
}

/** A stable key for a class across snapshots: node type and class name. */
export function classKey(nodeType: string, className: string): string {
  return `${nodeType}\u0000${className}`
}

/**
 * Assigns every node a class. Linear in nodes; names are decoded once per distinct name, not
 * per node. Classes that share a name (a producer that did not deduplicate its strings) are merged.
 */
export function classifyNodes(graph: HeapGraph): ClassTable {
  const n = graph.nodeCount
  const classOf = new Uint32Array(n)
  const { object, native } = graph.types
  // Per-name lookup tables for the two named types; -1 = not seen yet.
  const byObjectName = object >= 0 ? new Int32Array(graph.strings.length).fill(-1) : undefined
  const byNativeName = native >= 0 ? new Int32Array(graph.strings.length).fill(-1) : undefined
  const byType = new Int32Array(graph.nodeTypes.length).fill(-1)
  const names: string[] = []
  const nodeTypes: string[] = []
  const index = new Map<string, number>()
  const classFor = (o: number): number => {
    const typeName = graph.nodeTypeName(o)
    const name = classNameFor(typeName, typeName === 'object' || typeName === 'native' ? graph.nodeNameOf(o) : '')
    const key = classKey(typeName, name)
    let c = index.get(key)
    if (c === undefined) {
      c = names.length
      index.set(key, c)
      names.push(name)
      nodeTypes.push(typeName)
    }
    return c
  }
  const nodeType = graph.nodeType
  const nodeName = graph.nodeName
  for (let o = 0; o < n; o++) {
    const t = nodeType[o]!
    const table = t === object ? byObjectName : t === native ? byNativeName : undefined
    const slot = table ? nodeName[o]! : t
    const lookup = table ?? byType
    let c = lookup[slot]!
    if (c < 0) {
      c = classFor(o)
      lookup[slot] = c
    }
    classOf[o] = c
  }
  return { classOf, names, nodeTypes }
}
