/**
 * Success indicators: the yes/no questions a lead asks of an optimisation, each answered from the
 * figures (null when the run cannot answer it, rather than a guess).
 */
import type { ChangeRow } from './comparison.js'
import type { RunModel } from './run-model.js'

/** A comparison's throughput may fall this much and still count as kept (the default regression budget). */
export const THROUGHPUT_TOLERANCE = 0.1
/** A comparison's confidence may fall this much (absolute) and still count as kept. */
export const CONFIDENCE_TOLERANCE = 0.01
/** Drift below this across the cycles counts as stable when no drift budget says otherwise. */
export const STABLE_DRIFT = 0.02

export type Indicator =
  | { id: 'budgets-hold'; ok: boolean | null; passed: number; failed: number; inconclusive: number }
  | { id: 'all-completed'; ok: boolean; completed: number; measured: number }
  | { id: 'stable'; ok: boolean | null; drift: number | null }
  | { id: 'no-swap'; ok: boolean | null; swapBytes: number | null }
  | { id: 'precision-holds'; ok: boolean | null; failed: number }
  | { id: 'peak-reduced'; ok: boolean | null; ratio: number | null }
  | { id: 'throughput-kept'; ok: boolean | null; ratio: number | null }
  | { id: 'confidence-kept'; ok: boolean | null; delta: number | null }

/** The indicators of `after`, and in a comparison those of the change. */
export function indicatorsOf(after: RunModel, changes: readonly ChangeRow[] | null): Indicator[] {
  const v = after.verdicts
  const count = (kind: string) => v.filter((x) => x.kind === kind).length
  const measured = after.scenarios.reduce((a, s) => a + s.measured, 0)
  const completed = after.scenarios.reduce((a, s) => a + s.completed, 0)
  const drifts = after.scenarios.map((s) => s.drift?.median).filter((d): d is number => d !== undefined)
  const maxDrift = drifts.length ? Math.max(...drifts) : null
  const driftVerdicts = v.filter((x) => x.metric === 'drift' && x.kind !== 'inconclusive')
  const swaps = after.scenarios.map((s) => s.swap?.median).filter((d): d is number => d !== undefined)
  const accuracy = v.filter((x) => x.category === 'accuracy')
  const out: Indicator[] = [
    { id: 'budgets-hold', ok: v.length ? count('fail') === 0 : null, passed: count('pass'), failed: count('fail'), inconclusive: count('inconclusive') },
    { id: 'all-completed', ok: completed === measured && measured > 0, completed, measured },
    { id: 'stable', ok: driftVerdicts.length ? driftVerdicts.every((x) => x.kind === 'pass') : maxDrift === null ? null : maxDrift < STABLE_DRIFT, drift: maxDrift },
    { id: 'no-swap', ok: swaps.length ? swaps.every((s) => s === 0) : null, swapBytes: swaps.length ? Math.max(...swaps) : null },
    { id: 'precision-holds', ok: accuracy.some((x) => x.kind !== 'inconclusive') ? accuracy.every((x) => x.kind !== 'fail') : null, failed: accuracy.filter((x) => x.kind === 'fail').length },
  ]
  if (changes) {
    const row = (key: ChangeRow['key']) => changes.find((r) => r.key === key)
    const peak = row('peakRss')
    const tp = row('throughput')
    const conf = row('confidence')
    out.push(
      { id: 'peak-reduced', ok: peak?.ratio == null ? null : peak.ratio <= 0, ratio: peak?.ratio ?? null },
      { id: 'throughput-kept', ok: tp?.ratio == null ? null : tp.ratio >= -THROUGHPUT_TOLERANCE, ratio: tp?.ratio ?? null },
      { id: 'confidence-kept', ok: conf?.delta == null ? null : conf.delta >= -CONFIDENCE_TOLERANCE, delta: conf?.delta ?? null },
    )
  }
  return out
}
