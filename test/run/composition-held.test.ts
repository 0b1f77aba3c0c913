/** Heap composition diffs ranked by held size, with self size for rows that lack it. */
import { describe, expect, it } from 'vitest'
import { diffHeapClasses, heapDiffBasis, keepTopHeapClasses, type HeapClassRow } from '../../src/run/composition.js'

const KiB = 1024

// The per-request leak as a snapshot shows it: 3,000 small holders, 3 MiB of strings they hold.
const before: HeapClassRow[] = [
  { className: '(string)', count: 20_000, selfBytes: 2000 * KiB, heldBytes: 900 * KiB },
  { className: 'Array', count: 100, selfBytes: 4 * KiB, heldBytes: 0 },
  { className: 'CachedResponse', count: 500, selfBytes: 20 * KiB, heldBytes: 600 * KiB },
]
const after: HeapClassRow[] = [
  { className: '(string)', count: 26_000, selfBytes: 5072 * KiB, heldBytes: 910 * KiB },
  { className: 'Array', count: 100, selfBytes: 4 * KiB, heldBytes: 0 },
  { className: 'CachedResponse', count: 3500, selfBytes: 140 * KiB, heldBytes: 3662 * KiB },
]

describe('diffHeapClasses', () => {
  it('ranks by held growth when both sides record held sizes: the holder before its bytes’ type', () => {
    expect(heapDiffBasis(before, after)).toBe('held')
    const d = diffHeapClasses(before, after)
    expect(d.map((c) => c.className)).toEqual(['CachedResponse', '(string)', 'Array'])
    expect(d[0]).toMatchObject({ countDelta: 3000, selfDeltaBytes: 120 * KiB, heldBytes: 3662 * KiB, heldDeltaBytes: 3062 * KiB })
    expect(d[1]).toMatchObject({ selfDeltaBytes: 3072 * KiB, heldDeltaBytes: 10 * KiB })
  })

  it('ranks by self growth, without held fields, when a side lacks held sizes (an old baseline)', () => {
    const old = before.map(({ heldBytes: _, ...c }) => c)
    expect(heapDiffBasis(old, after)).toBe('self')
    const d = diffHeapClasses(old, after)
    expect(d.map((c) => c.className)).toEqual(['(string)', 'CachedResponse', 'Array'])
    expect(d.every((c) => c.heldDeltaBytes === undefined && c.heldBytes === undefined)).toBe(true)
    expect(d[0]).toMatchObject({ countDelta: 6000, selfDeltaBytes: 3072 * KiB })
  })

  it('counts a class on one side only as zero on the other', () => {
    const d = diffHeapClasses(before, [...after, { className: 'LeakedRequestLog', count: 10, selfBytes: 400, heldBytes: 10_640 }])
    expect(d.find((c) => c.className === 'LeakedRequestLog')).toMatchObject({ countDelta: 10, heldDeltaBytes: 10_640 })
  })
})

describe('keepTopHeapClasses', () => {
  it('keeps the top classes by held size and bounds what the rest had', () => {
    const kept = keepTopHeapClasses(after, 2)
    expect(kept.classes.map((c) => c.className)).toEqual(['CachedResponse', '(string)'])
    expect(kept.rest).toEqual({ classes: 1, count: 100, selfBytes: 4 * KiB, heldBytes: 0, maxSelfBytes: 4 * KiB, maxHeldBytes: 0 })
  })

  it('keeps the top classes by self size for rows without held sizes', () => {
    const kept = keepTopHeapClasses(after.map(({ heldBytes: _, ...c }) => c), 1)
    expect(kept.classes).toEqual([{ className: '(string)', count: 26_000, selfBytes: 5072 * KiB }])
    expect(kept.rest).toEqual({ classes: 2, count: 3600, selfBytes: 144 * KiB, maxSelfBytes: 140 * KiB })
  })
})
