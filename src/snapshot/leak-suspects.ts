/**
 * Leak suspects from three snapshots of one process, taken before, during and after a repeated
 * action (memlab's baseline / target / final): objects allocated between the first and second
 * (id not in 1, in 2) that are still alive in the third, after the action was undone. One-off
 * caches and warm-up allocations land before snapshot 1; transient objects die before 3. What
 * remains is grouped by class and by retainer path in snapshot 3.
 */
import { classifyNodes, type ClassTable } from './classes.js'
import type { SnapshotDigest, SnapshotTotals } from './digest.js'
import { snapshotTotals } from './digest.js'
import type { HeapGraph } from './graph.js'
import { ordinalsSortedById } from './id-order.js'
import { shortestPathTree, type PathTree } from './path-tree.js'
import { clusterRetainers, type ClusterOptions, type RetainerClusters } from './retainers.js'

/** Suspects of one class. */
export interface LeakSuspectClass {
  className: string
  nodeType: string
  /** Suspect objects of this class in snapshot 3. */
  count: number
  /** Their total self size, in bytes. */
  sizeBytes: number
  /** Their retainer paths in snapshot 3, clustered. */
  retainers: RetainerClusters
}

/** Result of {@link findLeakSuspects}. */
export interface LeakSuspects {
  snapshots: [SnapshotTotals, SnapshotTotals, SnapshotTotals]
  /** All suspect objects. */
  count: number
  sizeBytes: number
  /** Classes by total suspect size, largest first. */
  classes: LeakSuspectClass[]
}

/** Options of {@link findLeakSuspects}. */
export interface LeakSuspectOptions extends ClusterOptions {
  /** Classes to report, largest first. @default 20 */
  maxClasses?: number
  /** Ignore classes with fewer suspects than this (one-off allocations). @default 1 */
  minCount?: number
  /** Snapshot 3's class table, if already computed. @default classifyNodes(third) */
  classes?: ClassTable
  /** Snapshot 3's shortest-path tree, if already computed. @default shortestPathTree(third) */
  pathTree?: PathTree
}

/**
 * Finds objects new in `second` (relative to `first`) that survive in `third`.
 * @param first digest of snapshot 1 (baseline).
 * @param second digest of snapshot 2 (target).
 * @param third graph of snapshot 3 (final).
 */
export function findLeakSuspects(first: SnapshotDigest, second: SnapshotDigest, third: HeapGraph, options: LeakSuspectOptions = {}): LeakSuspects {
  const classes = options.classes ?? classifyNodes(third)
  const sorted3 = ordinalsSortedById(third.nodeId)
  const ids1 = first.ids
  const ids2 = second.ids
  const byClass = new Map<number, number[]>()
  let i1 = 0
  let i2 = 0
  let count = 0
  let sizeBytes = 0
  for (const o of sorted3) {
    const id = third.nodeId[o]!
    while (i2 < ids2.length && ids2[i2]! < id) i2++
    if (i2 >= ids2.length || ids2[i2] !== id) continue
    while (i1 < ids1.length && ids1[i1]! < id) i1++
    if (i1 < ids1.length && ids1[i1] === id) continue
    const c = classes.classOf[o]!
    let list = byClass.get(c)
    if (!list) byClass.set(c, (list = []))
    list.push(o)
    count++
    sizeBytes += third.selfSize(o)
  }
  const minCount = options.minCount ?? 1
  const ranked = [...byClass.entries()]
    .filter(([, list]) => list.length >= minCount)
    .map(([c, list]) => ({ c, list, size: list.reduce((s, o) => s + third.selfSize(o), 0) }))
    .sort((x, y) => y.size - x.size || y.list.length - x.list.length)
    .slice(0, options.maxClasses ?? 20)
  const tree = options.pathTree ?? (ranked.length > 0 ? shortestPathTree(third) : undefined)
  return {
    snapshots: [first.totals, second.totals, snapshotTotals(third)],
    count,
    sizeBytes,
    classes: ranked.map(({ c, list, size }) => ({
      className: classes.names[c]!,
      nodeType: classes.nodeTypes[c]!,
      count: list.length,
      sizeBytes: size,
      retainers: clusterRetainers(third, tree!, list, options),
    })),
  }
}
