/**
 * What a report is made from: one run (or two, for "before vs after") as run.json holds it, and
 * the verdicts the gate gave it. Verdicts are an input, not something the report computes: the
 * budgets, baselines and statistics belong to `baseline`, and a report must say exactly what the
 * gate said. Reports never re-run anything (DESIGN.md).
 */
import type { BaselineLookup } from '../baseline/baseline-file.js'
import type { Verdict } from '../baseline/verdict.js'
import type { RunResult } from '../run/schema.js'
import type { ProfilesFile } from './model/profiles.js'

/** Languages a report can be written in. Code speaks English; reports are localised. */
export const LANGS = ['en', 'es', 'pt'] as const
export type Lang = (typeof LANGS)[number]

/** Output formats of `memgate report` and `memgate compare`. */
export const REPORT_FORMATS = ['md', 'html'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** One run and what the gate said about it. */
export interface JudgedRun {
  run: RunResult
  /** The run's directory, as the user should read it (shown in the report, never opened). */
  dir: string
  /** Verdicts of every scenario, in the gate's order; empty when no budget was checked. */
  verdicts: readonly Verdict[]
  /**
   * The baseline the gate found for each scenario (the gate's `CheckOutcome.scenarios` fits as is):
   * a single run's Before/After diffs the RSS composition against the baseline's. Absent: none shown.
   */
  baselines?: readonly ScenarioBaseline[]
}

/** A scenario's baseline as the gate looked it up. */
export interface ScenarioBaseline {
  scenario: string
  baseline: BaselineLookup
}

/** Everything a report is computed from. */
export interface ReportInput {
  lang: Lang
  /** The run reported on; in a comparison, the "after" side. */
  run: JudgedRun
  /** The "before" side of a comparison (same scenarios, another configuration or commit); null for a single run. */
  before: JudgedRun | null
  /**
   * The committed profile comparison of this machine (`memgate compare --profiles default,lean
   * --save-profiles`), shown in a single run's Before/After section; absent or null when none.
   */
  profiles?: ProfilesFile | null
}
