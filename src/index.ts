/**
 * memgate's public library API: named re-exports only, no logic (STYLE.md §7). Importing it loads
 * no native code: the OCR engine loads onnxruntime-node and sharp on first use.
 */
export { MemgateError, UsageError, ConfigError, InputError, ModelError, BudgetExceeded, TargetCrashed, ExitCode, exitCodeFor, type ErrorCode } from './common/errors.js'
export { parseBytes, parseRatio, formatBytes, formatMs, formatPercent, type Bytes, type Ms } from './common/units.js'
export { characterErrorRate, wordF1, levenshtein } from './common/text-metrics.js'

// The OCR engine under test (also `memgate/engine`).
export { openEngine, resolveEngineOptions, PROFILES, PROFILE_ENVIRONMENT, type OcrEngine, type EngineOptions, type ResolvedEngineOptions, type EngineSettings } from './engine/index.js'
export type { ImageInput, OcrLine, OcrResult, OcrItem, Fields, ExtractedField, FieldName } from './engine/index.js'

// Probes.
export { sampleSelf, samplePid, sampleTree, createTimeline, resetPeakRss, readProcStatus, type MemorySample, type TreeSample, type Timeline } from './probe/index.js'

// Heap snapshots.
export { captureHeapSnapshot, parseHeapSnapshot, summarizeHeap, diffSnapshots, findLeakSuspects, type CaptureResult, type HeapSummary, type HeapDiff } from './snapshot/index.js'

// Scenarios and runs.
export { defineScenario } from './scenario/index.js'
export { runScenarios, loadScenarios, parseRun, type RunResult, type ScenarioResult, type RepeatResult, type StageResult, type RunRequest } from './scenario/harness.js'

// Budgets, baselines and the gate.
export { defineConfig } from './config/memgate-config.js'
export { checkRun, evaluateScenario, type Verdict, type CheckOutcome } from './baseline/index.js'

// Reports.
export { generateReport, renderMarkdown, renderHtml, type ReportInput } from './report/index.js'
