/**
 * The first screen: whether the budgets hold, the rating, the key figures with their change, the
 * biggest change and the RSS timeline (STYLE: a reader sees within one screen what matters).
 */
import { abChart } from '../charts/bars.js'
import { timelineChart } from '../charts/timeline.js'
import type { MetricKey } from '../../baseline/metrics/catalogue.js'
import type { Verdict } from '../../baseline/verdict.js'
import type { HeadlineKey } from '../model/headline.js'
import type { ScenarioFigures } from '../model/figures.js'
import type { Block, Kpi, Section, Tone } from './doc.js'
import { metricLabel, type ComposeContext } from './context.js'
import { valueText } from './text.js'

/** Headline figures on the first screen, in order. */
const KPI_KEYS: readonly HeadlineKey[] = ['peakRss', 'rss', 'startup', 'throughput', 'p95Latency', 'confidence']
/** The gate metric behind a headline figure, for its budget and baseline. */
const METRIC_OF: Partial<Record<HeadlineKey, MetricKey>> = { peakRss: 'peakRss', throughput: 'throughput', cpuPerOp: 'cpuPerOp', p95Latency: 'p95Latency', confidence: 'confidence', cer: 'cer' }

/** The scenario whose timeline is on the first screen: the load scenario, else the one with the highest peak. */
export function primaryScenario(c: ComposeContext): ScenarioFigures | null {
  const all = c.r.after.scenarios.filter((s) => s.representative)
  return all.find((s) => s.role === 'load') ?? [...all].sort((a, b) => (b.peakRss?.median ?? 0) - (a.peakRss?.median ?? 0))[0] ?? null
}

function kpi(c: ComposeContext, key: HeadlineKey): Kpi {
  const h = c.r.after.headline[key]
  const value = valueText(c.f, h.unit, h.value)
  const label = c.m.headline[key]
  if (c.r.before) {
    const row = c.r.headlineChanges.find((x) => x.key === key)
    const tone: Tone = !row || row.improved === null || row.withinNoise || row.negligible ? 'neutral' : row.improved ? 'pass' : 'fail'
    return { label, value, note: row?.ratio != null ? c.m.kpi.vsBefore(c.f.percent(row.ratio, 1, true)) : null, tone }
  }
  const metric = METRIC_OF[key]
  const verdicts = c.r.after.verdicts.filter((v) => v.metric === metric && v.scenario === h.scenario)
  const limit = verdicts.find((v) => v.limit !== null && !v.change)
  const base = c.r.baselineChanges.find((b) => b.metric === metric && b.scenario === h.scenario)
  const tone: Tone = limit ? (limit.kind === 'pass' ? 'pass' : limit.kind === 'fail' ? 'fail' : 'warn') : 'neutral'
  const note = base ? c.m.kpi.vsBaseline(c.f.percent(base.ratio, 1, true)) : limit?.limit != null && limit.unit ? c.m.kpi.budget(valueText(c.f, limit.unit, limit.limit)) : h.scenario ? c.m.kpi.from(h.scenario) : null
  return { label, value, note, tone }
}

/** What a verdict judged: `peak RSS`, `peak RSS vs baseline` (a relative rule), `repeats completed`. */
function ruleLabel(c: ComposeContext, v: Verdict): string {
  const { m } = c
  if (v.metric === null) return m.completedRule
  return v.change || v.rule.endsWith('-regression') ? m.regression(metricLabel(m, v.metric)) : metricLabel(m, v.metric)
}

/** How many verdicts a banner names before it says "and N more". */
const NAMED_IN_BANNER = 3

/** `peak RSS vs baseline in \`load\`, threads in \`stress\` and 2 more`: the verdicts a banner names. */
function verdictList(c: ComposeContext, verdicts: readonly Verdict[]): string {
  const { m } = c
  const named = verdicts.slice(0, NAMED_IN_BANNER).map((v) => m.banner.item(ruleLabel(c, v), v.scenario))
  const list = named.join(', ')
  return verdicts.length > NAMED_IN_BANNER ? `${list} ${m.banner.more(verdicts.length - NAMED_IN_BANNER)}` : list
}

/** A sentence ends with a full stop, whatever the gate's message ended with. */
const sentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`)

/**
 * The verdict banner: exactly what holds, what failed and what is inconclusive, with the icon of
 * the worst of them (❌ a failure, ⚠️ an inconclusive verdict, ✅ only when every budget holds).
 */
function banner(c: ComposeContext): Block {
  const { m, f } = c
  const v = c.r.after.verdicts
  const failed = v.filter((x) => x.kind === 'fail')
  const inconclusive = v.filter((x) => x.kind === 'inconclusive')
  const held = v.length - failed.length - inconclusive.length
  const rating = c.r.after.rating
  const tone: Tone = v.length === 0 ? 'info' : failed.length ? 'fail' : inconclusive.length ? 'warn' : 'pass'
  const title =
    tone === 'info'
      ? m.banner.none
      : tone === 'fail'
        ? m.banner.someFail(failed.length, v.length, verdictList(c, failed))
        : tone === 'warn'
          ? m.banner.someInconclusive(held, v.length, inconclusive.length, verdictList(c, inconclusive))
          : m.banner.allHold(v.length)
  const lines = [m.banner.ratingLine(m.rating[rating.rating])]
  const first = failed[0]
  if (first) lines.push(sentence(m.banner.failedFirst(ruleLabel(c, first), first.scenario, first.message)))
  else if (rating.binding?.metric && rating.minHeadroom !== null) lines.push(m.banner.binding(metricLabel(m, rating.binding.metric), rating.binding.scenario, f.percent(rating.minHeadroom, 0)))
  else if (rating.rating === 'unrated') lines.push(m.banner.unratedWhy)
  if (failed.length) lines.push(m.banner.rest(held, inconclusive.length, verdictList(c, inconclusive)))
  if (inconclusive.length) lines.push(m.banner.inconclusiveWhy)
  return { type: 'callout', tone, title: `${tone === 'fail' ? '❌' : tone === 'pass' ? '✅' : tone === 'warn' ? '⚠️' : 'ℹ️'} ${title}`, text: lines.join(' ') }
}

function biggest(c: ComposeContext): string | null {
  const { m, f } = c
  if (c.r.before) {
    const b = c.r.biggestChange
    if (!b) return m.biggest.none
    return m.biggest.change(m.headline[b.key], valueText(f, b.unit, b.before), valueText(f, b.unit, b.after), f.percent(b.ratio, 1, true))
  }
  const d = c.r.after.distribution
  const top = d ? [...d.layers].sort((a, b) => b.bytes - a.bytes)[0] : undefined
  if (!d || !top || d.totalBytes <= 0) return null
  return m.biggest.layer(m.layer[top.name] ?? top.name, f.bytes(top.bytes), f.percent(top.bytes / d.totalBytes, 0))
}

/** The executive summary. */
export function summarySection(c: ComposeContext): Section {
  // A figure the run does not give (no startup stage, no confidence) is left off the first screen.
  const keys = KPI_KEYS.filter((k) => k === 'peakRss' || c.r.after.headline[k].value !== null)
  const blocks: Block[] = [banner(c), { type: 'kpis', items: keys.map((k) => kpi(c, k)) }]
  const big = biggest(c)
  if (big) blocks.push({ type: 'paragraph', text: big })
  const primary = primaryScenario(c)
  const timeline = primary ? timelineChart(c.chart, primary, c.r.before?.scenarios.find((s) => s.name === primary.name) ?? null) : null
  if (timeline) blocks.push({ type: 'chart', chart: timeline })
  const ab = c.r.before ? abChart(c.chart, c.r.headlineChanges) : null
  if (ab) blocks.push({ type: 'chart', chart: ab })
  return { id: 'summary', title: c.m.section.summary, blocks }
}
