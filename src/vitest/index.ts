/**
 * `memgate/vitest`: per-test memory figures and budgets, a leak matcher and a memory reporter for
 * vitest ≥ 4.1. Add `memgate()` to `plugins` in `vitest.config.ts`; or opt one file in with
 * `useMemgate()`.
 */
import './figures.js'
export { memgate, setupFilePath } from './plugin.js'
export { memoryLimits } from './limits.js'
export { useMemgate, testKey, type ProvidedMemgate } from './hooks.js'
export { toLeakMemory } from './matcher.js'
export { leakMessage } from './leak-message.js'
export { checkLeak, type LeakCheckResult, type LeakCheckTimings, type GrowingConstructor } from './leak-check.js'
export { MemgateReporter, type MemgateReporterOptions } from './reporter.js'
export { compareWithBaseline, MIN_BASELINE_RUNS } from './increase.js'
export { readVitestBaseline, appendToBaseline, VITEST_BASELINE_SCHEMA_VERSION, type VitestBaselineFile, type TestBaseline } from './baseline-store.js'
export { buildReport, renderVitestJunit, summaryLine, VITEST_REPORT_SCHEMA_VERSION, type VitestMemoryReport, type ReportedTest } from './report-file.js'
export { resolvePluginOptions, type MemgateVitestOptions, type TestMemoryLimits, type LeakCheckInput, type IncreaseOptions, type SizeInput } from './options.js'
export type { TestMemoryFigures, LeakCheckFigures, BaselineVerdict, MemgateMeta } from './figures.js'
