/**
 * memgate's public library API: named re-exports only, no logic (STYLE.md §7). Importing it loads
 * no native code: the OCR engine loads onnxruntime-node and sharp on first use. The built-in
 * scenarios and the benchmarks import this (and `memgate/engine`), nothing deeper.
 */
export { MemgateError, UsageError, ConfigError, InputError, ModelError, BudgetExceeded, TargetCrashed, ExitCode, exitCodeFor, type ErrorCode } from './common/errors.js'
export { parseBytes, parseRatio, formatBytes, formatMs, formatPercent, MiB, type Bytes, type Ms } from './common/units.js'
export { median, mad, percentile, coefficientOfVariation } from './common/stats.js'
export { characterErrorRate, wordF1, levenshtein } from './common/text-metrics.js'

// The OCR engine under test (also `memgate/engine`).
export { openEngine, resolveEngineOptions, PROFILES, PROFILE_ENVIRONMENT, PROFILE_NAMES, DEFAULT_PROFILE, LEAN_PROFILE, isProfileName, type ProfileName, type OcrEngine, type EngineOptions, type ResolvedEngineOptions, type EngineSettings } from './engine/index.js'
export type { ImageInput, OcrLine, OcrResult, OcrItem, Fields, ExtractedField, FieldName } from './engine/index.js'

// Probes.
export { sampleSelf, samplePid, sampleTree, createTimeline, resetPeakRss, readProcStatus, type MemorySample, type TreeSample, type Timeline } from './probe/index.js'
export { readRssCategories, attributeSmaps, diffRssCategories, describeRssDiff, type RssCategories, type RssAttribution, type RssCategory, type RssCategoryKind, type RssCategoryDelta, type RssHints, type DescribeRssDiffOptions } from './probe/index.js'
export { watchProcesses, resolveSelection, readMeminfo, type WatchOptions, type WatchResult, type WatchTick, type WatchEvent, type WatchSelection, type WatchedProcess, type SystemMemory } from './probe/index.js'

// Native allocation profiling (heaptrack).
export { detectHeaptrack, runUnderHeaptrack, readNativeProfile, HEAPTRACK_INSTALL_COMMAND, type HeaptrackTools, type HeaptrackRunOptions, type NativeProfile, type NativeProfileOptions, type NativeSite, type NativeGroup, type NativeFrameGroup } from './native/index.js'

// Heap snapshots.
export { captureHeapSnapshot, parseHeapSnapshot, summarizeHeap, diffSnapshots, diffSnapshotFiles, inspectSnapshotFile, findLeakSuspects, type CaptureResult, type HeapSummary, type HeapDiff } from './snapshot/index.js'
export { captureRemoteSnapshot, openRemoteSnapshotSession, sampleRemoteAllocations, RemoteSnapshotError } from './snapshot/remote/index.js'

// Scenarios and runs.
export { defineScenario } from './scenario/index.js'
export { runScenarios, loadScenarios, packageRoot, type LoadedScenario, type RunRequest, type RunOutcome } from './scenario/harness.js'
export { parseRun, readRun, writeRun, completedMeasuringRepeats, METRIC_KEYS, type RunResult, type ScenarioResult, type RepeatResult, type StageResult, type MetricKey } from './run/index.js'

// Budgets, baselines and the gate.
export { defineConfig } from './config/define-config.js'
export { DEFAULT_GATE_POLICY, type GatePolicy, type ScenarioBudgets } from './config/policy.js'
export { budgetsConfigSchema, resolveScenarioBudgets } from './config/budgets.js'
export { METRICS, atEqualHostSpeed, checkRun, evaluateScenario, memorySplit, rssGrowth, heapVsBaseline, heapCompositionOf, summarizeBaseline, explanationLines, formatChange, type Verdict, type CheckOutcome, type BaselineLookup, type HeapGrowth, type MemorySplit, type RssGrowth } from './baseline/index.js'
export { loadGateConfig, openGateSession, judgeRun, runTargets, heapGrowthOf, updateBaselines, type CheckEvent, type GateConfig, type GateTarget } from './check/index.js'

// Reports.
export { generateReport, buildReport, composeReport, chartsOf, renderChartPng, renderMarkdown, renderHtml, type ReportInput } from './report/index.js'
export { renderTable, type Column } from './report/render/table.js'
