/**
 * Held size per class: every reachable object's self size is credited to the nearest *holder*
 * on its dominator path (itself included), or to its own class when it has none. A holder is an
 * object of a named class that code chose to keep: `CachedResponse`, `Socket`, `Error`; not a
 * built-in container (`Object`, `Array`, `Map`, `Buffer`, `ArrayBuffer`, ...), not V8's internal
 * objects (`system / Context`), not a string, array, closure, code or native backing store.
 *
 * Why not the per-class retained size (summary.ts) for ranking what grew: retained sizes nest.
 * The `Array` holding 3,000 `LeakedRequestLog`s retains everything they retain, so it ranks
 * first, and `system / Context` or `(closure)` above a module's state retain as much again; and
 * self size ranks the bytes' type (`(string)`, `system / JSArrayBufferData`) above the small
 * objects that keep them. Crediting each byte to one nearest holder partitions the reachable
 * heap (the classes' held sizes add up to it, nothing counts twice), keeps a data type's bytes
 * under the class that dominates them, and lets a container's own cost (its backing array) go
 * to whoever holds the container. A holder nested in a holder keeps what it holds itself: the
 * nearest one is the one whose code decided to keep the bytes.
 *
 * Bytes two holders share go to the nearest holder above both (their common dominator's);
 * bytes no holder dominates (a module-level Map's strings) stay with their own class, so held
 * equals self for them. Unreachable objects count nowhere, as in the retained size.
 */
import { UNREACHABLE, type DominatorTree } from './dominators.js'
import { ROOT_ORDINAL, type HeapGraph } from './graph.js'
import type { ClassTable } from './classes.js'

/**
 * Constructor names of JavaScript's and Node's built-in containers and byte wrappers: they store
 * data for whoever holds them, so they hold nothing themselves.
 */
export const BUILTIN_CONTAINERS: ReadonlySet<string> = new Set([
  'Object',
  'Array',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'Promise',
  'Arguments',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Buffer',
  'FastBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'String',
  'Number',
  'Boolean',
  'Symbol',
  'BigInt',
])

/**
 * Whether objects of a class hold what they dominate: plain objects of a named class (see the
 * file's header). Node types other than `object` never do, nor anonymous or `system / ...` names.
 * @example isHolderClass('object', 'CachedResponse') // true
 * @example isHolderClass('object', 'Map') // false
 * @example isHolderClass('native', 'system / JSArrayBufferData') // false
 */
export function isHolderClass(nodeType: string, className: string): boolean {
  return nodeType === 'object' && className !== '(anonymous)' && !className.startsWith('system /') && !BUILTIN_CONTAINERS.has(className)
}

/**
 * Held size of every class, in bytes, indexed like `table.names`. Linear in nodes: one walk of
 * the dominator tree's preorder (every node after its dominator), one 32-bit array per node.
 */
export function classHeldSizes(graph: HeapGraph, dom: DominatorTree, table: ClassTable): Float64Array {
  const { idom, order } = dom
  const { classOf } = table
  const holderClass = table.names.map((name, c) => isHolderClass(table.nodeTypes[c]!, name))
  const NONE = UNREACHABLE
  // The class credited with each node's self size: its own when it is a holder, else its dominator's.
  const creditTo = new Uint32Array(graph.nodeCount).fill(NONE)
  const held = new Float64Array(table.names.length)
  for (let i = 0; i < order.length; i++) {
    const v = order[i]!
    const c = classOf[v]!
    const up = v === ROOT_ORDINAL ? NONE : creditTo[idom[v]!]!
    const holder = holderClass[c] ? c : up
    creditTo[v] = holder
    held[holder === NONE ? c : holder]! += graph.selfSize(v)
  }
  return held
}
