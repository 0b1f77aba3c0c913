/** Before and after: the headline table with absolute and % change, per-stage peaks; for one run, the baseline changes. */
import { stagesChart } from '../charts/bars.js'
import type { Block, Section } from './doc.js'
import { MARK, metricLabel, type ComposeContext } from './context.js'
import { deltaText, valueText } from './text.js'

function compareBlocks(c: ComposeContext): Block[] {
  const { m, f } = c
  const arrow = (r: (typeof c.r.headlineChanges)[number]) => (r.withinNoise ? ` (${m.comparison.withinNoise})` : r.negligible || r.improved === null ? '' : r.improved ? ' ✅' : ' ❌')
  const blocks: Block[] = [
    { type: 'paragraph', text: m.comparison.intro },
    {
      type: 'table',
      columns: [{ header: m.col.figure }, { header: m.col.scenario }, { header: m.col.before, align: 'right' }, { header: m.col.after, align: 'right' }, { header: m.col.change, align: 'right' }, { header: m.col.changePct, align: 'right' }],
      rows: c.r.headlineChanges.map((r) => [
        m.headline[r.key],
        r.scenario ? `\`${r.scenario}\`` : '—',
        valueText(f, r.unit, r.before),
        valueText(f, r.unit, r.after),
        deltaText(f, r.unit, r.delta),
        `${f.percent(r.ratio, 1, true)}${arrow(r)}`,
      ]),
    },
  ]
  const chart = stagesChart(c.chart, c.r.stageChanges)
  if (chart) {
    blocks.push({ type: 'paragraph', text: m.comparison.stagesIntro }, { type: 'chart', chart })
    blocks.push({
      type: 'table',
      columns: [{ header: m.col.scenario }, { header: m.col.stage }, { header: m.col.before, align: 'right' }, { header: m.col.after, align: 'right' }, { header: m.col.changePct, align: 'right' }],
      rows: c.r.stageChanges.map((s) => [`\`${s.scenario}\``, `\`${s.stage}\``, f.bytes(s.before), f.bytes(s.after), f.percent(s.ratio, 1, true)]),
    })
  }
  return blocks
}

function baselineBlocks(c: ComposeContext): Block[] {
  const { m, f } = c
  if (c.r.baselineChanges.length === 0) return [{ type: 'paragraph', text: m.comparison.noBaseline }]
  return [
    { type: 'paragraph', text: m.comparison.baselineIntro },
    {
      type: 'table',
      columns: [{ header: m.col.scenario }, { header: m.col.metric }, { header: m.col.before, align: 'right' }, { header: m.col.after, align: 'right' }, { header: m.col.change, align: 'right' }, { header: m.col.changePct, align: 'right' }, { header: m.col.status }],
      rows: c.r.baselineChanges.map((b) => [
        `\`${b.scenario}\``,
        metricLabel(m, b.metric),
        valueText(f, b.unit, b.before),
        valueText(f, b.unit, b.after),
        b.after === null ? '—' : deltaText(f, b.unit, b.after - b.before),
        f.percent(b.ratio, 1, true),
        `${MARK[b.kind]} ${m.status[b.kind]}`,
      ]),
    },
  ]
}

/** The before/after section. */
export function comparisonSection(c: ComposeContext): Section {
  return { id: 'comparison', title: c.m.section.comparison, blocks: c.r.before ? compareBlocks(c) : baselineBlocks(c) }
}
