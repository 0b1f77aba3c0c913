/**
 * `completed`: every measuring repeat must finish. A crashed, killed or hung target is not a
 * budget question: its failure makes `memgate check` exit 3, and the figures of the repeats that
 * did complete are still judged by the other rules.
 */
import type { BudgetRule, Verdict } from '../verdict.js'

/** The `completed` rule. */
export const completedRule: BudgetRule = {
  name: 'completed',
  category: 'target',
  check({ scenario, completed }): Verdict {
    const measured = scenario.repeats.filter((r) => r.pass === 'measure')
    const base = { scenario: scenario.name, rule: 'completed', category: 'target' as const, metric: null, unit: null, value: completed.length, limit: measured.length, repeats: measured.length }
    const failed = measured.filter((r) => r.state !== 'completed')
    if (measured.length === 0) return { ...base, kind: 'fail', over: 0, overRatio: null, message: 'the run has no measuring repeat of this scenario; it was cut short before the scenario started.' }
    if (failed.length === 0) return { ...base, kind: 'pass', message: `${measured.length} of ${measured.length} repeats completed` }
    const first = failed[0]!
    const why = first.failure ? `${first.failure.kind}${first.failure.stage ? ` in stage '${first.failure.stage}'` : ''}: ${first.failure.message}` : first.state
    return {
      ...base,
      kind: 'fail',
      over: failed.length,
      overRatio: failed.length / measured.length,
      message: `${failed.length} of ${measured.length} repeats did not complete; #${first.index + 1} ${first.state} (${why})`,
    }
  },
}
