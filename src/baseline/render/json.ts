/**
 * `memgate check --json`: the verdicts as a versioned document for CI scripts (STYLE.md §8).
 * `schemaVersion` changes only when a field is removed or changes meaning.
 *
 * - `runId`, `runDir`: the run checked; `exitCode` (0 pass, 1 budget failed, 3 target crashed);
 *   `onInconclusive` (`warn` | `fail`); `counts` of verdicts by kind.
 * - `scenarios[]`: `scenario`, `repeats` (completed measuring repeats judged), `extraRepeats`,
 *   `baseline` (`state`: found | missing | mismatch, `file`, `reason` for a mismatch) and
 *   `verdicts[]`.
 * - a verdict: `rule` (e.g. `peak-rss`, `peak-rss-regression`, `completed`), `kind` (pass | fail |
 *   inconclusive), `category` (memory | speed | accuracy | target), `metric` and `unit`
 *   (bytes | ratio | count | score | perSec | ms), `value` (median of the repeats), `limit`
 *   (absolute rules), `repeats`, `message` (one line with the figure, the limit and the margin);
 *   relative rules add `change` {baselineMedian, baselineRepeats, change, low, high, allowed,
 *   confidenceLevel} as fractions; failures add `over` (and `overRatio`) and, for memory,
 *   `explanation` {split: {basis, rssGrowthBytes, jsGrowthBytes, where: js | native},
 *   heap: {state: ok, from, to, classes[{className, nodeType, netCount, netSizeBytes,
 *   retainerPath}]} | {state: unavailable, reason}, rss?: {basis, stage, deltas[{name, kind,
 *   beforeBytes, afterBytes, deltaBytes}], summary}, heapVsBaseline?: {stage, classes[{className,
 *   count, selfBytes, heldBytes?, countDelta, selfDeltaBytes, heldDeltaBytes?}], basis?: held | self}, native?: {file, measure: leaked | peak,
 *   holders[{sharedObject, library, frame, bytes, allocations, sites}], totalBytes, summary}};
 *   inconclusive ones add `moreRepeatsHelp`.
 */
import { z } from 'zod'
import { countVerdicts } from '../evaluate.js'
import type { CheckOutcome } from '../gate.js'
import type { InconclusivePolicy } from '../../config/policy.js'

/** Current version of the check report. */
export const CHECK_REPORT_SCHEMA_VERSION = 1

const growingClass = z.object({ className: z.string(), nodeType: z.string(), netCount: z.number(), netSizeBytes: z.number(), retainerPath: z.string().nullable() })

const explanation = z.object({
  split: z.object({ basis: z.enum(['baseline', 'run']), rssGrowthBytes: z.number(), jsGrowthBytes: z.number(), where: z.enum(['js', 'native']) }).nullable(),
  heap: z
    .discriminatedUnion('state', [
      z.object({ state: z.literal('ok'), from: z.string(), to: z.string(), classes: z.array(growingClass) }),
      z.object({ state: z.literal('unavailable'), reason: z.string() }),
    ])
    .nullable(),
  /** The RSS categories (smaps) that grew, largest growth first. */
  rss: z
    .object({
      basis: z.enum(['baseline', 'run']),
      stage: z.string(),
      deltas: z.array(z.object({ name: z.string(), kind: z.string(), beforeBytes: z.number(), afterBytes: z.number(), deltaBytes: z.number() })),
      summary: z.string().nullable(),
    })
    .nullable()
    .optional(),
  /** Classes that grew against the baseline's heap composition. */
  heapVsBaseline: z
    .object({
      stage: z.string(),
      basis: z.enum(['held', 'self']).optional(),
      classes: z.array(z.object({ className: z.string(), count: z.number(), selfBytes: z.number(), heldBytes: z.number().optional(), countDelta: z.number(), selfDeltaBytes: z.number(), heldDeltaBytes: z.number().optional() })),
    })
    .nullable()
    .optional(),
  /** Who holds the native memory, from the run's heaptrack pass (sites summed by shared object and named frame). */
  native: z
    .object({
      file: z.string(),
      measure: z.enum(['leaked', 'peak']),
      holders: z.array(z.object({ sharedObject: z.string().nullable(), library: z.string(), frame: z.string().nullable(), bytes: z.number(), allocations: z.number(), sites: z.number() })),
      totalBytes: z.number(),
      summary: z.string(),
    })
    .nullable()
    .optional(),
})

const verdictBase = {
  scenario: z.string(),
  rule: z.string(),
  category: z.enum(['memory', 'speed', 'accuracy', 'target']),
  metric: z.string().nullable(),
  unit: z.enum(['bytes', 'ratio', 'count', 'score', 'perSec', 'ms']).nullable(),
  value: z.number().nullable(),
  limit: z.number().nullable(),
  repeats: z.number().int().nonnegative(),
  change: z
    .object({ baselineMedian: z.number(), baselineRepeats: z.number().int(), change: z.number(), low: z.number(), high: z.number(), allowed: z.number(), confidenceLevel: z.number() })
    .optional(),
  message: z.string(),
}

/** One verdict in the report. */
export const verdictJsonSchema = z.discriminatedUnion('kind', [
  z.object({ ...verdictBase, kind: z.literal('pass') }),
  z.object({ ...verdictBase, kind: z.literal('fail'), over: z.number(), overRatio: z.number().nullable(), explanation: explanation.optional() }),
  z.object({ ...verdictBase, kind: z.literal('inconclusive'), moreRepeatsHelp: z.boolean() }),
])

/** The whole `--json` document. */
export const checkReportSchema = z.object({
  schemaVersion: z.literal(CHECK_REPORT_SCHEMA_VERSION),
  kind: z.literal('memgate.check'),
  runId: z.string(),
  runDir: z.string().nullable(),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(3)]),
  onInconclusive: z.enum(['warn', 'fail']),
  counts: z.object({ pass: z.number().int(), fail: z.number().int(), inconclusive: z.number().int() }),
  scenarios: z.array(
    z.object({
      scenario: z.string(),
      repeats: z.number().int().nonnegative(),
      extraRepeats: z.number().int().nonnegative(),
      baseline: z.object({ state: z.enum(['found', 'missing', 'mismatch']), file: z.string(), reason: z.string().optional() }),
      verdicts: z.array(verdictJsonSchema),
    }),
  ),
})

/** The `--json` document. */
export type CheckReport = z.infer<typeof checkReportSchema>

/** Builds the `--json` document of `outcome`. */
export function toCheckReport(outcome: CheckOutcome, runDir: string | null, onInconclusive: InconclusivePolicy): CheckReport {
  return {
    schemaVersion: CHECK_REPORT_SCHEMA_VERSION,
    kind: 'memgate.check',
    runId: outcome.runId,
    runDir,
    exitCode: outcome.exitCode,
    onInconclusive,
    counts: countVerdicts(outcome.scenarios.flatMap((s) => s.verdicts)),
    scenarios: outcome.scenarios.map((s) => ({
      scenario: s.scenario,
      repeats: s.repeats,
      extraRepeats: s.extraRepeats,
      baseline: { state: s.baseline.state, file: s.baseline.file, ...(s.baseline.state === 'mismatch' ? { reason: s.baseline.reason } : {}) },
      verdicts: s.verdicts,
    })),
  }
}

/** The document as pretty JSON with a trailing newline. */
export function renderCheckJson(outcome: CheckOutcome, runDir: string | null, onInconclusive: InconclusivePolicy): string {
  return `${JSON.stringify(toCheckReport(outcome, runDir, onInconclusive), null, 2)}\n`
}
