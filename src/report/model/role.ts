/**
 * What a scenario validates, so the report knows where its figures go: the built-in scenarios by
 * name, any other by its shape (a user's scenario that reports `cer` is a precision check).
 */
import type { ScenarioResult } from '../../run/schema.js'

/** The part of the validation a scenario speaks to. */
export const SCENARIO_ROLES = ['startup', 'load', 'stress', 'stability', 'precision', 'other'] as const
export type ScenarioRole = (typeof SCENARIO_ROLES)[number]

const BY_NAME: Readonly<Record<string, ScenarioRole>> = { startup: 'startup', load: 'load', stress: 'stress', stability: 'stability', precision: 'precision' }

/** The role of `scenario`: its built-in name, else what its stages and metrics look like. */
export function roleOf(scenario: ScenarioResult): ScenarioRole {
  const named = BY_NAME[scenario.name]
  if (named) return named
  const stages = scenario.repeats.find((r) => r.pass === 'measure')?.stages ?? []
  if (stages.some((s) => 'cer' in s.metrics || 'fieldAccuracy' in s.metrics)) return 'precision'
  if (stages.filter((s) => s.kind === 'cycle').length >= 2 && !scenario.analysis?.leakCheck) return 'stability'
  if (stages.some((s) => s.kind === 'startup')) return 'startup'
  if (stages.some((s) => s.kind === 'idle') && stages.some((s) => s.kind === 'work')) return 'stress'
  if (stages.some((s) => s.kind === 'work' && s.ops.count > 0)) return 'load'
  return 'other'
}
