/**
 * What changed between two snapshots of the same process. V8 keeps an object's id across
 * snapshots, so an id only in `after` is an object allocated in between that survived, and an
 * id only in `before` is one that was freed. Per class: how many were added and removed, their
 * sizes, and the net change; sorted by growth.
 */
import { classKey } from './classes.js'
import { digestSelfSize, type SnapshotDigest, type SnapshotTotals } from './digest.js'

/** Change of one class. Sizes are self sizes in bytes. */
export interface ClassDiff {
  className: string
  nodeType: string
  countBefore: number
  countAfter: number
  sizeBeforeBytes: number
  sizeAfterBytes: number
  /** Objects whose id is only in `after`. */
  addedCount: number
  addedSizeBytes: number
  /** Objects whose id is only in `before`. */
  removedCount: number
  removedSizeBytes: number
  /** `countAfter - countBefore`. */
  netCount: number
  /** `sizeAfterBytes - sizeBeforeBytes`. */
  netSizeBytes: number
}

/** Result of {@link diffSnapshots}. */
export interface HeapDiff {
  before: SnapshotTotals
  after: SnapshotTotals
  addedCount: number
  addedSizeBytes: number
  removedCount: number
  removedSizeBytes: number
  /** Classes with objects added or removed or a change in size, largest net growth first. */
  classes: ClassDiff[]
  /** Ids present in both snapshots. */
  sharedIds: number
  /**
   * Shared ids whose object is of another class in `after` (strings of any kind count as one
   * class: V8 turns a concatenated string into a flat one in place). 0 between two snapshots of
   * one process; many when the snapshots come from two processes, whose ids mean nothing to each other.
   */
  mismatchedIds: number
}

/** Node types of strings: an object may move between them and stay the same object. */
const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string'])

/**
 * Whether two snapshots' ids can be matched, i.e. they come from one process: false when more
 * than a few of the ids both hold name objects of different classes (see {@link HeapDiff.mismatchedIds}).
 */
export function idsLookComparable(diff: Pick<HeapDiff, 'sharedIds' | 'mismatchedIds'>): boolean {
  return diff.mismatchedIds < Math.max(3, 0.02 * diff.sharedIds)
}

/** Compares two digests (before, after). Linear in their sizes. */
export function diffSnapshots(before: SnapshotDigest, after: SnapshotDigest): HeapDiff {
  const rows: ClassDiff[] = []
  const index = new Map<string, number>()
  const unify = (d: SnapshotDigest) =>
    Uint32Array.from(d.classNames, (name, c) => {
      const nodeType = d.classNodeTypes[c]!
      const key = classKey(nodeType, name)
      let r = index.get(key)
      if (r === undefined) {
        r = rows.length
        index.set(key, r)
        rows.push({ className: name, nodeType, countBefore: 0, countAfter: 0, sizeBeforeBytes: 0, sizeAfterBytes: 0, addedCount: 0, addedSizeBytes: 0, removedCount: 0, removedSizeBytes: 0, netCount: 0, netSizeBytes: 0 })
      }
      return r
    })
  const rowOfBefore = unify(before)
  const rowOfAfter = unify(after)
  // One "family" per row: strings of every kind share one, every other class is its own.
  const family = (row: number): number => (STRING_TYPES.has(rows[row]!.nodeType) ? -1 : row)
  let sharedIds = 0
  let mismatchedIds = 0
  const a = before.ids
  const b = after.ids
  let i = 0
  let j = 0
  let addedCount = 0
  let addedSize = 0
  let removedCount = 0
  let removedSize = 0
  while (i < a.length || j < b.length) {
    const idA = i < a.length ? a[i]! : Infinity
    const idB = j < b.length ? b[j]! : Infinity
    if (idA === idB) {
      sharedIds++
      if (family(rowOfBefore[before.classOf[before.ordinals[i]!]!]!) !== family(rowOfAfter[after.classOf[after.ordinals[j]!]!]!)) mismatchedIds++
    }
    if (idA <= idB) {
      const o = before.ordinals[i]!
      const row = rows[rowOfBefore[before.classOf[o]!]!]!
      const size = digestSelfSize(before, o)
      row.countBefore++
      row.sizeBeforeBytes += size
      if (idA < idB) {
        row.removedCount++
        row.removedSizeBytes += size
        removedCount++
        removedSize += size
      }
      i++
    }
    if (idB <= idA) {
      const o = after.ordinals[j]!
      const row = rows[rowOfAfter[after.classOf[o]!]!]!
      const size = digestSelfSize(after, o)
      row.countAfter++
      row.sizeAfterBytes += size
      if (idB < idA) {
        row.addedCount++
        row.addedSizeBytes += size
        addedCount++
        addedSize += size
      }
      j++
    }
  }
  for (const r of rows) {
    r.netCount = r.countAfter - r.countBefore
    r.netSizeBytes = r.sizeAfterBytes - r.sizeBeforeBytes
  }
  // Objects can also grow in place (same id, new size), e.g. a string builder's backing store.
  const classes = rows.filter((r) => r.addedCount > 0 || r.removedCount > 0 || r.netSizeBytes !== 0)
  classes.sort(
    (x, y) =>
      y.netSizeBytes - x.netSizeBytes ||
      y.netCount - x.netCount ||
      y.addedSizeBytes - x.addedSizeBytes ||
      (x.className < y.className ? -1 : x.className > y.className ? 1 : 0),
  )
  return { before: before.totals, after: after.totals, addedCount, addedSizeBytes: addedSize, removedCount, removedSizeBytes: removedSize, classes, sharedIds, mismatchedIds }
}

/**
 * The diff of two snapshots whose ids cannot be matched (two processes): what compares honestly
 * is each class's count and size before and after. `added`/`removed` become the net change split
 * by sign (the least that must have been allocated or freed), so every row adds up; nothing is
 * said about which objects are new.
 */
export function countsOnlyDiff(diff: HeapDiff): HeapDiff {
  const classes = diff.classes
    .map((c) => ({
      ...c,
      addedCount: Math.max(0, c.netCount),
      addedSizeBytes: Math.max(0, c.netSizeBytes),
      removedCount: Math.max(0, -c.netCount),
      removedSizeBytes: Math.max(0, -c.netSizeBytes),
    }))
    .filter((c) => c.netCount !== 0 || c.netSizeBytes !== 0)
  const sum = (f: (c: ClassDiff) => number) => classes.reduce((t, c) => t + f(c), 0)
  return {
    ...diff,
    classes,
    addedCount: sum((c) => c.addedCount),
    addedSizeBytes: sum((c) => c.addedSizeBytes),
    removedCount: sum((c) => c.removedCount),
    removedSizeBytes: sum((c) => c.removedSizeBytes),
  }
}

/**
 * Ordinals (in the graph `after` was digested from) of the objects added in each wanted class,
 * ascending by id. One pass over both digests.
 * @returns a map from {@link classKey} to ordinals.
 */
export function addedObjectsByClass(before: SnapshotDigest, after: SnapshotDigest, wanted: readonly { className: string; nodeType: string }[]): Map<string, Uint32Array> {
  const wantedKeys = new Set(wanted.map((w) => classKey(w.nodeType, w.className)))
  const slot = Int32Array.from(after.classNames, (name, c) => (wantedKeys.has(classKey(after.classNodeTypes[c]!, name)) ? c : -1))
  const found = new Map<number, number[]>()
  const a = before.ids
  const b = after.ids
  let i = 0
  for (let j = 0; j < b.length; j++) {
    const o = after.ordinals[j]!
    const c = slot[after.classOf[o]!]!
    if (c < 0) continue
    const id = b[j]!
    while (i < a.length && a[i]! < id) i++
    if (i < a.length && a[i] === id) continue
    let list = found.get(c)
    if (!list) found.set(c, (list = []))
    list.push(o)
  }
  const out = new Map<string, Uint32Array>()
  for (const [c, list] of found) out.set(classKey(after.classNodeTypes[c]!, after.classNames[c]!), Uint32Array.from(list))
  return out
}
