/**
 * Heap snapshots: capture, streaming parse, per-class summaries with retained and held sizes, diffs,
 * retainer paths, leak suspects and allocation sampling. A leaf module: imports only `common`.
 */
export { captureHeapSnapshot, type CaptureOptions, type CaptureResult } from './capture.js'
export { collectGarbage } from './gc.js'
export { parseHeapSnapshot, type ParseOptions } from './parser/parse.js'
/** Progress callback of {@link parseHeapSnapshot}: bytes read so far and the file size. */
export type { ProgressCallback } from './parser/chunk-reader.js'
export { SnapshotInvalidError } from './errors.js'
export { HeapGraph, ROOT_ORDINAL, type SnapshotSource, type TypeIds } from './graph.js'
export { StringStore } from './string-store.js'
export { classifyNodes, classNameFor, type ClassTable } from './classes.js'
export { computeDominators, UNREACHABLE, type DominatorTree } from './dominators.js'
export { summarizeHeap, type ClassSummary, type HeapSummary, type SummaryInputs } from './summary.js'
export { digestSnapshot, digestSelfSize, snapshotTotals, type SnapshotDigest, type SnapshotTotals } from './digest.js'
export { diffSnapshots, addedObjectsByClass, type ClassDiff, type HeapDiff } from './diff.js'
export { shortestPathTree, NO_PARENT, type PathTree } from './path-tree.js'
export {
  retainerPath,
  renderRetainerPath,
  clusterRetainers,
  pathSignature,
  DEFAULT_MAX_EXAMINED,
  type RetainerStep,
  type RetainerPath,
  type RetainerCluster,
  type RetainerClusters,
  type ClusterOptions,
} from './retainers.js'
export { findLeakSuspects, type LeakSuspects, type LeakSuspectClass, type LeakSuspectOptions } from './leak-suspects.js'
export {
  inspectSnapshotFile,
  heapClassesOfFile,
  diffSnapshotFiles,
  findLeakSuspectsInFiles,
  type FileAnalysisOptions,
  type DiffFilesOptions,
  type FileProgressCallback,
  type HeldClassSummary,
} from './analyze-files.js'
export { classHeldSizes, isHolderClass, BUILTIN_CONTAINERS } from './held.js'
export {
  sampleAllocations,
  aggregateSites,
  DEFAULT_SAMPLING_INTERVAL_BYTES,
  type AllocationSamplingOptions,
  type AllocationSite,
  type AllocationProfile,
  type SamplingProfile,
  type SamplingProfileNode,
} from './allocation-sites.js'
export {
  SNAPSHOT_REPORT_SCHEMA_VERSION,
  inspectReportSchema,
  diffReportSchema,
  leakSuspectsReportSchema,
  type InspectReport,
  type DiffReport,
  type LeakSuspectsReport,
} from './report-schema.js'
