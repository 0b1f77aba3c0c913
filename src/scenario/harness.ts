/**
 * The runner side of scenarios (the parent process): load scenarios, run them in worker
 * processes (the run model they produce is src/run). The CLI and benches import this; scenario modules import
 * `./index.ts` instead, which stays light.
 */
export * from './index.js'
export { resolveParams, checkAssignmentsUsed } from './params.js'
export { runScenarios, type RunEvent, type RunOutcome, type RunRequest, type TracedPass } from './runner.js'
export { runWorker, type WorkerEvent, type WorkerRunOptions } from './supervise/run-worker.js'
export { classifyExit, type ExitObservation } from './failure.js'
export { analyzeLeaks } from './leak-analysis.js'
export { builtinScenarioNames, loadScenario, loadScenarios, resolveScenarioRef, type LoadedScenario, type ScenarioRef } from './registry.js'
export { describeEnvironment, memoryRelevantEnv } from './environment.js'
export { createWorkerCgroup, findOomKillInKernelLog, memoryCgroupOf, oomKillCount, type CgroupRef, type WorkerCgroup } from './oom.js'
export { packageRoot, workerEntry, builtinScenarioDir, memgateVersion } from './paths.js'
export { importUserModule, isTypeScriptFile, tsxLoaderUrl } from './import-module.js'
