/**
 * GitHub Actions outputs: a Markdown step summary (appended to `$GITHUB_STEP_SUMMARY`) and
 * workflow commands (`::error` for failures, `::warning` for inconclusive verdicts) that GitHub
 * shows as annotations on the run. Only the failures are spelled out; passes are one table.
 */
import type { CheckOutcome } from '../gate.js'
import type { InconclusivePolicy } from '../../config/policy.js'
import type { Verdict } from '../verdict.js'
import { explanationLines } from './explanation.js'
import { figureCells, summaryLine } from './text.js'

const ICON: Readonly<Record<Verdict['kind'], string>> = { pass: '✅ pass', fail: '❌ fail', inconclusive: '⚠️ inconclusive' }

/** Escapes a Markdown table cell. */
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

/** The step summary in Markdown. */
export function renderStepSummary(outcome: CheckOutcome, onInconclusive: InconclusivePolicy): string {
  const verdicts = outcome.scenarios.flatMap((s) => s.verdicts)
  const out = [`## memgate check: run ${outcome.runId}`, '', summaryLine(verdicts, outcome.exitCode, onInconclusive), '', '| scenario | rule | verdict | value | limit |', '| --- | --- | --- | ---: | ---: |']
  for (const v of verdicts) out.push(`| ${cell(v.scenario)} | ${cell(v.rule)} | ${ICON[v.kind]} | ${figureCells(v).map(cell).join(' | ')} |`)
  const notable = verdicts.filter((v) => v.kind !== 'pass')
  if (notable.length) out.push('', '### Details', '')
  const listed = new Set<unknown>()
  for (const v of notable) {
    out.push(`- **${v.scenario} ${v.rule}** (${v.kind}): ${v.message}`)
    if (v.kind === 'fail' && v.explanation) {
      const lines = explanationLines(v.explanation, !listed.has(v.explanation.heap))
      listed.add(v.explanation.heap)
      if (lines.length) out.push('', '  ```text', ...lines.map((l) => `  ${l}`), '  ```', '')
    }
  }
  return `${out.join('\n')}\n`
}

/** Escapes a workflow command's message (data). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escapes a workflow command's property value (also `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** `::error` / `::warning` lines, one per failing or inconclusive verdict; inconclusive ones are errors when they fail CI. */
export function annotationLines(outcome: CheckOutcome, onInconclusive: InconclusivePolicy): string[] {
  const out: string[] = []
  for (const v of outcome.scenarios.flatMap((s) => s.verdicts)) {
    if (v.kind === 'pass') continue
    const level = v.kind === 'fail' || onInconclusive === 'fail' ? 'error' : 'warning'
    const detail = v.kind === 'fail' && v.explanation ? [v.message, ...explanationLines(v.explanation)].join('\n') : v.message
    out.push(`::${level} title=${escapeProperty(`memgate ${v.scenario} ${v.rule}`)}::${escapeData(detail)}`)
  }
  return out
}
