/** What recommendation rules see: the run, the run it is compared with, and their differences. */
import type { Recommendation } from '../recommendation.js'
import type { ChangeRow, StageChange } from '../comparison.js'
import type { RunModel } from '../run-model.js'
import type { SettingChange } from '../settings.js'

/** The input of every rule. In a single-run report `before` is null and the change lists are empty. */
export interface RuleContext {
  after: RunModel
  before: RunModel | null
  headlineChanges: readonly ChangeRow[]
  stageChanges: readonly StageChange[]
  settingChanges: readonly SettingChange[]
}

/** A rule: zero or more recommendations from the data, never from boilerplate. */
export type RecommendationRule = (ctx: RuleContext) => Recommendation[]

export const MiB = 1024 * 1024
