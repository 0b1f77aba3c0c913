/**
 * run: the run data model. The run.json schema (versioned; older files still load), the figures
 * computed from a run, reading and writing run directories, shards and merging partial runs.
 * Imports only common.
 */
export * from './schema.js'
export { STAGE_KINDS, type StageKind } from './stage-kinds.js'
export * from './figures.js'
export { METRIC_KEYS, type MetricKey, type MetricUnit, type MetricCategory } from './metrics.js'
export { LATEST, newRunId, pointLatest, writeRun } from './run-dir.js'
export { readRun, type ReadRun } from './read-run.js'
export { parseShard, formatShard, type Shard } from './shard.js'
export { mergeRuns, planMerge, readPartialRun, writeMerge, PARTIALS_DIR, type MergeOptions, type MergePlan, type MergeOutcome, type MergeCopy, type PartialRun } from './merge.js'
export { incompleteReason } from './completeness.js'
