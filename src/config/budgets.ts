/**
 * The `budgets` section of memgate.config: absolute budgets (a ceiling or a floor per metric) and
 * relative ones (`regression`: how much worse than the baseline), for every scenario and per
 * scenario by name. Human units are parsed here, once: `'500 MB'`, `'2%'`, `'250 ms'`, `'+5%'`.
 * `false` switches an inherited budget off. Unknown keys are rejected: a typo in a budget must
 * not pass silently.
 */
import { z } from 'zod'
import type { LimitBudget, RegressionBudget, RegressionKey, ScenarioBudgets } from './policy.js'
import type { MetricKey } from '../run/metrics.js'
import { parseBytes, parseRatio } from '../common/units.js'

type Parse = (value: number | string) => number

/** A budget value: a number or a string parsed by `parse`, or `false` (off). */
function budgetValue(expected: string, parse: Parse) {
  return z.union([z.number(), z.string(), z.boolean()]).transform((v, ctx): number | false => {
    if (v === false) return false
    try {
      if (v === true) throw new Error('true is not a budget')
      const n = parse(v)
      if (!Number.isFinite(n)) throw new Error('not finite')
      return n
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected ${expected} (or false to switch the budget off) but received ${JSON.stringify(v)}` })
      return z.NEVER
    }
  })
}

const nonNegative = (n: number): number => {
  if (n < 0) throw new Error('negative')
  return n
}
const unitInterval = (n: number): number => {
  if (n < 0 || n > 1) throw new Error('outside 0..1')
  return n
}

/** `250`, `'250 ms'`, `'1.5 s'` → ms. */
export function parseDurationMs(value: number | string): number {
  if (typeof value === 'number') return nonNegative(value)
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(value)
  if (!m) throw new Error(`not a duration: ${value}`)
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1)
}

/** `12`, `'12/s'` → operations per second. */
export function parseRate(value: number | string): number {
  const n = typeof value === 'number' ? value : Number(/^\s*(\d+(?:\.\d+)?)\s*(?:\/s)?\s*$/.exec(value)?.[1] ?? Number.NaN)
  if (!(n > 0)) throw new Error('not a positive rate')
  return n
}

/** A relative change in the worse direction: `'+5%'` for figures that must not grow, `'-10%'` for ones that must not fall. */
function change(direction: 'growth' | 'drop') {
  const example = direction === 'growth' ? "a growth like '+5%' or 0.05" : "a drop like '-10%' or 0.1"
  return budgetValue(example, (v) => {
    const r = parseRatio(v)
    // The sign may be written or left out, but a sign that points the wrong way is a mistake.
    if (typeof v === 'string' && ((direction === 'growth' && r < 0) || (direction === 'drop' && r > 0 && v.trim().startsWith('+')))) throw new Error('wrong sign')
    if (Math.abs(r) > 10 || r === 0) throw new Error('out of range')
    return Math.abs(r)
  })
}

const size = budgetValue("a size like '500 MB' or '1.5 GiB' or a number of bytes", (v) => parseBytes(v))
const fraction = budgetValue("a fraction like 0.85 or '85%'", (v) => unitInterval(parseRatio(v)))

/** Absolute budgets by metric: the key says which figure, the metric says whether it is a ceiling or a floor. */
const limitShape = {
  /** Ceiling on peak RSS (VmHWM). */
  peakRss: size.optional(),
  /** Ceiling on RSS after GC once the workload is done (what the process keeps). */
  retainedRss: size.optional(),
  /** Ceiling on the largest transient RSS rise above both ends of one work, cycle, bench or idle stage. */
  fluctuation: size.optional(),
  /** Ceiling on swapped-out memory (VmSwap). */
  swap: size.optional(),
  /** Ceiling on V8 heap used after GC. */
  heapUsed: size.optional(),
  /** Ceiling on ArrayBuffer/Buffer memory after GC. */
  arrayBuffers: size.optional(),
  /** Ceiling on RSS growth across cycle stages, as a fraction (`'2%'`). */
  drift: budgetValue("a ratio like '2%' or 0.02", (v) => nonNegative(parseRatio(v))).optional(),
  /** Ceiling on OS threads. */
  threads: budgetValue('a whole number of threads', (v) => {
    const n = typeof v === 'number' ? v : Number(v)
    if (!Number.isInteger(n) || n < 1) throw new Error('not a count')
    return n
  }).optional(),
  /** Floor on mean recognition confidence, 0..1. */
  confidence: fraction.optional(),
  /** Floor on the share of fields read right, 0..1. */
  fieldAccuracy: fraction.optional(),
  /** Ceiling on the character error rate, 0..1. */
  cer: fraction.optional(),
  /** Floor on operations per second. */
  throughput: budgetValue("a rate like 12 or '12/s'", parseRate).optional(),
  /** Ceiling on CPU time per operation, ms. */
  cpuPerOp: budgetValue("a duration like 800, '800 ms' or '1.2 s'", parseDurationMs).optional(),
  /** Ceiling on the slowest stage's p95 latency, ms. */
  p95Latency: budgetValue("a duration like 250, '250 ms' or '1.5 s'", parseDurationMs).optional(),
  /** Ceiling on peak PSS: of the process, or summed over a service's tree (shared pages counted once). */
  peakPss: size.optional(),
  /** Ceiling on the highest peak RSS of any one worker of a service (each process of another target). */
  workerPeakRss: size.optional(),
} satisfies Record<MetricKey, unknown>

/** `regression`: allowed change against the baseline per metric. */
export const regressionBudgetsSchema = z.strictObject({
  peakRss: change('growth').optional(),
  retainedRss: change('growth').optional(),
  heapUsed: change('growth').optional(),
  arrayBuffers: change('growth').optional(),
  throughput: change('drop').optional(),
  cpuPerOp: change('growth').optional(),
  p95Latency: change('growth').optional(),
  peakPss: change('growth').optional(),
  workerPeakRss: change('growth').optional(),
} satisfies Record<RegressionKey, unknown>)

/** Budgets of one scenario (`budgets.scenarios.<name>`). */
export const scenarioBudgetsSchema = z.strictObject({ ...limitShape, regression: regressionBudgetsSchema.optional() })

/** The `budgets` section: budgets for every scenario, and `scenarios` for budgets of one scenario by name. */
export const budgetsConfigSchema = z.strictObject({
  ...limitShape,
  regression: regressionBudgetsSchema.optional(),
  scenarios: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'scenario names are kebab-case'), scenarioBudgetsSchema).optional(),
})

/** The section as written. */
export type BudgetsConfig = z.input<typeof budgetsConfigSchema>
/** The section parsed (numbers in bytes, fractions, ms; `false` for off). */
export type ParsedBudgets = z.output<typeof budgetsConfigSchema>
type ParsedScenarioBudgets = z.output<typeof scenarioBudgetsSchema>

/**
 * Built-in budgets, from the report this project grew from: peak RSS < 500 MB, RSS fluctuation
 * within a stage < 50 MB, swap < 10 MB, drift across cycles < 2%, mean confidence > 0.85; and
 * against the baseline, peak RSS and retained RSS (after GC, once the work is done) at most +5%
 * and nothing on time. Time budgets (`throughput`, `cpuPerOp`, `p95Latency`) are opt-in: how much
 * slower is acceptable is the service's call, and on this project's shared 2-core machine raw time
 * figures moved 11–18% between quiet checks minutes apart (the host's own speed). `cpuPerOp` is
 * therefore compared at equal host speed (src/baseline/speed-scale.ts: 0 false alarms in 20 clean
 * checks quiet and contended in bench:gate), and wall-clock rules under visible contention answer
 * inconclusive.
 */
export const DEFAULT_BUDGETS = {
  peakRss: '500 MB',
  fluctuation: '50 MB',
  swap: '10 MB',
  drift: '2%',
  confidence: 0.85,
  regression: { peakRss: '+5%', retainedRss: '+5%' },
} as const satisfies BudgetsConfig

const PARSED_DEFAULTS: ParsedBudgets = budgetsConfigSchema.parse(DEFAULT_BUDGETS)
const LIMIT_KEYS = Object.keys(limitShape) as MetricKey[]
const REGRESSION_KEYS = Object.keys(regressionBudgetsSchema.shape) as RegressionKey[]

/**
 * The budgets of `scenario`: the built-in defaults, overridden by the section's top level, then
 * by `scenarios.<scenario>` (whose budgets are `explicit`).
 * @param parsed the validated section, or undefined when the config has none
 * @param defaults @default the parsed {@link DEFAULT_BUDGETS}
 */
export function resolveScenarioBudgets(parsed: ParsedBudgets | undefined, scenario: string, defaults: ParsedBudgets = PARSED_DEFAULTS): ScenarioBudgets {
  const own = parsed?.scenarios?.[scenario]
  const layers: [ParsedScenarioBudgets | undefined, boolean][] = [
    [defaults, false],
    [parsed, false],
    [own, true],
  ]
  const limits: Partial<Record<MetricKey, LimitBudget>> = {}
  const regressions: Partial<Record<RegressionKey, RegressionBudget>> = {}
  for (const [layer, explicit] of layers) {
    if (!layer) continue
    for (const key of LIMIT_KEYS) {
      const v = layer[key]
      if (v === false) delete limits[key]
      else if (v !== undefined) limits[key] = { limit: v, explicit }
    }
    for (const key of REGRESSION_KEYS) {
      const v = layer.regression?.[key]
      if (v === false) delete regressions[key]
      else if (v !== undefined) regressions[key] = { allowed: v, explicit }
    }
  }
  return { limits, regressions }
}
