/**
 * check: the gate as a library. Choose targets, run them, ask for extra repeats, re-run for an
 * explanation, and judge through one verdict path, reporting progress as events. The CLI, the
 * benches and the vitest reporter call it; it never prints or exits.
 */
export type { CheckEvent, OnCheckEvent } from './events.js'
export { loadGateConfig, type GateConfig } from './config.js'
export { runTargets, selectScenarios, type Invocation, type TargetRun } from './targets.js'
export { heapGrowthOf, paramsOf, rerun, type RerunBase } from './explain-rerun.js'
export { openGateSession, type GateSession, type GateTarget } from './session.js'
export { judgeRun, type JudgeOptions } from './judge.js'
export { updateBaselines, type BaselineWrite } from './baseline-update.js'
export { heaptrackPass, nativeSummary, NATIVE_TOOLS, type NativeTool } from './native-pass.js'
export { runWatch, watchToRun, commandFailureOf, WATCH_SCENARIO, type WatchRunRequest, type WatchRunOutcome, type WatchRunMeta, type WatchBudget } from './watch-run.js'
