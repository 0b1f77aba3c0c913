/**
 * The scenario authoring API: what a scenario module imports. Deliberately light (no zod, no
 * runner): scenario modules are loaded inside the measured worker, and every module they pull in
 * is harness overhead in the figures. The runner side is in `./harness.ts`.
 */
export {
  defineScenario,
  isScenario,
  stagesOf,
  STAGE_KINDS,
  SCENARIO_TAG,
  type BenchStageOptions,
  type OpOutcome,
  type ParamSpec,
  type ParamSpecs,
  type ParamValue,
  type ParamValues,
  type Pass,
  type Scenario,
  type ScenarioDefinition,
  type SnapshotPoint,
  type Stage,
  type StageContext,
  type StageKind,
} from './define.js'
export type {
  Failure,
  FailureKind,
  LatencyStats,
  LeakCheck,
  LeakSuspect,
  MemorySampleRecord,
  OpStats,
  RepeatResult,
  RepeatState,
  RunEnvironment,
  RunOptionsRecord,
  RunResult,
  ScenarioAnalysis,
  ScenarioResult,
  SnapshotRef,
  StageResult,
} from '../run/schema.js'

export type { ServiceCommandContext, ServiceDefinition, ServiceInfo, ServiceOutputEvent, ServiceProcessInfo, ServiceReady } from './service-types.js'
export type { HttpLoadOptions, HttpLoadResult, HttpRequestSpec } from './http-load.js'
export { jsonLineEvents, memgateCommand, type JsonLineEventOptions } from './service-events.js'
export type { HttpStats, ProcessRecord, TreeEvent } from '../run/schema.js'

// Helpers scenario modules and their fixture generators use; light (no zod, no native code).
export { ConfigError, MemgateError } from '../common/errors.js'
export { writeFileAtomic, writeJsonAtomic } from '../common/fs.js'
export { characterErrorRate, wordF1 } from '../common/text-metrics.js'
