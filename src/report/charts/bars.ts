/**
 * Bar charts: the memory distribution (stacked layers), V8 heap spaces per scenario (stacked),
 * peak RSS per stage before and after (grouped) and the change of the headline figures (A/B).
 */
import type { ChangeRow, StageChange } from '../model/comparison.js'
import type { Distribution } from '../model/distribution.js'
import type { ScenarioFigures } from '../model/figures.js'
import { baseOptions, CHART_WIDTH, MiB, type ChartContext } from './context.js'
import { COLORS, seriesColor } from './palette.js'
import type { ChartSpec } from './spec.js'

const layerLabel = (c: ChartContext, name: string) => c.m.layer[name] ?? name
const mibText = (c: ChartContext) => (v: number) => `${c.f.num(v, 0)} MiB`

/** Stacked horizontal bar(s) of the distribution's layers; two bars in a comparison. */
export function distributionChart(c: ChartContext, after: Distribution, before: Distribution | null): ChartSpec {
  const names = [...after.layers.map((l) => l.name), ...(before?.layers.map((l) => l.name).filter((n) => !after.layers.some((l) => l.name === n)) ?? [])]
  const sides = before ? [before, after] : [after]
  const labels = before ? [c.m.chart.before, c.m.chart.after] : [after.scenario]
  const datasets = names.map((name, i) => ({
    label: layerLabel(c, name),
    // A layer that gave memory back has no width in a stack; the table shows its sign.
    data: sides.map((d) => Math.max(0, (d.layers.find((l) => l.name === name)?.bytes ?? 0) / MiB)),
    backgroundColor: seriesColor(i),
    borderWidth: 0,
    barPercentage: 0.85,
    categoryPercentage: 0.9,
  }))
  const base = baseOptions(c, c.m.chart.distribution)
  return {
    id: 'distribution',
    file: 'chart-distribution.png',
    title: c.m.chart.distribution,
    alt: c.m.chart.distributionAlt(after.layers.map((l) => `${layerLabel(c, l.name)} ${c.f.bytes(l.bytes)}`).join(', ')),
    width: CHART_WIDTH,
    height: before ? 240 : 190,
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        ...base,
        indexAxis: 'y',
        scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: c.m.chart.mib }, grid: { color: COLORS.grid } }, y: { stacked: true, grid: { display: false } } },
        plugins: { ...base.plugins, legend: { ...base.plugins.legend, position: 'bottom', align: 'start' }, report: { segmentLabels: mibText(c) } },
      },
    },
  }
}

/** V8's own spaces merged into a few a reader knows; the rest is "other". */
const SPACES = ['old_space', 'code_space', 'large_object_space', 'new_space'] as const

/** Stacked bars of V8 heap spaces where each scenario's heap was largest (before/after pairs in a comparison). */
export function heapSpacesChart(c: ChartContext, after: readonly ScenarioFigures[], before: readonly ScenarioFigures[] | null): ChartSpec | null {
  const bars: { label: string; spaces: Record<string, number> }[] = []
  for (const s of after) {
    const b = before?.find((x) => x.name === s.name)
    if (b?.heapSpaces) bars.push({ label: `${s.name} (${c.m.chart.before})`, spaces: b.heapSpaces.spaces })
    if (s.heapSpaces) bars.push({ label: before ? `${s.name} (${c.m.chart.after})` : s.name, spaces: s.heapSpaces.spaces })
  }
  if (bars.length === 0) return null
  const names = [...SPACES, 'other'] as const
  const valueOf = (spaces: Record<string, number>, name: (typeof names)[number]) =>
    (name === 'other' ? Object.entries(spaces).filter(([k]) => !(SPACES as readonly string[]).includes(k)).reduce((a, [, v]) => a + v, 0) : (spaces[name] ?? 0)) / MiB
  const datasets = names.map((name, i) => ({ label: name, data: bars.map((b) => valueOf(b.spaces, name)), backgroundColor: seriesColor(i), borderWidth: 0 }))
  const base = baseOptions(c, c.m.chart.heapSpaces)
  const total = (b: (typeof bars)[number]) => Object.values(b.spaces).reduce((a, v) => a + v, 0)
  return {
    id: 'heap-spaces',
    file: 'chart-heap-spaces.png',
    title: c.m.chart.heapSpaces,
    alt: c.m.chart.heapSpacesAlt(bars.map((b) => `${b.label} ${c.f.bytes(total(b))}`).join(', ')),
    width: CHART_WIDTH,
    height: 90 + 30 * bars.length,
    config: {
      type: 'bar',
      data: { labels: bars.map((b) => b.label), datasets },
      options: {
        ...base,
        indexAxis: 'y',
        scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: c.m.chart.mib }, grid: { color: COLORS.grid } }, y: { stacked: true, grid: { display: false } } },
        plugins: { ...base.plugins, report: { segmentLabels: (v: number) => (v >= 1 ? `${c.f.num(v, 1)}` : '') } },
      },
    },
  }
}

/** Grouped horizontal bars of peak RSS per stage, before and after. */
export function stagesChart(c: ChartContext, changes: readonly StageChange[]): ChartSpec | null {
  const rows = changes.filter((s) => s.before !== null || s.after !== null)
  if (rows.length === 0) return null
  const base = baseOptions(c, c.m.chart.stages)
  return {
    id: 'stages-ab',
    file: 'chart-stages-ab.png',
    title: c.m.chart.stages,
    alt: c.m.chart.stagesAlt(rows.map((r) => `${r.scenario}/${r.stage} ${c.f.bytes(r.before)} → ${c.f.bytes(r.after)}`).join(', ')),
    width: CHART_WIDTH,
    height: 90 + 34 * rows.length,
    config: {
      type: 'bar',
      data: {
        labels: rows.map((r) => `${r.scenario} · ${r.stage}`),
        datasets: [
          { label: c.m.chart.before, data: rows.map((r) => (r.before ?? 0) / MiB), backgroundColor: COLORS.before, borderWidth: 0 },
          { label: c.m.chart.after, data: rows.map((r) => (r.after ?? 0) / MiB), backgroundColor: COLORS.after, borderWidth: 0 },
        ],
      },
      options: { ...base, indexAxis: 'y', scales: { x: { beginAtZero: true, title: { display: true, text: c.m.chart.mib }, grid: { color: COLORS.grid } }, y: { grid: { display: false } } } },
    },
  }
}

/** Horizontal bars of each headline figure's change: green when it improved, red when it got worse, grey within noise. */
export function abChart(c: ChartContext, rows: readonly ChangeRow[]): ChartSpec | null {
  const shown = rows.filter((r) => r.ratio !== null)
  if (shown.length === 0) return null
  const color = (r: ChangeRow) => (r.withinNoise || r.negligible || r.improved === null ? COLORS.neutral : r.improved ? COLORS.good : COLORS.bad)
  const base = baseOptions(c, c.m.chart.ab)
  return {
    id: 'ab',
    file: 'chart-ab.png',
    title: c.m.chart.ab,
    alt: c.m.chart.abAlt(shown.map((r) => `${c.m.headline[r.key]} ${c.f.percent(r.ratio, 1, true)}`).join(', ')),
    width: CHART_WIDTH,
    height: 80 + 30 * shown.length,
    config: {
      type: 'bar',
      data: { labels: shown.map((r) => c.m.headline[r.key]), datasets: [{ label: c.m.chart.changePct, data: shown.map((r) => r.ratio! * 100), backgroundColor: shown.map(color), borderWidth: 0 }] },
      options: {
        ...base,
        indexAxis: 'y',
        scales: { x: { title: { display: true, text: c.m.chart.changePct }, grid: { color: COLORS.grid }, ticks: { callback: (v) => `${c.f.num(Number(v), 0)}%` } }, y: { grid: { display: false } } },
        plugins: { ...base.plugins, legend: { display: false } },
      },
    },
  }
}
