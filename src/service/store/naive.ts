/**
 * DELIBERATELY NAIVE statistics: every row is loaded (`readAllNaive`) and summed in JavaScript, the
 * mistake of the Django service in the seed report (totals summed in Python instead of
 * `aggregate()`). Kept so a data-access scenario can measure it against {@link ResultStore.stats};
 * served only with `--naive-endpoints` and `?mode=naive`.
 */
import type { FullResultRow, ResultStats, ResultStore } from './types.js'

/** Same figures as `store.stats()`, computed from the whole table in JS. */
export function sumInJs(rows: readonly FullResultRow[]): ResultStats {
  let withTotal = 0
  let sumTotal = 0
  let minTotal = Infinity
  let maxTotal = -Infinity
  let sumConfidence = 0
  let sumMs = 0
  let sumLines = 0
  for (const r of rows) {
    sumConfidence += r.confidence
    sumMs += r.ms
    sumLines += r.lineCount
    if (r.total !== null) {
      withTotal++
      sumTotal += r.total
      minTotal = Math.min(minTotal, r.total)
      maxTotal = Math.max(maxTotal, r.total)
    }
  }
  const n = rows.length
  return {
    count: n,
    withTotal,
    sumTotal: withTotal ? sumTotal : null,
    avgTotal: withTotal ? sumTotal / withTotal : null,
    minTotal: withTotal ? minTotal : null,
    maxTotal: withTotal ? maxTotal : null,
    avgConfidence: n ? sumConfidence / n : null,
    avgMs: n ? sumMs / n : null,
    sumLines,
  }
}

/** The naive statistics path end to end: whole-table read, then {@link sumInJs}. */
export async function statsNaive(store: ResultStore): Promise<ResultStats> {
  return sumInJs(await store.readAllNaive())
}
