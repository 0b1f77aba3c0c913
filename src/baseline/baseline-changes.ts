/** What `memgate baseline update` changes: old → new median per metric, with the change in percent. */
import type { BaselineFile } from './baseline-file.js'
import { formatChange, formatValue } from './format.js'
import { METRIC_KEYS, METRICS, type MetricKey } from './metrics/catalogue.js'

/** One metric's change. `old`/`new` are medians; null when the side has no figure. */
export interface MetricChange {
  metric: MetricKey
  name: string
  old: number | null
  new: number | null
  /** new / old − 1; null when either side is missing or old is 0. */
  change: number | null
}

/** Per metric, in catalogue order, the medians before and after (metrics on neither side are left out). */
export function baselineChanges(previous: BaselineFile | null, next: BaselineFile): MetricChange[] {
  const out: MetricChange[] = []
  for (const key of METRIC_KEYS) {
    const a = previous?.metrics[key]?.median ?? null
    const b = next.metrics[key]?.median ?? null
    if (a === null && b === null) continue
    out.push({ metric: key, name: METRICS[key].name, old: a, new: b, change: a !== null && b !== null && a !== 0 ? b / a - 1 : null })
  }
  return out
}

/** Table rows for the changes: metric, old, new, change. */
export function changeRows(changes: readonly MetricChange[]): string[][] {
  return changes.map((c) => {
    const unit = METRICS[c.metric].unit
    return [c.name, formatValue(c.old, unit), formatValue(c.new, unit), c.old === null ? 'new' : c.new === null ? 'gone' : formatChange(c.change)]
  })
}
