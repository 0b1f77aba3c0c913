/** Everything the report computes about one run, once, before any text is written. */
import type { Verdict } from '../../baseline/verdict.js'
import type { RunResult } from '../../run/schema.js'
import type { JudgedRun } from '../input.js'
import { distributionOf, type Distribution } from './distribution.js'
import { figuresOf, type ScenarioFigures } from './figures.js'
import { headlineOf, type Headline } from './headline.js'
import { leaksOf, type LeakFindings } from './leaks.js'
import { nativeOf, type NativeFindings } from './native.js'
import { rate, type RatingResult } from './rating.js'
import { settingsOf, type SettingRow } from './settings.js'
import { validationOf, type ValidationItem } from './validation.js'

/** One run, computed. */
export interface RunModel {
  run: RunResult
  dir: string
  verdicts: readonly Verdict[]
  scenarios: ScenarioFigures[]
  headline: Headline
  rating: RatingResult
  settings: SettingRow[]
  /** Setting keys whose value differs between the run's scenarios. */
  settingConflicts: string[]
  distribution: Distribution | null
  validation: ValidationItem[]
  leaks: LeakFindings
  /** The scenarios' heaptrack passes (`analysis.native`); empty without one. */
  native: NativeFindings[]
  /** Profiles of the run's scenarios, deduplicated (`lean`, or `default, lean`). */
  profiles: string[]
}

/**
 * Computes the model of `judged`.
 * @param headlineFrom scenario names the headline figures may come from; in a comparison, those
 *   both runs have, so "peak RSS before" and "after" describe the same workload. @default all
 */
export function runModelOf(judged: JudgedRun, headlineFrom?: ReadonlySet<string>): RunModel {
  const { run, verdicts } = judged
  const scenarios = run.scenarios.map(figuresOf)
  const { rows, conflicts } = settingsOf(run)
  return {
    run,
    dir: judged.dir,
    verdicts,
    scenarios,
    headline: headlineOf(headlineFrom ? scenarios.filter((s) => headlineFrom.has(s.name)) : scenarios),
    rating: rate(verdicts),
    settings: rows,
    settingConflicts: conflicts,
    distribution: distributionOf(scenarios, (name) => run.scenarios.find((s) => s.name === name)?.repeats ?? []),
    validation: validationOf(scenarios, verdicts),
    leaks: leaksOf(scenarios, verdicts),
    native: nativeOf(run),
    profiles: [...new Set(run.scenarios.flatMap((s) => (s.variant === null ? [] : [s.variant])))],
  }
}
