/** Formats metric figures for verdict messages and tables, by unit (data stays raw; STYLE.md §6). */
import { formatBytes, formatMs } from '../common/units.js'
import type { MetricUnit } from './metrics/catalogue.js'

/** A value of the metric, e.g. `421 MiB`, `2.60%`, `0.912`, `14.2/s`, `830 ms`. */
export function formatValue(value: number | null | undefined, unit: MetricUnit): string {
  if (value == null || !Number.isFinite(value)) return '—'
  switch (unit) {
    case 'bytes':
      return formatBytes(value)
    case 'ratio':
      return `${(value * 100).toFixed(2)}%`
    case 'count':
      return String(Math.round(value))
    case 'score':
      return value.toFixed(3)
    case 'perSec':
      return `${value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2)}/s`
    case 'ms':
      return formatMs(value)
  }
}

/** A difference of two values (always unsigned here; the message says which way), e.g. `38.0 MiB`, `0.60 pp`. */
export function formatAmount(amount: number, unit: MetricUnit): string {
  const a = Math.abs(amount)
  // A difference of two percentages is in percentage points, not a percentage of anything.
  return unit === 'ratio' ? `${(a * 100).toFixed(2)} pp` : formatValue(a, unit)
}

/**
 * A signed percentage with one decimal, e.g. `+7.6%`, `-10.0%`; `0.0%` for zero.
 * @param ratio a fraction (0.076)
 */
export function formatChange(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return '—'
  const p = ratio * 100
  const text = Math.abs(p).toFixed(1)
  if (text === '0.0') return '0.0%'
  return `${p > 0 ? '+' : '-'}${text}%`
}
