/**
 * The report model: everything computed from the input before any word is written. Pure: the same
 * input gives the same model, and nothing here reads files, clocks or the environment.
 */
import type { Lang, ReportInput } from '../input.js'
import { baselineChanges, biggestChange, compareHeadlines, compareStages, type BaselineChange, type ChangeRow, type StageChange } from './comparison.js'
import { compositionDiffs, type CompositionDiff } from './composition.js'
import { indicatorsOf, type Indicator } from './indicators.js'
import type { ProfilesFile } from './profiles.js'
import type { Recommendation } from './recommendation.js'
import { recommend } from './recommend/index.js'
import { runModelOf, type RunModel } from './run-model.js'
import { diffSettings, type SettingChange } from './settings.js'

/** A computed report, single run or comparison. */
export interface Report {
  lang: Lang
  kind: 'run' | 'compare'
  /** The run reported on (the "after" side of a comparison). */
  after: RunModel
  before: RunModel | null
  /** Headline figures before vs after; empty for a single run. */
  headlineChanges: ChangeRow[]
  stageChanges: StageChange[]
  settingChanges: SettingChange[]
  /** Changes against the committed baseline, from the gate's relative verdicts (single runs). */
  baselineChanges: BaselineChange[]
  /** RSS composition changes: against the baseline's composition (single runs) or the before run's (comparisons). */
  compositionChanges: CompositionDiff[]
  /** The committed profile comparison (default → lean) with its provenance, for a single run; null when none was given. */
  profiles: ProfilesFile | null
  /** The change to read first; null when nothing changed beyond noise. */
  biggestChange: ChangeRow | null
  recommendations: Recommendation[]
  indicators: Indicator[]
}

/** Computes the report of `input`. */
export function buildReport(input: ReportInput): Report {
  const common = input.before ? new Set(input.before.run.scenarios.map((s) => s.name).filter((n) => input.run.run.scenarios.some((s) => s.name === n))) : undefined
  const after = runModelOf(input.run, common)
  const before = input.before ? runModelOf(input.before, common) : null
  const headlineChanges = before ? compareHeadlines(before.headline, after.headline) : []
  const stageChanges = before ? compareStages(before.scenarios, after.scenarios) : []
  const settingChanges = before ? diffSettings(before.settings, after.settings) : []
  return {
    lang: input.lang,
    kind: before ? 'compare' : 'run',
    after,
    before,
    headlineChanges,
    stageChanges,
    settingChanges,
    baselineChanges: baselineChanges(after.verdicts),
    compositionChanges: compositionDiffs(input.run.run, input.before?.run ?? null, input.run.baselines ?? []),
    profiles: before ? null : (input.profiles ?? null),
    biggestChange: biggestChange(headlineChanges),
    recommendations: recommend({ after, before, headlineChanges, stageChanges, settingChanges }),
    indicators: indicatorsOf(after, before ? headlineChanges : null),
  }
}
