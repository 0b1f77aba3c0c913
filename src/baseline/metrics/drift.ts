/**
 * Drift across identical cycles: a service that leaks grows from cycle to cycle; one that only
 * fluctuates does not. Read from each `cycle` stage's after-sample (after a full GC).
 */
import { slope } from '../../common/stats.js'
import type { RepeatResult } from '../../scenario/schema.js'

/**
 * Relative RSS growth over the cycles: the least-squares slope of after-GC RSS per cycle, times
 * the cycles spanned, over the fitted first value. From three cycles on, the first is left out:
 * arenas, caches and JIT code are sized there, which is warm-up, not drift. A line through all
 * points rather than last − first, so one noisy sample moves it less.
 * @returns the fraction (0.02 = grew 2%), or null with fewer than two usable cycles
 */
export function driftOf(repeat: RepeatResult): number | null {
  const all = repeat.stages.filter((s) => s.kind === 'cycle' && s.state === 'completed' && s.after?.rssBytes != null).map((s) => s.after!.rssBytes!)
  const ys = all.length >= 3 ? all.slice(1) : all
  if (ys.length < 2) return null
  const xs = ys.map((_, i) => i)
  const perCycle = slope(xs, ys)
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length
  const first = meanY - perCycle * ((ys.length - 1) / 2)
  if (!Number.isFinite(perCycle) || first <= 0) return null
  return (perCycle * (ys.length - 1)) / first
}
