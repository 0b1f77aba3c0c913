/**
 * The report's Chart.js plugin (id `report`): dashed stage boundaries with their names on
 * timelines, and values written inside stacked bar segments. Drawn after the datasets, so lines
 * and labels sit on top. Options come from each chart's `options.plugins.report` (charts/spec.ts).
 */
import type { Chart, Plugin } from 'chart.js'
import { COLORS } from './palette.js'
import type { ReportPluginOptions } from './spec.js'

const FONT = '11px "DejaVu Sans"'

function drawMarkers(chart: Chart, opts: ReportPluginOptions): void {
  const markers = opts.markers ?? []
  const x = chart.scales.x
  if (!x || markers.length === 0) return
  const { ctx, chartArea } = chart
  ctx.save()
  ctx.font = FONT
  ctx.textBaseline = 'top'
  const placed: [number, number][] = []
  const visible = markers.map((m) => ({ m, px: x.getPixelForValue(m.x) })).filter(({ px }) => px >= chartArea.left - 0.5 && px <= chartArea.right + 0.5)
  ctx.strokeStyle = COLORS.marker
  ctx.lineWidth = 1
  ctx.setLineDash([4, 3])
  for (const { px } of visible) {
    ctx.beginPath()
    ctx.moveTo(px, chartArea.top)
    ctx.lineTo(px, chartArea.bottom)
    ctx.stroke()
  }
  ctx.setLineDash([])
  // Work stages' labels first; a label that would overlap one already placed is left out (its
  // line still shows the boundary), so short setup stages never hide the names of the cycles.
  for (const { m, px } of [...visible.filter((v) => !v.m.minor), ...visible.filter((v) => v.m.minor)]) {
    const width = ctx.measureText(m.label).width
    const span: [number, number] = [px + 2, px + 6 + width]
    if (span[1] > chartArea.right || placed.some(([a, b]) => span[0] < b + 4 && a < span[1] + 4)) continue
    placed.push(span)
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)'
    ctx.fillRect(px + 2, chartArea.top + 2, width + 4, 14)
    ctx.fillStyle = COLORS.muted
    ctx.fillText(m.label, px + 4, chartArea.top + 3)
  }
  ctx.restore()
}

function drawSegmentLabels(chart: Chart, format: (v: number) => string): void {
  const { ctx } = chart
  ctx.save()
  ctx.font = FONT
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  chart.data.datasets.forEach((ds, i) => {
    const meta = chart.getDatasetMeta(i)
    if (meta.hidden) return
    meta.data.forEach((el, j) => {
      const v = ds.data[j]
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return
      const { x, y, base, height } = el.getProps(['x', 'y', 'base', 'height'], true) as { x: number; y: number; base: number; height: number }
      const text = format(v)
      const span = Math.abs(x - base)
      if (span < ctx.measureText(text).width + 8 || height < 12) return
      ctx.fillStyle = '#ffffff'
      ctx.fillText(text, (x + base) / 2, y)
    })
  })
  ctx.restore()
}

/** The plugin; registered once by the renderer. */
export const reportPlugin: Plugin = {
  id: 'report',
  afterDatasetsDraw(chart, _args, options) {
    const opts = options as ReportPluginOptions
    drawMarkers(chart, opts)
    if (opts.segmentLabels) drawSegmentLabels(chart, opts.segmentLabels)
  },
}
