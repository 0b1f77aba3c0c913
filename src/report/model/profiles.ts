/**
 * The profile comparison committed with provenance: `memgate compare --profiles default,lean
 * --save-profiles FILE` keeps the headline figures of both sides (`profiles.<platform>-<arch>.
 * node<major>.json` next to the baselines), and a single run's report shows them in its
 * Before/After section. A figure measured once, on a named machine, at a named commit, with the
 * command that made it: the reader can judge it and make it again.
 */
import { z } from 'zod'
import { median } from '../../common/stats.js'
import type { RunResult } from '../../run/schema.js'
import type { Report } from './report.js'
import { NEGLIGIBLE_CHANGE } from './comparison.js'
import type { ScenarioFigures } from './figures.js'
import type { Spread } from './spread.js'

/** Current `schemaVersion` of profile comparison files. */
export const PROFILES_SCHEMA_VERSION = 1

/** Figures of a profile comparison, in table order: the headline figures and the RSS retained at ready. */
export const PROFILE_FIGURE_KEYS = ['peakRss', 'rss', 'retainedRss', 'startup', 'throughput', 'cpuPerOp', 'p95Latency', 'confidence', 'cer'] as const
export type ProfileFigureKey = (typeof PROFILE_FIGURE_KEYS)[number]

const sideFigureSchema = z.object({
  /** Median over the completed measuring repeats. */
  median: z.number(),
  /** Median absolute deviation (unscaled); null when it was not recorded. */
  mad: z.number().nonnegative().nullable(),
  /** Repeats that gave the figure. */
  n: z.number().int().nonnegative(),
})

const figureSchema = z.object({
  /** A {@link ProfileFigureKey}; readers skip keys they do not know. */
  key: z.string().min(1),
  unit: z.enum(['bytes', 'ms', 'perSec', 'score', 'ratio']),
  better: z.enum(['lower', 'higher']),
  /** The scenario the figure comes from (the same on both sides). */
  scenario: z.string().nullable(),
  before: sideFigureSchema.nullable(),
  after: sideFigureSchema.nullable(),
  /** after / before − 1; null when a side is missing or before is 0. */
  ratio: z.number().nullable(),
})

const sideSchema = z.object({
  profile: z.string().min(1),
  runId: z.string().min(1),
  /** Measuring repeats per scenario the run was asked for. */
  repeats: z.number().int().positive(),
  /** Scenarios with their parameters. */
  scenarios: z.array(z.object({ name: z.string(), params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])) })),
})

/** A profile comparison file. Readers ignore keys they do not know. */
export const profilesFileSchema = z.object({
  schemaVersion: z.literal(PROFILES_SCHEMA_VERSION),
  kind: z.literal('memgate.profiles'),
  before: sideSchema,
  after: sideSchema,
  figures: z.array(figureSchema),
  provenance: z.object({
    /** ISO 8601. */
    createdAt: z.string(),
    /** `git rev-parse HEAD` when the file was written; null outside a git checkout. */
    gitCommit: z.string().nullable(),
    /** The command that measured it, as typed. */
    command: z.string(),
    memgateVersion: z.string(),
    machine: z.object({
      platform: z.string(),
      arch: z.string(),
      cpuModel: z.string(),
      cores: z.number().int().positive(),
      totalMemoryBytes: z.number().nonnegative(),
      node: z.string(),
      /** 1-minute load average when the command started and ended (a shared machine's contention). */
      loadAvgStart: z.number().nullable(),
      loadAvgEnd: z.number().nullable(),
      /** Median over the repeats of the cores other processes kept busy (run.json contention), when recorded. */
      othersCores: z.number().nullable(),
    }),
  }),
})

/** A parsed profile comparison file. */
export type ProfilesFile = z.infer<typeof profilesFileSchema>
export type ProfileFigure = ProfilesFile['figures'][number]

/** What the CLI knows and the report model does not: where and how the comparison was made. */
export interface ProfilesProvenance {
  createdAt: string
  gitCommit: string | null
  command: string
  loadAvgStart: number | null
  loadAvgEnd: number | null
}

const side = (s: Spread | null, value: number | null): ProfileFigure['before'] => (value === null ? null : { median: value, mad: s?.mad ?? null, n: s?.n ?? 1 })

const retainedAtReady = (scenarios: readonly ScenarioFigures[]): ScenarioFigures | undefined =>
  scenarios.find((s) => s.role === 'startup' && s.steadyRss) ?? scenarios.find((s) => s.steadyRss)

function othersCoresOf(runs: readonly RunResult[]): number | null {
  const xs = runs.flatMap((r) => r.scenarios.flatMap((s) => s.repeats.map((x) => x.contention?.othersCores ?? null))).filter((x): x is number => x !== null && Number.isFinite(x))
  return xs.length ? median(xs) : null
}

const sideOf = (run: RunResult, profile: string): ProfilesFile['before'] => ({
  profile,
  runId: run.id,
  repeats: run.options.repeat,
  scenarios: run.scenarios.map((s) => ({ name: s.name, params: s.params })),
})

/**
 * The profile comparison file of a `compare` report (its "before" side ran as `beforeProfile`, its
 * "after" side as `afterProfile`).
 * @throws Error when `report` is not a comparison
 */
export function profilesSummary(report: Report, beforeProfile: string, afterProfile: string, provenance: ProfilesProvenance): ProfilesFile {
  const before = report.before
  if (!before) throw new Error('profilesSummary needs a comparison report (two runs).')
  const after = report.after
  const figures: ProfileFigure[] = []
  for (const key of PROFILE_FIGURE_KEYS) {
    if (key === 'retainedRss') {
      const a = retainedAtReady(after.scenarios)
      const b = a ? before.scenarios.find((s) => s.name === a.name) : undefined
      if (!a?.steadyRss) continue
      const bv = b?.steadyRss?.median ?? null
      figures.push({ key, unit: 'bytes', better: 'lower', scenario: a.name, before: side(b?.steadyRss ?? null, bv), after: side(a.steadyRss, a.steadyRss.median), ratio: bv ? a.steadyRss.median / bv - 1 : null })
      continue
    }
    const row = report.headlineChanges.find((r) => r.key === key)
    if (!row || (row.before === null && row.after === null)) continue
    figures.push({
      key,
      unit: row.unit,
      better: row.better,
      scenario: row.scenario,
      before: side(before.headline[key].spread, row.before),
      after: side(after.headline[key].spread, row.after),
      ratio: row.ratio,
    })
  }
  const env = after.run.environment
  return {
    schemaVersion: PROFILES_SCHEMA_VERSION,
    kind: 'memgate.profiles',
    before: sideOf(before.run, beforeProfile),
    after: sideOf(after.run, afterProfile),
    figures,
    provenance: {
      createdAt: provenance.createdAt,
      gitCommit: provenance.gitCommit,
      command: provenance.command,
      memgateVersion: after.run.memgateVersion,
      machine: {
        platform: env.platform,
        arch: env.arch,
        cpuModel: env.cpuModel,
        cores: env.cpuCount,
        totalMemoryBytes: env.totalMemoryBytes,
        node: env.node,
        loadAvgStart: provenance.loadAvgStart,
        loadAvgEnd: provenance.loadAvgEnd,
        othersCores: othersCoresOf([before.run, after.run]),
      },
    },
  }
}

/** Whether a figure's change goes the better way: true, false, or null when unknown or below 1%. */
export function profileImproved(f: ProfileFigure): boolean | null {
  if (f.ratio === null || Math.abs(f.ratio) < NEGLIGIBLE_CHANGE) return null
  return f.better === 'lower' ? f.ratio < 0 : f.ratio > 0
}

/**
 * Parses a profile comparison file's JSON text.
 * @returns the file, or the reason it cannot be used (for a warning: a bad file never stops a report)
 */
export function parseProfilesFile(text: string): { ok: true; file: ProfilesFile } | { ok: false; reason: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` }
  }
  const parsed = profilesFileSchema.safeParse(json)
  if (parsed.success) return { ok: true, file: parsed.data }
  const issue = parsed.error.issues[0]
  return { ok: false, reason: `${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid'}` }
}
