/** Leak suspects, success indicators, recommendations, the conclusion and the method note. */
import type { Recommendation } from '../model/recommendation.js'
import type { Block, Section } from './doc.js'
import type { ComposeContext } from './context.js'
import { valueText } from './text.js'

/** A recommendation in the report's words. */
export function recommendationText(c: ComposeContext, r: Recommendation): string {
  // Each id has its own sentence; the cast pairs the recommendation with its own function.
  const say = c.m.recommendation[r.id] as (r: Recommendation, s: ComposeContext['say']) => string
  return say(r, c.say)
}

/** The leaks section. */
export function leaksSection(c: ComposeContext): Section {
  const { m, f } = c
  const { checks, classes, notes } = c.r.after.leaks
  const blocks: Block[] = [{ type: 'paragraph', text: m.leaks.intro }]
  for (const ch of checks) blocks.push({ type: 'paragraph', text: m.leaks.check(ch.scenario, f.num(ch.count, 0), f.bytes(ch.sizeBytes)) })
  if (classes.length) {
    blocks.push({
      type: 'table',
      columns: [{ header: m.col.class }, { header: m.col.scenario }, { header: m.col.source }, { header: m.col.objects, align: 'right' }, { header: m.col.size, align: 'right' }, { header: m.col.retainer }],
      rows: classes.map((k) => [`\`${k.name}\``, `\`${k.scenario}\``, m.leaks.source[k.source], f.num(k.count, 0), f.bytes(k.sizeBytes), k.retainers.length ? k.retainers.map((p) => `\`${p}\``).join('\n') : '—']),
    })
  } else blocks.push({ type: 'paragraph', text: checks.length ? m.leaks.clean : m.leaks.none })
  if (notes.length) blocks.push({ type: 'list', ordered: false, items: notes.map((n) => `\`${n.scenario}\`: ${n.note}`) })
  return { id: 'leaks', title: m.section.leaks, blocks }
}

/** The success indicators. */
export function indicatorsSection(c: ComposeContext): Section {
  const { m, f } = c
  const items = c.r.indicators.map((i) => {
    const text = (m.indicator[i.id] as (i: unknown, f: ComposeContext['f']) => string)(i, f)
    return `${i.ok === null ? '➖' : i.ok ? '✅' : '❌'} ${text}`
  })
  return { id: 'indicators', title: m.section.indicators, blocks: [{ type: 'list', ordered: false, items }] }
}

/** The recommendations, most urgent first. */
export function recommendationsSection(c: ComposeContext): Section {
  const { m } = c
  const recs = c.r.recommendations
  const blocks: Block[] = recs.length ? [{ type: 'list', ordered: true, items: recs.map((r) => `**[${m.severity[r.severity]}]** ${recommendationText(c, r)}`) }] : [{ type: 'paragraph', text: m.recommendationsNone }]
  return { id: 'recommendations', title: m.section.recommendations, blocks }
}

/** The conclusion: the final state, the biggest change and the first thing to do. */
export function conclusionSection(c: ComposeContext): Section {
  const { m, f } = c
  const a = c.r.after
  const rating = m.rating[a.rating.rating]
  const peak = f.bytes(a.headline.peakRss.value)
  const failed = a.verdicts.filter((v) => v.kind === 'fail').length
  const inconclusive = a.verdicts.filter((v) => v.kind === 'inconclusive').length
  const lines = [
    a.verdicts.length === 0
      ? m.conclusion.unjudged(peak, a.scenarios.length)
      : failed
        ? m.conclusion.fail(rating, failed, peak)
        : inconclusive
          ? m.conclusion.inconclusive(rating, a.verdicts.length - inconclusive, a.verdicts.length, inconclusive, peak, a.scenarios.length)
          : m.conclusion.pass(rating, peak, a.scenarios.length),
  ]
  const b = c.r.biggestChange
  if (b) lines.push(m.conclusion.change(m.headline[b.key], valueText(f, b.unit, b.before), valueText(f, b.unit, b.after), f.percent(b.ratio, 1, true)))
  const first = c.r.recommendations[0]
  if (first) lines.push(m.conclusion.next(recommendationText(c, first)))
  return { id: 'conclusion', title: m.section.conclusion, blocks: lines.map((text) => ({ type: 'paragraph', text })) }
}

/** How the figures were measured, and what the noise columns mean. */
export function methodSection(c: ComposeContext): Section {
  const { m, f } = c
  const o = c.r.after.run.options
  return { id: 'method', title: m.section.method, blocks: [{ type: 'list', ordered: false, items: [m.method.repeats(o.repeat, f.ms(o.intervalMs)), m.method.passes, m.method.peak, m.method.noise] }] }
}
