/**
 * A baseline: the summary of one scenario's measuring repeats (not their timelines), committed
 * under `baselines/`, keyed by scenario, platform, architecture and Node major. Relative budgets
 * compare a run's repeats with the `values` kept here.
 */
import { z } from 'zod'
import { legacyVariant } from '../run/legacy.js'
import { keepTopHeapClasses, medianRssCategories, type HeapClassRow } from '../run/composition.js'
import { InputError } from '../common/errors.js'
import { mad, median } from '../common/stats.js'
import { completedMeasuringRepeats } from '../run/figures.js'
import type { RunResult, ScenarioResult } from '../run/schema.js'
import { METRIC_KEYS, METRICS, readingsOf, type MetricKey } from './metrics/catalogue.js'
import { speedReferencesOf } from './speed-scale.js'

/** Current `schemaVersion` of baseline files. */
export const BASELINE_SCHEMA_VERSION = 1

const metricSummarySchema = z.object({
  unit: z.enum(['bytes', 'ratio', 'count', 'score', 'perSec', 'ms']),
  /** One value per completed repeat that reported the metric, in repeat order. */
  values: z.array(z.number()).min(1),
  median: z.number(),
  /** Median absolute deviation (unscaled), in the metric's unit. */
  mad: z.number().nonnegative(),
  /**
   * For a speed-scaled metric (CPU per operation): the host's speed reference of each repeat, the
   * median CPU ms of its bursts, aligned with `values`. Absent in older baselines and when a repeat
   * had none; the rule then compares raw values.
   */
  speedReference: z.object({ workload: z.string(), cpuMs: z.array(z.number().positive()).min(1) }).optional(),
})

/**
 * What the scenario's memory was made of at the end of its last work stage: the median RSS
 * categories of the measuring repeats (smaps, read by the parent) and, when the run had a snapshot
 * pass, the heap's top classes by held size. A few KB; the explanation of a failing memory rule
 * diffs a run against it. Absent in older baselines.
 */
const compositionSchema = z.object({
  /** The stage whose end it describes (the last stage before teardown). */
  stage: z.string(),
  rss: z
    .object({
      /** Repeats whose reading went into the medians. */
      repeats: z.number().int().positive(),
      rssBytes: z.number().nonnegative(),
      categories: z.array(z.object({ name: z.string(), kind: z.string(), rssBytes: z.number().nonnegative(), pssBytes: z.number().nonnegative() })),
    })
    .optional(),
  heap: z
    .object({
      /** Snapshot file of the run's snapshot pass it was summarised from (relative to that run's directory). */
      snapshot: z.string(),
      totalSelfBytes: z.number().nonnegative(),
      /**
       * Top classes by held size (src/snapshot/held.ts: what a class's objects keep alive as the
       * nearest holder), or by self size in baselines written before held sizes were recorded
       * (no `heldBytes`; a diff against them compares self sizes).
       */
      classes: z.array(z.object({ className: z.string(), count: z.number().int().nonnegative(), selfBytes: z.number().nonnegative(), heldBytes: z.number().nonnegative().optional() })),
      /** Every other class, as one row; `max*` bound what any one of them had (absent in older baselines). */
      rest: z.object({
        classes: z.number().int().nonnegative(),
        count: z.number().int().nonnegative(),
        selfBytes: z.number().nonnegative(),
        heldBytes: z.number().nonnegative().optional(),
        maxSelfBytes: z.number().nonnegative().optional(),
        maxHeldBytes: z.number().nonnegative().optional(),
      }),
    })
    .optional(),
})

/** Metrics whose values may be below zero: drift is a growth ratio, and memory can shrink. */
const SIGNED_METRICS: ReadonlySet<MetricKey> = new Set(['drift'])

/** A baseline file. Readers ignore keys they do not know. */
export const baselineFileSchema = z.preprocess(legacyVariant, z.object({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  kind: z.literal('memgate.baseline'),
  scenario: z.string().min(1),
  /** The scenario's variant (`--profile`), null when it has none. */
  variant: z.string().nullable(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  platform: z.string(),
  arch: z.string(),
  nodeMajor: z.number().int().positive(),
  /** Full Node version of the run, e.g. `v20.20.2`. */
  node: z.string(),
  /** ISO 8601. */
  createdAt: z.string(),
  /** The run the baseline was made from. */
  runId: z.string(),
  /** `git rev-parse HEAD` when the baseline was written, null outside a git checkout. */
  gitCommit: z.string().nullable(),
  memgateVersion: z.string(),
  /** Completed measuring repeats summarised. */
  repeats: z.number().int().positive(),
  /** By metric key; metrics the scenario did not report are absent. */
  metrics: z.partialRecord(z.enum(METRIC_KEYS), metricSummarySchema),
  composition: compositionSchema.optional(),
}).superRefine((b, ctx) => {
  // A byte count, a count, a rate or a time below zero was never measured: the file was edited.
  for (const [key, summary] of Object.entries(b.metrics) as [MetricKey, MetricSummary | undefined][]) {
    if (!summary || SIGNED_METRICS.has(key)) continue
    const at = summary.values.findIndex((v) => v < 0)
    if (at >= 0) ctx.addIssue({ code: 'custom', path: ['metrics', key, 'values', at], message: `${summary.values[at]} is negative, which no measurement of ${key} can be` })
    else if (summary.median < 0) ctx.addIssue({ code: 'custom', path: ['metrics', key, 'median'], message: `${summary.median} is negative, which no measurement of ${key} can be` })
  }
}))

/** A parsed baseline file. */
export type BaselineFile = z.infer<typeof baselineFileSchema>
/** What a baseline records of the scenario's memory composition. */
export type BaselineComposition = z.infer<typeof compositionSchema>
/** The heap part of a composition (from a snapshot pass). */
export type HeapComposition = NonNullable<BaselineComposition['heap']>
/** One metric of a baseline: the repeats' values, their median and MAD. */
export type MetricSummary = z.infer<typeof metricSummarySchema>

/** What the store found for a scenario. `file` is where the baseline is (or would be). */
export type BaselineLookup =
  | { state: 'found'; file: string; baseline: BaselineFile }
  | { state: 'missing'; file: string }
  /** Found, but made under other conditions (profile, parameters): not comparable. */
  | { state: 'mismatch'; file: string; baseline: BaselineFile; reason: string }

/** Identity of a baseline: which file it lives in. */
export interface BaselineKey {
  scenario: string
  platform: string
  arch: string
  nodeMajor: number
}

/** The key of `scenario` in `run`: its name and the run's platform, architecture and Node major. */
export function baselineKeyOf(run: RunResult, scenario: string): BaselineKey {
  return { scenario, platform: run.environment.platform, arch: run.environment.arch, nodeMajor: nodeMajorOf(run.environment.node) }
}

/** File name of a baseline, e.g. `load.linux-x64.node20.json`. */
export function baselineFileName(key: BaselineKey): string {
  return `${key.scenario}.${key.platform}-${key.arch}.node${key.nodeMajor}.json`
}

/** Node major of a version string (`v20.20.2` → 20). */
export function nodeMajorOf(version: string): number {
  const major = Number(/^v?(\d+)/.exec(version)?.[1])
  return Number.isInteger(major) && major > 0 ? major : 0
}

/**
 * Summarises the completed measuring repeats of `scenario` into a baseline.
 * @throws InputError('RUN_INVALID') when no measuring repeat completed
 */
export function summarizeBaseline(run: RunResult, scenario: ScenarioResult, gitCommit: string | null, now: Date = new Date()): BaselineFile {
  const completed = completedMeasuringRepeats(scenario.repeats)
  if (completed.length === 0) throw new InputError('RUN_INVALID', `Run ${run.id} has no completed measuring repeat of '${scenario.name}'; there is nothing to make a baseline from.`)
  const metrics: BaselineFile['metrics'] = {}
  for (const key of METRIC_KEYS) {
    const read = readingsOf(METRICS[key], completed)
    const values = read.map((p) => p.value)
    if (values.length === 0) continue
    const reference = METRICS[key].speedScaled ? speedReferencesOf(read.map((p) => p.repeat)) : null
    metrics[key] = { unit: METRICS[key].unit, values, median: median(values), mad: mad(values), ...(reference ? { speedReference: reference } : {}) }
  }
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    kind: 'memgate.baseline',
    scenario: scenario.name,
    variant: scenario.variant,
    params: scenario.params,
    platform: run.environment.platform,
    arch: run.environment.arch,
    nodeMajor: nodeMajorOf(run.environment.node),
    node: run.environment.node,
    createdAt: now.toISOString(),
    runId: run.id,
    gitCommit,
    memgateVersion: run.memgateVersion,
    repeats: completed.length,
    metrics,
    ...withComposition(rssCompositionOf(completed)),
  }
}

/** The last stage before teardown: where a scenario's steady state is measured. */
export function lastWorkStage<S extends { kind: string }>(stages: readonly S[]): S | undefined {
  return stages.filter((s) => s.kind !== 'teardown').at(-1)
}

/** The median RSS categories at the end of the repeats' last work stage, or undefined when none was read. */
export function rssCompositionOf(completed: readonly RunResult['scenarios'][number]['repeats'][number][]): BaselineComposition | undefined {
  const stage = completed.map((r) => lastWorkStage(r.stages)?.name).find((n) => n !== undefined)
  if (stage === undefined) return undefined
  const records = completed.map((r) => r.stages.find((s) => s.name === stage)?.rssCategories?.after).filter((a): a is NonNullable<typeof a> => a != null)
  if (records.length === 0) return { stage }
  return { stage, rss: { repeats: records.length, rssBytes: median(records.map((r) => r.rssBytes)), categories: medianRssCategories(records) } }
}

/** Top classes of a heap summary (by held size when recorded, else self) and the rest as one row: the heap part of a composition. */
export function heapCompositionOf(snapshot: string, classes: readonly HeapClassRow[], top = 25): HeapComposition {
  return { snapshot, totalSelfBytes: classes.reduce((n, c) => n + c.selfBytes, 0), ...keepTopHeapClasses(classes, top) }
}

function withComposition(c: BaselineComposition | undefined): { composition?: BaselineComposition } {
  return c && (c.rss || c.heap) ? { composition: c } : {}
}

/**
 * Why `baseline` cannot be compared with `scenario`, or null when it can: a different engine
 * profile or different parameters measure a different workload.
 */
export function baselineMismatch(baseline: BaselineFile, scenario: ScenarioResult): string | null {
  if (baseline.variant !== scenario.variant) return `the baseline was measured with profile '${baseline.variant}', this run with '${scenario.variant}'`
  const keys = new Set([...Object.keys(baseline.params), ...Object.keys(scenario.params)])
  const differ = [...keys].filter((k) => baseline.params[k] !== scenario.params[k]).sort()
  if (differ.length > 0) return `parameters differ from the baseline's: ${differ.map((k) => `${k}=${fmt(scenario.params[k])} (baseline ${fmt(baseline.params[k])})`).join(', ')}`
  return null
}

const fmt = (v: unknown): string => (v === undefined ? 'unset' : JSON.stringify(v))

/** Values of `metric` in a baseline (empty when absent). */
export function baselineValues(baseline: BaselineFile, metric: MetricKey): number[] {
  return baseline.metrics[metric]?.values ?? []
}
