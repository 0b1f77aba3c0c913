/** Key metrics against budgets (one row per verdict, ✅/❌ from the verdict) and the rating scale. */
import type { MetricKey } from '../../baseline/metrics/catalogue.js'
import type { Verdict } from '../../baseline/verdict.js'
import type { ScenarioFigures } from '../model/figures.js'
import { headroomOf, RATINGS } from '../model/rating.js'
import type { Spread } from '../model/spread.js'
import type { Section } from './doc.js'
import { MARK, metricLabel, type ComposeContext } from './context.js'
import { noiseText, valueText } from './text.js'

/** The spread of a gate metric in the report's figures (null where the report has none). */
function spreadOf(s: ScenarioFigures | undefined, key: MetricKey | 'retainedRss'): Spread | null {
  if (!s) return null
  switch (key) {
    case 'peakRss':
      return s.peakRss
    case 'retainedRss':
      return s.steadyRss
    case 'fluctuation':
      return s.fluctuation
    case 'swap':
      return s.swap
    case 'drift':
      return s.drift
    case 'threads':
      return s.threads
    case 'throughput':
      return s.throughput
    case 'cpuPerOp':
      return s.cpuPerOp
    case 'p95Latency':
      return s.p95LatencyMs
    case 'confidence':
      return s.metrics.meanConfidence ?? s.metrics.confidence ?? null
    case 'cer':
      return s.metrics.cer ?? null
    case 'fieldAccuracy':
      return s.metrics.fieldAccuracy ?? null
    default:
      return null
  }
}

function row(c: ComposeContext, v: Verdict): string[] {
  const { m, f } = c
  const mark = `${MARK[v.kind]} ${m.status[v.kind]}`
  if (v.metric === null) return [`\`${v.scenario}\``, m.completedRule, `${v.value ?? 0}/${v.limit ?? 0}`, '—', '—', '—', mark]
  const unit = v.unit ?? 'count'
  const scenario = c.r.after.scenarios.find((s) => s.name === v.scenario)
  if (v.change) {
    return [`\`${v.scenario}\``, m.regression(metricLabel(m, v.metric)), f.percent(v.change.change, 1, true), f.percent(v.change.allowed, 1, true), '—', `n=${v.repeats}+${v.change.baselineRepeats}`, mark]
  }
  const headroom = headroomOf(v)
  return [`\`${v.scenario}\``, metricLabel(m, v.metric), valueText(f, unit, v.value), v.limit === null ? '—' : valueText(f, unit, v.limit), headroom === null ? '—' : f.percent(headroom, 0), noiseText(f, unit, spreadOf(scenario, v.metric)), mark]
}

/** The key-metrics table. */
export function metricsSection(c: ComposeContext): Section {
  const { m } = c
  const v = c.r.after.verdicts
  if (v.length === 0) return { id: 'metrics', title: m.section.metrics, blocks: [{ type: 'paragraph', text: m.noVerdicts }] }
  const cols = m.col
  const notPassed = v.filter((x) => x.kind !== 'pass')
  return {
    id: 'metrics',
    title: m.section.metrics,
    blocks: [
      {
        type: 'table',
        columns: [{ header: cols.scenario }, { header: cols.metric }, { header: cols.value, align: 'right' }, { header: cols.budget, align: 'right' }, { header: cols.headroom, align: 'right' }, { header: cols.noise, align: 'right' }, { header: cols.status }],
        rows: v.map((x) => row(c, x)),
      },
      { type: 'paragraph', text: m.metricsNote },
      ...(notPassed.length
        ? [
            { type: 'paragraph' as const, text: m.gateSays },
            { type: 'list' as const, ordered: false, items: notPassed.map((x) => `${MARK[x.kind]} \`${x.scenario}\` · ${x.rule}: ${x.message}`) },
          ]
        : []),
    ],
  }
}

/** The rating scale, this run's rating marked. */
export function ratingSection(c: ComposeContext): Section {
  const { m, f } = c
  const r = c.r.after.rating
  const condition = (rating: (typeof RATINGS)[number]) => m.ratingScale[rating]
  const rows = RATINGS.map((rating) => [`**${m.rating[rating]}**`, condition(rating), rating === r.rating ? m.ratingScale.current : ''])
  const blocks: Section['blocks'] = [
    { type: 'paragraph', text: m.ratingScale.intro },
    { type: 'table', columns: [{ header: m.col.rating }, { header: m.col.condition }, { header: '' }], rows },
  ]
  if (r.binding?.metric && r.minHeadroom !== null && r.rating !== 'critical') blocks.push({ type: 'paragraph', text: m.banner.binding(metricLabel(m, r.binding.metric), r.binding.scenario, f.percent(r.minHeadroom, 0)) })
  return { id: 'rating', title: m.section.rating, blocks }
}
