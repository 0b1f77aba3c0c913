/**
 * `memgate check --junit FILE`: JUnit XML as CI test reporters read it. One `<testsuite>` per
 * scenario, one `<testcase>` per rule: a failed budget is a `<failure>`, a crashed or hung target
 * an `<error>`, an inconclusive verdict `<skipped>` (or a `<failure type="inconclusive">` when
 * inconclusive fails CI). Every case carries its message, so the report reads without the log.
 */
import type { CheckOutcome, ScenarioCheck } from '../gate.js'
import type { InconclusivePolicy } from '../../config/policy.js'
import type { Verdict } from '../verdict.js'
import { explanationLines } from './explanation.js'

/** Escapes text for XML attributes and content; drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

interface CaseCounts {
  tests: number
  failures: number
  errors: number
  skipped: number
}

function outcomeOf(v: Verdict, onInconclusive: InconclusivePolicy): keyof Omit<CaseCounts, 'tests'> | null {
  if (v.kind === 'fail') return v.category === 'target' ? 'errors' : 'failures'
  if (v.kind === 'inconclusive') return onInconclusive === 'fail' ? 'failures' : 'skipped'
  return null
}

function testcase(v: Verdict, onInconclusive: InconclusivePolicy): string {
  const open = `    <testcase classname="memgate.${xmlEscape(v.scenario)}" name="${xmlEscape(v.rule)}" time="0">`
  const msg = xmlEscape(v.message)
  const body = [v.message, ...(v.kind === 'fail' && v.explanation ? explanationLines(v.explanation) : [])].map(xmlEscape).join('\n')
  switch (outcomeOf(v, onInconclusive)) {
    case 'errors':
      return `${open}\n      <error type="target" message="${msg}">${body}</error>\n    </testcase>`
    case 'failures':
      return `${open}\n      <failure type="${v.kind === 'fail' ? 'budget' : 'inconclusive'}" message="${msg}">${body}</failure>\n    </testcase>`
    case 'skipped':
      return `${open}\n      <skipped message="${msg}"/>\n    </testcase>`
    default:
      return `${open}\n      <system-out>${msg}</system-out>\n    </testcase>`
  }
}

function count(verdicts: readonly Verdict[], onInconclusive: InconclusivePolicy): CaseCounts {
  const c: CaseCounts = { tests: verdicts.length, failures: 0, errors: 0, skipped: 0 }
  for (const v of verdicts) {
    const k = outcomeOf(v, onInconclusive)
    if (k) c[k]++
  }
  return c
}

const attrs = (c: CaseCounts) => `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`

function suite(s: ScenarioCheck, onInconclusive: InconclusivePolicy): string {
  const cases = s.verdicts.map((v) => testcase(v, onInconclusive))
  return [`  <testsuite name="${xmlEscape(s.scenario)}" ${attrs(count(s.verdicts, onInconclusive))} time="0">`, ...cases, '  </testsuite>'].join('\n')
}

/** The JUnit XML document of `outcome`. */
export function renderJunit(outcome: CheckOutcome, onInconclusive: InconclusivePolicy): string {
  const all = outcome.scenarios.flatMap((s) => s.verdicts)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="memgate check" ${attrs(count(all, onInconclusive))}>`,
    ...outcome.scenarios.map((s) => suite(s, onInconclusive)),
    '</testsuites>',
    '',
  ].join('\n')
}
