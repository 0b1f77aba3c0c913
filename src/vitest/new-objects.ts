/**
 * What a snapshot holds that is newer than an object-id mark, by constructor, with one retainer
 * path each: the snapshot module's parser, class table, shortest-path tree and retainer clusters.
 */
import { classifyNodes, clusterRetainers, parseHeapSnapshot, shortestPathTree } from '../snapshot/index.js'

/** One constructor that grew. */
export interface GrowingConstructor {
  className: string
  nodeType: string
  /** New objects of this class still alive. */
  count: number
  /** Their total self size, in bytes. */
  sizeBytes: number
  /** Rendered retainer path of the most common kind, e.g. `Map (global cache) → table → Request`. */
  retainerPath: string | null
}

/**
 * Left out: V8's own bookkeeping (compiled code, shapes, feedback), which grows with any code that
 * runs, and native (embedder) nodes, which get fresh ids in every snapshot so an id says nothing
 * about when they were made.
 */
const SKIPPED_TYPES = new Set(['hidden', 'code', 'object shape', 'synthetic', 'number', 'native'])
const SKIPPED_NAME = /^(?:system|Node) \/ /

/** Constructors a user writes (`LeakyRequest`, `Map`) before V8's storage kinds (`(array)`, `(string)`). */
const userFirst = (c: { className: string }) => (c.className.startsWith('(') ? 1 : 0)

/**
 * Objects with an id above `mark` in the snapshot at `path`, grouped by class; the `top` classes,
 * user constructors first, each by total self size.
 */
export async function growingSince(path: string, mark: number, top: number): Promise<GrowingConstructor[]> {
  const graph = await parseHeapSnapshot(path)
  const classes = classifyNodes(graph)
  const byClass = new Map<number, number[]>()
  for (let o = 0; o < graph.nodeCount; o++) {
    if (graph.nodeId[o]! <= mark) continue
    if (SKIPPED_TYPES.has(graph.nodeTypeName(o))) continue
    const c = classes.classOf[o]!
    if (SKIPPED_NAME.test(classes.names[c]!)) continue
    let list = byClass.get(c)
    if (!list) byClass.set(c, (list = []))
    list.push(o)
  }
  const ranked = [...byClass.entries()]
    .map(([c, list]) => ({ c, list, className: classes.names[c]!, sizeBytes: list.reduce((s, o) => s + graph.selfSize(o), 0) }))
    .sort((x, y) => userFirst(x) - userFirst(y) || y.sizeBytes - x.sizeBytes || y.list.length - x.list.length)
    .slice(0, top)
  if (ranked.length === 0) return []
  const tree = shortestPathTree(graph)
  return ranked.map(({ c, list, className, sizeBytes }) => {
    const clusters = clusterRetainers(graph, tree, Uint32Array.from(list), { maxClusters: 1, maxExamined: 100 })
    return { className, nodeType: classes.nodeTypes[c]!, count: list.length, sizeBytes, retainerPath: clusters.clusters[0]?.path.text ?? null }
  })
}
