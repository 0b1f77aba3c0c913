/**
 * Counts and times a stage's operations inside the worker. Latencies are kept in a plain double
 * array (8 bytes an op: a million ops cost 8 MB, so a cap keeps the harness's own footprint
 * bounded); statistics are computed after the stage's after-sample so they cost the figures nothing.
 */
import { percentile } from '../common/stats.js'
import type { LatencyStats, OpStats } from '../run/schema.js'

/** Latencies kept per stage before reservoir sampling takes over. */
export const MAX_KEPT_LATENCIES = 100_000

/** Distinct error messages kept per stage. */
export const MAX_ERROR_MESSAGES = 5

/** Records ops of one stage. */
export class OpRecorder {
  count = 0
  errors = 0
  private readonly latencies: number[] = []
  private readonly errorMessages: string[] = []
  private seen = 0
  private seed = 0x2545f491
  private bench: Omit<OpStats, 'errorMessages'> | null = null

  /** Records one op of `durationMs`; a failed op may say why. */
  record(durationMs: number, ok: boolean, error?: unknown): void {
    this.count++
    if (!ok) {
      this.errors++
      const message = error instanceof Error ? error.message : error === undefined ? null : String(error)
      if (message !== null && this.errorMessages.length < MAX_ERROR_MESSAGES && !this.errorMessages.includes(message)) this.errorMessages.push(message)
    }
    this.seen++
    if (this.latencies.length < MAX_KEPT_LATENCIES) {
      this.latencies.push(durationMs)
      return
    }
    // Reservoir sampling (algorithm R) with a seeded xorshift: percentiles stay unbiased and
    // runs stay reproducible without keeping every latency of a long soak.
    const j = this.next() % this.seen
    if (j < MAX_KEPT_LATENCIES) this.latencies[j] = durationMs
  }

  /** Counts a failed op that has no latency (a request that got no response). */
  recordFailure(error: unknown): void {
    this.count++
    this.errors++
    const message = error instanceof Error ? error.message : String(error)
    if (this.errorMessages.length < MAX_ERROR_MESSAGES && !this.errorMessages.includes(message)) this.errorMessages.push(message)
  }

  /** Replaces the op statistics with a micro-benchmark's (tinybench). */
  setBench(stats: Omit<OpStats, 'errorMessages'>): void {
    this.bench = stats
    this.count = stats.count
    this.errors = stats.errors
  }

  /** Statistics over the stage that ran for `durationMs`. */
  stats(durationMs: number): OpStats {
    if (this.bench) return { ...this.bench, errorMessages: [...this.errorMessages] }
    return {
      count: this.count,
      errors: this.errors,
      durationMs,
      throughputPerSec: durationMs > 0 ? (this.count * 1000) / durationMs : 0,
      latencyMs: latencyStats(this.latencies),
      source: 'op',
      errorMessages: [...this.errorMessages],
    }
  }

  private next(): number {
    let x = this.seed
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.seed = x >>> 0
    return this.seed
  }
}

/** p50/p95/p99/mean/min/max of latencies in ms; null for none. */
export function latencyStats(latencies: readonly number[]): LatencyStats | null {
  if (latencies.length === 0) return null
  let sum = 0
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const x of latencies) {
    sum += x
    if (x < min) min = x
    if (x > max) max = x
  }
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    mean: sum / latencies.length,
    min,
    max,
  }
}
