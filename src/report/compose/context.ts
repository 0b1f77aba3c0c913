/** What every section composer receives: the computed report, its words and its number format. */
import type { ChartContext } from '../charts/context.js'
import { formatterFor, type Formatter } from '../format.js'
import { messagesFor, type Messages, type Say } from '../locales/index.js'
import type { Report } from '../model/report.js'
import type { SettingValue } from '../model/settings.js'
import type { CheckStatus } from '../model/validation.js'
import type { Tone } from './doc.js'
import { valueText } from './text.js'

export interface ComposeContext {
  r: Report
  m: Messages
  f: Formatter
  say: Say
  chart: ChartContext
}

/** The context of `r`. */
export function composeContext(r: Report): ComposeContext {
  const m = messagesFor(r.lang)
  const f = formatterFor(r.lang)
  const say: Say = {
    f,
    metric: (key) => metricLabel(m, key),
    value: (unit, v) => valueText(f, unit, v),
    setting: (key, v) => settingText(m, f, key, v),
  }
  return { r, m, f, say, chart: { m, f } }
}

/**
 * A gate metric's label. The gate's catalogue grows with new metrics; until a locale names one,
 * its key is shown (a test checks every catalogue key has a label in every locale).
 */
export function metricLabel(m: Messages, key: string): string {
  return m.metric[key] ?? key
}

/** A setting's value for people: on/off, unset, sizes and times in their units. */
export function settingText(m: Messages, f: Formatter, key: string, v: SettingValue): string {
  if (v === null || v === '') return m.settings.unset
  if (typeof v === 'boolean') return v ? m.settings.on : m.settings.off
  if (typeof v === 'number' && /Bytes$/.test(key)) return f.bytes(v)
  if (typeof v === 'number' && /Ms$/.test(key)) return f.ms(v)
  if (typeof v === 'number') return f.num(v, Number.isInteger(v) ? 0 : 2)
  return v
}

/** The mark in front of a status: a symbol, so the status reads without colour too. */
export const MARK: Readonly<Record<CheckStatus, string>> = { pass: '✅', fail: '❌', inconclusive: '⚠️', crashed: '❌', measured: '➖', 'not-run': '➖' }

/** The tone of a status. */
export const TONE: Readonly<Record<CheckStatus, Tone>> = { pass: 'pass', fail: 'fail', inconclusive: 'warn', crashed: 'fail', measured: 'neutral', 'not-run': 'neutral' }

/** `✅ pass` in the report's language. */
export function statusText(c: ComposeContext, s: CheckStatus): string {
  return `${MARK[s]} ${c.m.status[s]}`
}
