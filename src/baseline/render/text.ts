/**
 * The terminal rendering of a check, as data for the CLI's table printer: a row per verdict, then
 * one block per failing or inconclusive verdict, then a summary line.
 */
import { countVerdicts } from '../evaluate.js'
import { formatChange, formatValue } from '../format.js'
import type { CheckOutcome } from '../gate.js'
import type { InconclusivePolicy } from '../../config/policy.js'
import type { Verdict } from '../verdict.js'
import { explanationLines } from './explanation.js'

/** How each verdict kind is written; a failure stands out in a long CI log. */
export const VERDICT_LABEL: Readonly<Record<Verdict['kind'], string>> = { pass: 'pass', fail: 'FAIL', inconclusive: 'inconclusive' }

/** Columns of the verdict table (`right`: numbers). */
export const VERDICT_COLUMNS = [{ header: 'scenario' }, { header: 'rule' }, { header: 'verdict' }, { header: 'value', right: true }, { header: 'limit', right: true }] as const

/** The `value` and `limit` cells of a verdict: the median and the limit, or the change and the allowed change. */
export function figureCells(v: Verdict): [string, string] {
  if (v.metric === null) return [`${v.value ?? 0}/${v.limit ?? 0}`, '']
  if (v.change) return [formatChange(v.change.change), formatChange(v.change.allowed)]
  return [formatValue(v.value, v.unit ?? 'count'), v.limit === null ? '' : formatValue(v.limit, v.unit ?? 'count')]
}

/** One table row per verdict. */
export function verdictRows(outcome: CheckOutcome): string[][] {
  return outcome.scenarios.flatMap((s) => s.verdicts.map((v) => [v.scenario, v.rule, VERDICT_LABEL[v.kind], ...figureCells(v)]))
}

/** The lines under the table: each failing or inconclusive verdict's message and explanation, extra repeats, summary. */
export function detailLines(outcome: CheckOutcome, onInconclusive: InconclusivePolicy): string[] {
  const verdicts = outcome.scenarios.flatMap((s) => s.verdicts)
  const out: string[] = []
  // A scenario's memory failures share one snapshot diff: list its classes once, not per rule.
  const listed = new Set<unknown>()
  for (const v of verdicts) {
    if (v.kind === 'pass') continue
    out.push(`${VERDICT_LABEL[v.kind]} ${v.scenario} ${v.rule}: ${v.message}`)
    if (v.kind !== 'fail' || !v.explanation) continue
    for (const line of explanationLines(v.explanation, !listed.has(v.explanation.heap))) out.push(`  ${line}`)
    listed.add(v.explanation.heap)
  }
  const extra = outcome.scenarios.filter((s) => s.extraRepeats > 0).map((s) => `${s.scenario} +${s.extraRepeats}`)
  if (extra.length) out.push(`extra repeats for inconclusive comparisons: ${extra.join(', ')}`)
  if (out.length) out.push('')
  out.push(summaryLine(verdicts, outcome.exitCode, onInconclusive))
  return out
}

/** e.g. `1 failed, 2 inconclusive (not failing: onInconclusive is 'warn'), 9 passed; exit 1`. */
export function summaryLine(verdicts: readonly Verdict[], exitCode: number, onInconclusive: InconclusivePolicy): string {
  const c = countVerdicts(verdicts)
  const warn = c.inconclusive > 0 && onInconclusive === 'warn' ? " (not failing: onInconclusive is 'warn')" : ''
  return `${c.fail} failed, ${c.inconclusive} inconclusive${warn}, ${c.pass} passed; exit ${exitCode}`
}
