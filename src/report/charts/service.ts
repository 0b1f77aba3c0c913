/**
 * A service target over time: each worker's RSS as its own line (a recycled worker ends and its
 * replacement starts a new line), the primary's, and the tree's summed PSS (shared pages counted
 * once: the honest total), with recycle markers and stage starts. Drawn from the repeat's
 * `processes`, `events` and tree `timeline`.
 */
import type { ScenarioFigures } from '../model/figures.js'
import type { RepeatResult } from '../../run/schema.js'
import { timeMiBScales } from './axes.js'
import { baseOptions, CHART_WIDTH, MiB, slug, type ChartContext } from './context.js'
import { COLORS, seriesColor } from './palette.js'
import type { ChartSpec, StageMarker } from './spec.js'

/** Worker lines drawn at most; a long soak recycles hundreds, the latest ones are kept. */
export const MAX_WORKER_LINES = 40

type Point = { x: number; y: number }

/** Seconds since the service started: its first tree sample (the repeat starts when it is ready). */
function originOf(r: RepeatResult): number {
  return Math.min(r.timeline[0]?.atMs ?? r.startedAtMs, ...(r.processes ?? []).map((p) => p.startedAtMs))
}

function markersOf(r: RepeatResult, origin: number, recycleLabel: string): StageMarker[] {
  const stages = r.stages.filter((s) => s.kind !== 'setup' && s.kind !== 'teardown').map((s) => ({ x: (s.startedAtMs - origin) / 1000, label: s.name }))
  const recycles = (r.events ?? []).filter((e) => e.kind === 'recycle').map((e) => ({ x: (e.atMs - origin) / 1000, label: recycleLabel, minor: true }))
  return [...stages, ...recycles]
}

/** The service chart of `s`'s representative repeat, or null when it is not a service repeat. */
export function serviceChart(c: ChartContext, s: ScenarioFigures): ChartSpec | null {
  const r = s.representative
  if (!r?.service || !r.processes || r.timeline.length === 0) return null
  const origin = originOf(r)
  const at = (ms: number) => (ms - origin) / 1000
  const workers = r.processes.filter((p) => p.role !== 'primary').slice(-MAX_WORKER_LINES)
  const primary = r.processes.find((p) => p.role === 'primary')
  const line = (timeline: RepeatResult['timeline'], pick: (x: RepeatResult['timeline'][number]) => number | null): Point[] =>
    timeline.flatMap((x) => (pick(x) === null ? [] : [{ x: at(x.atMs), y: pick(x)! / MiB }]))
  const datasets = [
    { label: c.m.chart.treePss, data: line(r.timeline, (x) => x.pssBytes), borderColor: COLORS.heap, backgroundColor: COLORS.heap, borderWidth: 2.5, pointRadius: 0, fill: false, order: 1 },
    ...(primary ? [{ label: c.m.chart.primary(primary.pid), data: line(primary.timeline, (x) => x.rssBytes), borderColor: COLORS.before, backgroundColor: COLORS.before, borderWidth: 1.5, borderDash: [4, 3], pointRadius: 0, fill: false, order: 3 }] : []),
    ...workers.map((w, i) => ({ label: c.m.chart.worker(w.pid), data: line(w.timeline, (x) => x.rssBytes), borderColor: seriesColor(i), backgroundColor: seriesColor(i), borderWidth: 1.5, pointRadius: 0, fill: false, order: 2 })),
  ]
  const title = c.m.chart.service(s.name)
  const lastX = Math.max(1, ...datasets.flatMap((d) => d.data.map((p) => p.x)))
  const base = baseOptions(c, title)
  const recycles = (r.events ?? []).filter((e) => e.kind === 'recycle').length
  return {
    id: `service-${slug(s.name)}`,
    file: `chart-service-${slug(s.name)}.png`,
    title,
    alt: c.m.chart.serviceAlt(s.name, r.processes.filter((p) => p.role === 'worker').length, recycles, c.f.bytes(r.service.peakPssBytes), c.f.bytes(r.service.peakTreeRssBytes)),
    width: CHART_WIDTH,
    height: 340,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        ...base,
        parsing: false,
        normalized: true,
        scales: timeMiBScales(c, lastX),
        plugins: { ...base.plugins, legend: { display: datasets.length <= 12 }, report: { markers: markersOf(r, origin, c.m.chart.recycle) } },
      },
    },
  }
}
