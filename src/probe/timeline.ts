/**
 * A timeline samples a source on its own clock and keeps a bounded series of the results.
 */
import { ConfigError, toError } from '../common/errors.js'
import { DecimatingSeries } from './decimating-series.js'
import type { MemorySample, SampleSource } from './types.js'

/** Options of {@link createTimeline}. */
export interface TimelineOptions {
  /** Time between samples, in ms. Ticks that find the previous sample still running are skipped. */
  intervalMs: number
  /**
   * Most samples kept. Beyond it the series is decimated: every other sample goes and the
   * effective interval doubles, keeping the first, the latest and the peak-RSS sample.
   * @default 2000
   */
  maxSamples?: number
  /** Called with every sample taken, including those decimation later drops. */
  onSample?: (sample: MemorySample) => void
}

/** A running (or stopped) series of samples. See {@link createTimeline}. */
export interface Timeline {
  /** Takes a first sample now, then one every `intervalMs`. Does nothing while running. */
  start(): void
  /**
   * Stops the clock, waits for a sample in flight, takes one last sample (so the series ends at
   * the moment of stopping), and resolves to the kept samples.
   */
  stop(): Promise<MemorySample[]>
  /** A copy of the kept samples in time order: at most `maxSamples`. */
  samples(): MemorySample[]
  /** The latest sample taken, or `null` before the first. */
  last(): MemorySample | null
  /** The highest `rssBytes` of every sample taken, kept or not; `null` until one had RSS. */
  readonly peakRssBytes: number | null
  /** Samples taken in total (kept or not; `null` results are not samples). */
  readonly count: number
  /** Interval between kept samples now: `intervalMs` × the decimation stride, in ms. */
  readonly effectiveIntervalMs: number
  /** Ticks skipped because the previous sample had not finished. */
  readonly skippedTicks: number
  /** Ticks whose source returned `null` (target gone or unreadable). */
  readonly missedTicks: number
  /** The last error thrown by the source or `onSample`; sampling goes on regardless. */
  readonly lastError: Error | null
}

/** Default of {@link TimelineOptions.maxSamples}. */
export const DEFAULT_MAX_SAMPLES = 2000

/**
 * Creates a timeline over a sample source. The timer is `unref()`ed: a timeline never keeps the
 * process alive by itself.
 * @throws ConfigError when `intervalMs` is not a positive finite number or `maxSamples` is not an
 * integer ≥ 8.
 * @example
 * const timeline = createTimeline(() => samplePid(child.pid!), { intervalMs: 10 })
 * timeline.start()
 * // ... run the stage ...
 * const samples = await timeline.stop()
 */
export function createTimeline(source: SampleSource, options: TimelineOptions): Timeline {
  if (!(Number.isFinite(options.intervalMs) && options.intervalMs > 0)) {
    throw new ConfigError(`Expected a positive number of milliseconds for intervalMs but received ${String(options.intervalMs)}`)
  }
  return new SamplingTimeline(source, options.intervalMs, options.maxSamples ?? DEFAULT_MAX_SAMPLES, options.onSample)
}

class SamplingTimeline implements Timeline {
  private readonly series: DecimatingSeries<MemorySample>
  private timer: NodeJS.Timeout | null = null
  private inFlight: Promise<void> | null = null
  private skipped = 0
  private missed = 0
  private error: Error | null = null
  private latest: MemorySample | null = null

  constructor(
    private readonly source: SampleSource,
    private readonly intervalMs: number,
    maxSamples: number,
    private readonly onSample: ((sample: MemorySample) => void) | undefined,
  ) {
    this.series = new DecimatingSeries(maxSamples, (s) => s.rssBytes)
  }

  get peakRssBytes(): number | null {
    return this.series.peakValue
  }
  get count(): number {
    return this.series.count
  }
  get effectiveIntervalMs(): number {
    return this.intervalMs * this.series.stride
  }
  get skippedTicks(): number {
    return this.skipped
  }
  get missedTicks(): number {
    return this.missed
  }
  get lastError(): Error | null {
    return this.error
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.tick(), this.intervalMs)
    this.timer.unref()
    this.tick()
  }

  async stop(): Promise<MemorySample[]> {
    if (this.timer) {
      clearInterval(this.timer)
      this.timer = null
      if (this.inFlight) await this.inFlight
      // Published as in flight so that a second stop() also waits for this last sample.
      this.inFlight = this.takeSample() ?? null
      await this.inFlight
    } else if (this.inFlight) {
      await this.inFlight
    }
    return this.samples()
  }

  samples(): MemorySample[] {
    return this.series.toArray()
  }

  last(): MemorySample | null {
    return this.latest
  }

  private tick(): void {
    if (this.inFlight) {
      this.skipped++ // skip rather than queue: queued reads would bunch up and skew the spacing
      return
    }
    const pending = this.takeSample()
    if (pending) this.inFlight = pending
  }

  /** Samples once; returns a promise only for an asynchronous source (sync sources allocate none). */
  private takeSample(): Promise<void> | undefined {
    let result: ReturnType<SampleSource>
    try {
      result = this.source()
    } catch (error) {
      this.error = toError(error)
      return undefined
    }
    if (!(result instanceof Promise)) {
      this.accept(result)
      return undefined
    }
    return result.then(
      (sample) => {
        this.inFlight = null
        this.accept(sample)
      },
      (error: unknown) => {
        this.inFlight = null
        this.error = toError(error)
      },
    )
  }

  private accept(sample: MemorySample | null): void {
    if (sample === null) {
      this.missed++
      return
    }
    this.latest = sample
    this.series.push(sample)
    if (!this.onSample) return
    try {
      this.onSample(sample)
    } catch (error) {
      this.error = toError(error)
    }
  }
}
