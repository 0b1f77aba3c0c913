/** Where the memory goes (distribution) and how it moves (timelines, stage tables, heap spaces). */
import { distributionChart, heapSpacesChart } from '../charts/bars.js'
import { serviceChart } from '../charts/service.js'
import { timelineChart } from '../charts/timeline.js'
import { serviceFiguresOf } from '../model/service.js'
import type { Distribution } from '../model/distribution.js'
import type { ScenarioFigures } from '../model/figures.js'
import type { Block, Section } from './doc.js'
import type { ComposeContext } from './context.js'
import { primaryScenario } from './summary.js'
import { deltaText } from './text.js'

const layerName = (c: ComposeContext, name: string) => c.m.layer[name] ?? name

function singleTable(c: ComposeContext, d: Distribution): Block {
  const { m, f } = c
  const rows = d.layers.map((l) => [layerName(c, l.name), f.bytes(l.bytes), d.totalBytes > 0 ? f.percent(l.bytes / d.totalBytes, 0) : '—'])
  rows.push([`**${m.distribution.total}**`, `**${f.bytes(d.totalBytes)}**`, '100%'])
  return { type: 'table', columns: [{ header: m.col.layer }, { header: m.col.size, align: 'right' }, { header: m.col.share, align: 'right' }], rows }
}

function compareTable(c: ComposeContext, before: Distribution, after: Distribution): Block {
  const { m, f } = c
  const names = [...after.layers.map((l) => l.name), ...before.layers.map((l) => l.name).filter((n) => !after.layers.some((l) => l.name === n))]
  const get = (d: Distribution, n: string) => d.layers.find((l) => l.name === n)?.bytes ?? null
  const rows = names.map((n) => {
    const b = get(before, n)
    const a = get(after, n)
    return [layerName(c, n), f.bytes(b), f.bytes(a), b !== null && a !== null ? deltaText(f, 'bytes', a - b) : '—']
  })
  rows.push([`**${m.distribution.total}**`, `**${f.bytes(before.totalBytes)}**`, `**${f.bytes(after.totalBytes)}**`, `**${deltaText(f, 'bytes', after.totalBytes - before.totalBytes)}**`])
  return { type: 'table', columns: [{ header: m.col.layer }, { header: m.col.before, align: 'right' }, { header: m.col.after, align: 'right' }, { header: m.col.change, align: 'right' }], rows }
}

/** The memory distribution section. */
export function distributionSection(c: ComposeContext): Section {
  const { m } = c
  const after = c.r.after.distribution
  const before = c.r.before?.distribution ?? null
  if (!after) return { id: 'distribution', title: m.section.distribution, blocks: [{ type: 'paragraph', text: m.distribution.none }] }
  return {
    id: 'distribution',
    title: m.section.distribution,
    blocks: [{ type: 'paragraph', text: m.distribution.intro(after.scenario, after.repeats) }, before ? compareTable(c, before, after) : singleTable(c, after), { type: 'chart', chart: distributionChart(c.chart, after, before) }, ...measuredBlocks(c, after)],
  }
}

/** Components shown; the rest are summed in one row. */
const MEASURED_ROWS = 8

/** The measured components (smaps categories) next to the layers, when the run recorded them. */
function measuredBlocks(c: ComposeContext, d: Distribution): Block[] {
  const x = d.measured
  if (!x || x.categories.length === 0) return []
  const { m, f } = c
  const shown = x.categories.slice(0, MEASURED_ROWS)
  const rest = x.categories.slice(MEASURED_ROWS)
  const share = (b: number) => (x.rssBytes > 0 ? f.percent(b / x.rssBytes, 0) : '—')
  const rows = shown.map((k) => [k.name, f.bytes(k.rssBytes), f.bytes(k.pssBytes), share(k.rssBytes)])
  if (rest.length) {
    const rss = rest.reduce((n, k) => n + k.rssBytes, 0)
    rows.push([`+${rest.length}`, f.bytes(rss), f.bytes(rest.reduce((n, k) => n + k.pssBytes, 0)), share(rss)])
  }
  rows.push([`**${m.distribution.total}**`, `**${f.bytes(x.rssBytes)}**`, '', '100%'])
  return [
    { type: 'paragraph', text: m.distribution.measured(x.stage, x.repeats) },
    { type: 'table', columns: [{ header: m.distribution.component }, { header: 'RSS', align: 'right' }, { header: 'PSS', align: 'right' }, { header: m.col.share, align: 'right' }], rows },
  ]
}

function stageTable(c: ComposeContext, s: ScenarioFigures): Block {
  const { m, f } = c
  const col = m.col
  return {
    type: 'table',
    columns: [{ header: col.stage }, { header: col.kind }, { header: col.duration, align: 'right' }, { header: col.rssBefore, align: 'right' }, { header: col.rssAfter, align: 'right' }, { header: col.peak, align: 'right' }, { header: col.heapAfter, align: 'right' }, { header: col.ops, align: 'right' }, { header: col.p95, align: 'right' }],
    rows: s.stages.map((st) => [`\`${st.name}\``, st.kind, f.ms(st.durationMs), f.bytes(st.rssBeforeBytes), f.bytes(st.rssAfterBytes), f.bytes(st.peakRssBytes), f.bytes(st.heapUsedAfterBytes), st.ops ? f.num(st.ops, 0) : '—', f.ms(st.p95LatencyMs)]),
  }
}

/** The memory-over-time section: a timeline per scenario (the first screen's is not repeated), stage tables, heap spaces. */
export function timelineSection(c: ComposeContext): Section {
  const { m } = c
  const primary = primaryScenario(c)?.name
  const blocks: Block[] = [{ type: 'paragraph', text: m.timeline.intro }]
  for (const s of c.r.after.scenarios) {
    blocks.push({ type: 'heading', text: `\`${s.name}\` — ${s.description}` })
    const chart = s.name === primary ? null : timelineChart(c.chart, s, c.r.before?.scenarios.find((b) => b.name === s.name) ?? null)
    if (chart) blocks.push({ type: 'chart', chart })
    blocks.push(...serviceBlocks(c, s))
    if (s.failures.length) blocks.push({ type: 'list', ordered: false, items: s.failures.map((x) => `❌ ${m.timeline.failed(s.name, x.index + 1, x.state, x.message)}`) })
    if (s.stages.length) blocks.push({ type: 'paragraph', text: m.timeline.stages(s.name) }, stageTable(c, s))
  }
  const heap = heapSpacesChart(c.chart, c.r.after.scenarios, c.r.before?.scenarios ?? null)
  if (heap) blocks.push({ type: 'chart', chart: heap })
  return { id: 'timeline', title: m.section.timeline, blocks }
}

/** For a service scenario: what its tree did (workers, recycles, requests, PSS) and the per-process chart. */
function serviceBlocks(c: ComposeContext, s: ScenarioFigures): Block[] {
  const r = s.representative
  const figures = r ? serviceFiguresOf(r) : null
  if (!figures) return []
  const { m, f } = c
  const failed = figures.non2xx + figures.errors + figures.timeouts
  const text = m.timeline.service(s.name, figures.workers, figures.recycles, figures.requests, failed, f.bytes(figures.peakPssBytes), f.bytes(figures.peakTreeRssBytes), f.bytes(figures.workerPeakRssBytes))
  const growth = figures.growthBytesPer100 === null || figures.growthBytesPer100 <= 0 ? '' : ` ${m.timeline.growth(f.bytes(figures.growthBytesPer100))}`
  const chart = serviceChart(c.chart, s)
  return [{ type: 'paragraph', text: text + growth }, ...(chart ? [{ type: 'chart' as const, chart }] : [])]
}
