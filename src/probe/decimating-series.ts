/**
 * A series that never holds more than a fixed number of entries, however long it is fed: a
 * 24-hour soak sampled every 10 ms is 8.6 million samples, far too many to keep or to chart.
 *
 * Entries are numbered 0, 1, 2, ... as they arrive, and only those whose number is a multiple of
 * `stride` are kept. When the series is full, `stride` doubles and every other entry goes, so
 * the kept entries stay evenly spaced in time at `stride` × the sampling interval. Three entries
 * survive regardless, because summaries depend on them: the first, the latest, and the one with
 * the highest value seen so far (the true peak, even if it fell between strides).
 */
import { ConfigError } from '../common/errors.js'

/** Smallest capacity that still holds first, latest, peak and a few evenly spaced entries. */
export const MIN_DECIMATING_CAPACITY = 8

/**
 * Bounded, evenly decimated series. `T` is any entry; `valueOf` gives the figure whose maximum
 * must be kept (`null` for entries that have none).
 * @example
 * const s = new DecimatingSeries<MemorySample>(2000, (x) => x.rssBytes)
 * for (const x of samples) s.push(x)
 * s.toArray().length <= 2000 // always
 */
export class DecimatingSeries<T> {
  private readonly items: T[] = []
  /** Arrival number of each kept item, parallel to `items`. */
  private readonly seqs: number[] = []
  private strideValue = 1
  private pushed = 0
  private peakItem: T | null = null
  private peakVal: number | null = null
  private peakSeq = -1
  /** The tail is kept only because it is the latest; the next push replaces it. */
  private tailProvisional = false

  /**
   * @param capacity Most entries ever held, at least {@link MIN_DECIMATING_CAPACITY}.
   * @throws ConfigError when `capacity` is not an integer ≥ 8.
   */
  constructor(
    readonly capacity: number,
    private readonly valueOf: (item: T) => number | null,
  ) {
    if (!Number.isInteger(capacity) || capacity < MIN_DECIMATING_CAPACITY) {
      throw new ConfigError(`Expected an integer of at least ${MIN_DECIMATING_CAPACITY} for maxSamples but received ${String(capacity)}; it bounds how many samples a timeline keeps`)
    }
  }

  /** Entries pushed in total, kept or not. */
  get count(): number {
    return this.pushed
  }

  /** Kept entries are every `stride`-th arrival (plus first, latest and peak). Starts at 1. */
  get stride(): number {
    return this.strideValue
  }

  /** Entries held now, ≤ {@link capacity}. */
  get length(): number {
    return this.items.length
  }

  /** The entry with the highest value over everything pushed; `null` until one had a value. */
  get peak(): T | null {
    return this.peakItem
  }

  /** The highest value over everything pushed, kept or not; `null` until one had a value. */
  get peakValue(): number | null {
    return this.peakVal
  }

  /** The latest entry pushed. */
  get last(): T | null {
    return this.items.length > 0 ? (this.items[this.items.length - 1] as T) : null
  }

  /** Adds an entry, decimating when the series is full. Amortised O(1). */
  push(item: T): void {
    const seq = this.pushed++
    const value = this.valueOf(item)
    const isPeak = value !== null && (this.peakVal === null || value > this.peakVal)
    if (this.tailProvisional) {
      this.items.pop()
      this.seqs.pop()
    }
    if (isPeak) {
      // The old peak was kept only for being the peak: now it is just an off-stride entry.
      if (this.peakSeq >= 0 && this.peakSeq % this.strideValue !== 0) this.removeSeq(this.peakSeq)
      this.peakItem = item
      this.peakVal = value
      this.peakSeq = seq
    }
    this.items.push(item)
    this.seqs.push(seq)
    this.tailProvisional = !isPeak && seq % this.strideValue !== 0
    while (this.items.length > this.capacity) this.compact()
  }

  /** A copy of the kept entries in arrival order. */
  toArray(): T[] {
    return this.items.slice()
  }

  /** Doubles the stride and drops the entries that are no longer on it. */
  private compact(): void {
    this.strideValue *= 2
    const { items, seqs } = this
    const lastIndex = items.length - 1
    let kept = 0
    for (let i = 0; i < items.length; i++) {
      const seq = seqs[i] as number
      if (seq % this.strideValue === 0 || seq === this.peakSeq || i === lastIndex) {
        items[kept] = items[i] as T
        seqs[kept] = seq
        kept++
      }
    }
    items.length = kept
    seqs.length = kept
    const lastSeq = seqs[kept - 1] as number
    this.tailProvisional = lastSeq % this.strideValue !== 0 && lastSeq !== this.peakSeq
  }

  private removeSeq(seq: number): void {
    const at = this.seqs.lastIndexOf(seq)
    if (at < 0) return
    this.items.splice(at, 1)
    this.seqs.splice(at, 1)
  }
}
