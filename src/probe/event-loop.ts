/**
 * Event-loop delay of this process, for {@link sampleSelf}. The monitor is a process-wide
 * singleton: `perf_hooks.monitorEventLoopDelay` runs a native timer, and two would only measure
 * each other.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

let histogram: IntervalHistogram | null = null

/** Options of {@link startEventLoopMonitor}. */
export interface EventLoopMonitorOptions {
  /** Sampling resolution of the native timer, in ms. Finer costs more wake-ups. @default 10 */
  resolutionMs?: number
}

/**
 * Starts measuring event-loop delay; from then on every {@link sampleSelf} reports the p99
 * delay since the previous sample (and resets the histogram). Calling it again while running
 * does nothing.
 */
export function startEventLoopMonitor(options: EventLoopMonitorOptions = {}): void {
  if (histogram) return
  histogram = monitorEventLoopDelay({ resolution: Math.max(1, Math.round(options.resolutionMs ?? 10)) })
  histogram.enable()
}

/** Stops the monitor started by {@link startEventLoopMonitor}; samples report `null` again. */
export function stopEventLoopMonitor(): void {
  histogram?.disable()
  histogram = null
}

/**
 * The p99 event-loop delay in ms since the last call, then resets the histogram.
 * @returns `null` when no monitor runs or it has recorded nothing yet.
 */
export function takeEventLoopDelayP99Ms(): number | null {
  if (!histogram || histogram.count === 0) return null
  const p99Ms = histogram.percentile(99) / 1e6 // the histogram counts nanoseconds
  histogram.reset()
  return p99Ms
}
