/**
 * Before and after: the headline table with absolute and % change, per-stage peaks; for one run,
 * the baseline changes and the committed profile comparison (default → lean) with its provenance;
 * then where RSS lives against the baseline's composition (or the before run's).
 */
import { stagesChart } from '../charts/bars.js'
import type { Block, Section } from './doc.js'
import { MARK, metricLabel, type ComposeContext } from './context.js'
import { deltaText, valueText } from './text.js'
import { HEADLINE_KEYS, type HeadlineKey } from '../model/headline.js'
import { profileImproved, type ProfileFigure } from '../model/profiles.js'

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
  if (c.r.baselineChanges.length === 0) return [{ type: 'paragraph', text: m.comparison.noBaseline }, ...profileBlocks(c)]
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
    ...profileBlocks(c),
  ]
}

/** A committed profile figure's label; null for a figure this version does not know (skipped). */
function profileLabel(c: ComposeContext, key: string): string | null {
  if (key === 'retainedRss') return c.m.comparison.retainedAtReady
  return (HEADLINE_KEYS as readonly string[]).includes(key) ? c.m.headline[key as HeadlineKey] : null
}

/** ✅ better, ❌ worse, "≈ noise" within about two standard deviations, nothing under 1%. */
function profileMark(c: ComposeContext, p: ProfileFigure): string {
  const improved = profileImproved(p)
  if (improved === null) return ''
  const { before: b, after: a } = p
  if (b && a && b.n >= 2 && a.n >= 2 && b.mad !== null && a.mad !== null && Math.abs(a.median - b.median) <= 2 * 1.4826 * Math.max(b.mad, a.mad)) return ` (${c.m.comparison.withinNoise})`
  return improved ? ' ✅' : ' ❌'
}

/** The committed default → lean comparison, after the baseline table: each figure, its change and one line of provenance. */
function profileBlocks(c: ComposeContext): Block[] {
  const p = c.r.profiles
  if (!p) return []
  const { m, f } = c
  const rows = p.figures.flatMap((x) => {
    const label = profileLabel(c, x.key)
    if (label === null) return []
    const delta = x.before && x.after ? x.after.median - x.before.median : null
    return [[label, x.scenario ? `\`${x.scenario}\`` : '—', valueText(f, x.unit, x.before?.median), valueText(f, x.unit, x.after?.median), deltaText(f, x.unit, delta), `${f.percent(x.ratio, 1, true)}${profileMark(c, x)}`]]
  })
  if (rows.length === 0) return []
  const { provenance: pv } = p
  const machine = `${pv.machine.cpuModel} × ${pv.machine.cores}, Node ${pv.machine.node}`
  const loads = [pv.machine.loadAvgStart, pv.machine.loadAvgEnd].filter((x): x is number => x !== null)
  const load = loads.length ? loads.map((x) => f.num(x, 1)).join(' → ') : null
  const commit = pv.gitCommit ? `\`${pv.gitCommit.slice(0, 12)}\`` : m.comparison.noCommit
  return [
    { type: 'paragraph', text: m.comparison.profilesIntro(p.before.profile, p.after.profile, m.comparison.profilesRepeats(p.before.repeats, p.after.repeats)) },
    {
      type: 'table',
      columns: [{ header: m.col.figure }, { header: m.col.scenario }, { header: `\`${p.before.profile}\``, align: 'right' }, { header: `\`${p.after.profile}\``, align: 'right' }, { header: m.col.change, align: 'right' }, { header: m.col.changePct, align: 'right' }],
      rows,
    },
    { type: 'paragraph', text: m.comparison.profilesProvenance(f.dateTime(pv.createdAt), commit, pv.command, machine, load) },
  ]
}

/** Categories shown per composition table; the rest are summed in one row. */
const COMPOSITION_ROWS = 8

/** Where RSS lives against the baseline's composition (or the before run's), per scenario: largest changes first. */
function compositionBlocks(c: ComposeContext): Block[] {
  const { m, f } = c
  return c.r.compositionChanges.flatMap((d): Block[] => {
    const byChange = [...d.deltas].sort((a, b) => Math.abs(b.deltaBytes) - Math.abs(a.deltaBytes) || a.name.localeCompare(b.name))
    const shown = byChange.slice(0, COMPOSITION_ROWS)
    const rest = byChange.slice(COMPOSITION_ROWS)
    const rows = shown.map((x) => [x.name, f.bytes(x.beforeBytes), f.bytes(x.afterBytes), deltaText(f, 'bytes', x.deltaBytes)])
    if (rest.length) {
      const sum = (pick: (x: (typeof rest)[number]) => number) => rest.reduce((n, x) => n + pick(x), 0)
      rows.push([`+${rest.length}`, f.bytes(sum((x) => x.beforeBytes)), f.bytes(sum((x) => x.afterBytes)), deltaText(f, 'bytes', sum((x) => x.deltaBytes))])
    }
    rows.push([`**${m.distribution.total}**`, `**${f.bytes(d.before.rssBytes)}**`, `**${f.bytes(d.after.rssBytes)}**`, `**${deltaText(f, 'bytes', d.after.rssBytes - d.before.rssBytes)}**`])
    return [
      { type: 'paragraph', text: m.comparison.compositionIntro(d.scenario, d.stage, d.against, d.summary) },
      { type: 'table', columns: [{ header: m.distribution.component }, { header: m.col.before, align: 'right' }, { header: m.col.after, align: 'right' }, { header: m.col.change, align: 'right' }], rows },
    ]
  })
}

/** The before/after section. */
export function comparisonSection(c: ComposeContext): Section {
  return { id: 'comparison', title: c.m.section.comparison, blocks: [...(c.r.before ? compareBlocks(c) : baselineBlocks(c)), ...compositionBlocks(c)] }
}
