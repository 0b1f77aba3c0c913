import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { DecimatingSeries } from '../../src/probe/decimating-series.js'

interface Point {
  seq: number
  value: number | null
}

/** Deterministic PRNG (mulberry32) so the synthetic series is the same on every run. */
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function feed(n: number, capacity: number, valueAt: (seq: number) => number | null): DecimatingSeries<Point> {
  const series = new DecimatingSeries<Point>(capacity, (p) => p.value)
  for (let seq = 0; seq < n; seq++) {
    series.push({ seq, value: valueAt(seq) })
    if (series.length > capacity) throw new Error(`over capacity after ${seq}`)
  }
  return series
}

describe('DecimatingSeries', () => {
  it('keeps everything until it is full', () => {
    const s = feed(10, 16, (seq) => seq % 3)
    expect(s.toArray().map((p) => p.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(s.stride).toBe(1)
  })

  it('bounds 100,000 noisy samples to the capacity and keeps first, last and an off-stride peak', () => {
    const random = prng(42)
    const peakSeq = 77_777 // odd: never on a stride ≥ 2, so it survives only as the peak
    const s = feed(100_000, 2000, (seq) => (seq === peakSeq ? 5000 : 1000 + Math.floor(random() * 1000)))
    const kept = s.toArray()
    expect(kept.length).toBeLessThanOrEqual(2000)
    expect(kept.length).toBeGreaterThanOrEqual(1000) // decimation halves, it does not empty
    expect(s.count).toBe(100_000)
    expect(s.stride).toBe(64) // 100,000 / 64 = 1563 ≤ 2000 < 100,000 / 32
    expect(kept[0]?.seq).toBe(0)
    expect(kept.at(-1)?.seq).toBe(99_999)
    expect(kept.some((p) => p.seq === peakSeq)).toBe(true)
    expect(s.peakValue).toBe(5000)
    expect(s.peak?.seq).toBe(peakSeq)
    const seqs = kept.map((p) => p.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    // Everything else is evenly spaced on the stride.
    const regular = seqs.filter((seq) => seq !== peakSeq && seq !== 99_999)
    expect(regular.every((seq, i) => seq === i * 64)).toBe(true)
  })

  it('keeps the peak of a steadily growing series without keeping every sample', () => {
    const s = feed(50_000, 100, (seq) => seq)
    const kept = s.toArray()
    expect(kept.length).toBeLessThanOrEqual(100)
    expect(s.peakValue).toBe(49_999)
    expect(kept.at(-1)?.seq).toBe(49_999)
    // Only the latest may be off-stride: the older peaks were let go as they were superseded.
    expect(kept.slice(0, -1).every((p) => p.seq % s.stride === 0)).toBe(true)
  })

  it('reports the true peak even when it fell between kept samples and was superseded as latest', () => {
    const s = feed(1001, 8, (seq) => (seq === 999 ? 10 : seq === 1000 ? 1 : 0))
    expect(s.peakValue).toBe(10)
    expect(s.toArray().map((p) => p.seq)).toContain(999)
    expect(s.last?.seq).toBe(1000)
  })

  it('treats null values as "no figure", never as a peak', () => {
    const s = feed(20, 8, (seq) => (seq === 3 ? 7 : null))
    expect(s.peakValue).toBe(7)
    expect(feed(5, 8, () => null).peakValue).toBeNull()
  })

  it.each([0, 7, 2.5, Number.NaN])('rejects a capacity of %s with a ConfigError', (capacity) => {
    const create = () => new DecimatingSeries<Point>(capacity, (p) => p.value)
    expect(create).toThrow(ConfigError)
    expect(create).toThrow(/at least 8 for maxSamples/)
  })
})
