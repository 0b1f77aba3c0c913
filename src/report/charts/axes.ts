/**
 * The axes every chart over time shares (the timeline and the service chart): seconds on x from 0
 * to the last sample, MiB on y from zero, labelled in the report's language. One builder, so the
 * two charts cannot drift apart.
 */
import type { ChartContext } from './context.js'
import { COLORS } from './palette.js'

/**
 * Decimals of the time axis's labels: whole seconds on a long run, tenths or hundredths on a short
 * one (a 2.5 s startup otherwise reads "0, 0, 0, 1, 1, 1, 2, 2"). Chart.js steps a span of S
 * seconds by about S/10, so a span under 2 s needs hundredths and under 10 s tenths.
 */
export function timeTickDecimals(spanSeconds: number): number {
  return spanSeconds < 2 ? 2 : spanSeconds < 10 ? 1 : 0
}

/**
 * Linear x (seconds) and y (MiB) scales for a chart whose last point is at `lastXSeconds`: the
 * x axis ends at that second rounded up, not at Chart.js's next round tick.
 */
export function timeMiBScales(c: ChartContext, lastXSeconds: number) {
  return {
    x: {
      type: 'linear' as const,
      min: 0,
      max: Math.ceil(lastXSeconds),
      ticks: { includeBounds: false, callback: (v: number | string) => c.f.num(Number(v), timeTickDecimals(lastXSeconds)) },
      title: { display: true, text: c.m.chart.time },
      grid: { color: COLORS.grid },
    },
    y: {
      type: 'linear' as const,
      beginAtZero: true,
      title: { display: true, text: c.m.chart.mib },
      grid: { color: COLORS.grid },
      ticks: { callback: (v: number | string) => c.f.num(Number(v), 0) },
    },
  }
}
