/**
 * Node ids in sorted order, for matching objects across snapshots: V8 gives an object the same
 * id in every snapshot of one process, so "new in B" means "id not among A's ids". Sorting both
 * sides once and walking them together is linear, where a hash set of millions of ids would cost
 * more memory and a comparator sort more time.
 */

/** Node ids in ascending order, with the ordinal each came from. */
export interface SortedIds {
  ids: Uint32Array
  ordinals: Uint32Array
}

/**
 * Ordinals of `ids` ordered by id (ascending), by an LSD radix sort: three passes on 11-bit
 * digits, whose 2,048 counters stay in the L1 cache, with all three histograms built in one
 * read of the ids. Keys travel with their ordinals, so every pass reads sequentially.
 * @param ids node ids by ordinal (a graph's `nodeId` column).
 */
export function ordinalsSortedById(ids: Uint32Array): Uint32Array {
  return sortById(ids).ordinals
}

/** {@link ordinalsSortedById}, also returning the sorted ids themselves. */
export function sortById(ids: Uint32Array): SortedIds {
  const n = ids.length
  const BITS = 11
  const RADIX = 1 << BITS
  const MASK = RADIX - 1
  const counts = new Uint32Array(3 * RADIX)
  for (let i = 0; i < n; i++) {
    const id = ids[i]!
    counts[id & MASK]!++
    counts[RADIX + ((id >>> BITS) & MASK)]!++
    counts[2 * RADIX + (id >>> (2 * BITS))]!++
  }
  for (let pass = 0; pass < 3; pass++) {
    let sum = 0
    for (let d = pass * RADIX, end = d + RADIX; d < end; d++) {
      const c = counts[d]!
      counts[d] = sum
      sum += c
    }
  }
  let keySrc = new Uint32Array(n)
  let keyDst = new Uint32Array(n)
  let ordSrc = new Uint32Array(n)
  let ordDst = new Uint32Array(n)
  // First pass reads ids in ordinal order, so it needs no source arrays.
  for (let o = 0; o < n; o++) {
    const id = ids[o]!
    const at = counts[id & MASK]!++
    keyDst[at] = id
    ordDst[at] = o
  }
  for (let pass = 1; pass < 3; pass++) {
    ;[keySrc, keyDst] = [keyDst, keySrc]
    ;[ordSrc, ordDst] = [ordDst, ordSrc]
    const shift = pass * BITS
    const base = pass * RADIX
    for (let i = 0; i < n; i++) {
      const id = keySrc[i]!
      const at = counts[base + ((id >>> shift) & MASK)]!++
      keyDst[at] = id
      ordDst[at] = ordSrc[i]!
    }
  }
  return { ids: keyDst, ordinals: ordDst }
}

/** `ids` sorted ascending (a copy). */
export function sortedIds(ids: Uint32Array): Uint32Array {
  return Uint32Array.from(ids).sort()
}

/** True when the ascending array `sorted` contains `id` (binary search). */
export function containsId(sorted: Uint32Array, id: number): boolean {
  let lo = 0
  let hi = sorted.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const v = sorted[mid]!
    if (v === id) return true
    if (v < id) lo = mid + 1
    else hi = mid - 1
  }
  return false
}
