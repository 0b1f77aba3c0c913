/**
 * RSS and V8 heap over time for one scenario, with stage boundaries: the chart a reader looks at
 * first. RSS is the parent's timeline (every sample interval); the heap is known only at the
 * stages' before/after samples (taken after GC in the worker), so it is drawn through those.
 */
import type { ScenarioFigures } from '../model/figures.js'
import type { RepeatResult } from '../../run/schema.js'
import { timeMiBScales } from './axes.js'
import { baseOptions, CHART_WIDTH, MiB, slug, type ChartContext } from './context.js'
import { COLORS } from './palette.js'
import type { ChartSpec, StageMarker } from './spec.js'

export { timeTickDecimals } from './axes.js'

/** At most this many RSS points per line: more adds no pixels at 900 px and slows the page. */
export const MAX_TIMELINE_POINTS = 900

type Point = { x: number; y: number }

/** RSS points in s and MiB since the repeat started; thinned by keeping each bucket's highest sample, so peaks survive. */
export function rssPoints(r: RepeatResult, max = MAX_TIMELINE_POINTS): Point[] {
  const all = r.timeline.filter((s) => s.rssBytes !== null).map((s) => ({ x: (s.atMs - r.startedAtMs) / 1000, y: s.rssBytes! / MiB }))
  if (all.length <= max) return all
  const size = Math.ceil(all.length / max)
  const out: Point[] = []
  for (let i = 0; i < all.length; i += size) {
    let best = all[i]!
    for (let j = i + 1; j < Math.min(all.length, i + size); j++) if (all[j]!.y > best.y) best = all[j]!
    out.push(best)
  }
  return out
}

function heapPoints(r: RepeatResult): Point[] {
  const out: Point[] = []
  for (const s of r.stages) {
    for (const sample of [s.before, s.after]) if (sample?.heapUsedBytes != null) out.push({ x: (sample.atMs - r.startedAtMs) / 1000, y: sample.heapUsedBytes / MiB })
  }
  return out.sort((a, b) => a.x - b.x)
}

function markers(r: RepeatResult): StageMarker[] {
  return r.stages.map((s) => ({ x: (s.startedAtMs - r.startedAtMs) / 1000, label: s.name, minor: s.kind === 'setup' || s.kind === 'teardown' }))
}

/** The timeline of `after`, overlaid with `before`'s RSS in a comparison; null without a repeat to draw. */
export function timelineChart(c: ChartContext, after: ScenarioFigures, before: ScenarioFigures | null): ChartSpec | null {
  const r = after.representative
  if (!r || r.timeline.length === 0) return null
  const b = before?.representative ?? null
  const title = c.m.chart.timeline(after.name)
  const datasets = [
    ...(b ? [{ label: `${c.m.chart.rss} (${c.m.chart.before})`, data: rssPoints(b), borderColor: COLORS.before, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false, order: 3 }] : []),
    { label: b ? `${c.m.chart.rss} (${c.m.chart.after})` : c.m.chart.rss, data: rssPoints(r), borderColor: COLORS.rss, backgroundColor: COLORS.rssFill, borderWidth: 2, pointRadius: 0, fill: 'origin' as const, order: 2 },
    { label: c.m.chart.heapUsed, data: heapPoints(r), borderColor: COLORS.heap, backgroundColor: COLORS.heap, borderWidth: 1.5, pointRadius: 2.5, fill: false, order: 1 },
  ]
  const alt = b
    ? c.m.chart.timelineCompareAlt(after.name, c.f.bytes(before?.peakRss?.median), c.f.bytes(after.peakRss?.median))
    : c.m.chart.timelineAlt(after.name, c.f.bytes(after.peakRss?.median), c.f.bytes(after.steadyRss?.median), r.stages.map((s) => s.name).join(', '))
  const base = baseOptions(c, title)
  // End the axis at the last sample, not at Chart.js's next round tick.
  const lastX = Math.max(...datasets.flatMap((d) => d.data.map((p) => p.x)))
  return {
    id: `timeline-${slug(after.name)}`,
    file: `chart-timeline-${slug(after.name)}.png`,
    title,
    alt,
    width: CHART_WIDTH,
    height: 320,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        ...base,
        parsing: false,
        normalized: true,
        scales: timeMiBScales(c, lastX),
        plugins: { ...base.plugins, report: { markers: markers(r) } },
      },
    },
  }
}
