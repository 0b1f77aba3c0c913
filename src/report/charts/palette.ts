/**
 * Colours of the charts and the HTML, chosen to stay distinct for the common colour-vision
 * deficiencies (blue/orange for the two lines; status colours always come with a mark or a word).
 */

export const COLORS = {
  rss: '#2563eb',
  rssFill: 'rgba(37, 99, 235, 0.10)',
  heap: '#ea580c',
  before: '#94a3b8',
  after: '#2563eb',
  good: '#15803d',
  bad: '#b91c1c',
  neutral: '#94a3b8',
  grid: '#e5e7eb',
  text: '#1f2937',
  muted: '#6b7280',
  marker: '#9ca3af',
} as const

/** Colours of stacked layers (memory distribution, heap spaces), darkest at the base. */
export const SERIES = ['#1e3a8a', '#2563eb', '#60a5fa', '#f59e0b', '#10b981', '#a855f7', '#ef4444', '#64748b'] as const

/** The `i`-th series colour, cycling. */
export function seriesColor(i: number): string {
  return SERIES[i % SERIES.length]!
}
