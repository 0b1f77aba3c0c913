/**
 * baseline: budgets as rules, verdicts, the baseline store and the CI gate over a run. Works from
 * saved JSON: imports only types from `scenario`, so it never loads the runner or native code.
 */
export { METRICS, type MetricKey, type MetricSpec, type MetricUnit, type MetricCategory } from './metrics/catalogue.js'
export type { RegressionKey, LimitBudget, RegressionBudget, ScenarioBudgets, GatePolicy, InconclusivePolicy, ConfidenceLevel } from '../config/policy.js'
export type { Verdict, VerdictKind, PassVerdict, FailVerdict, InconclusiveVerdict, ChangeFigures, RuleCategory, BudgetRule, ScenarioEvidence } from './verdict.js'
export { compareSeries, type Comparison, type CompareOptions } from './compare.js'
export { tQuantile, madToSigma } from './small-sample.js'
export { rulesFor, completedRule, limitRule, regressionRule } from './rules/index.js'
export { evaluateScenario, evidenceOf, gateExitCode, countVerdicts, type VerdictCounts } from './evaluate.js'
export { checkRun, type CheckOutcome, type ScenarioCheck, type GateHooks, type GateInputs } from './gate.js'
export { atEqualHostSpeed, speedReferencesOf, type EqualSpeed, type SpeedReferences } from './speed-scale.js'
export { rssGrowth, heapVsBaseline, type RssGrowth, type HeapVsBaseline } from './explain-rss.js'
export { memorySplit, framingStages, growthFromDiff, topGrowingClasses, NATIVE_SHARE, type Explanation, type GrowingClass, type HeapGrowth, type MemorySplit, type DiffLike } from './explain.js'
export {
  BASELINE_SCHEMA_VERSION,
  baselineFileSchema,
  baselineFileName,
  baselineKeyOf,
  baselineMismatch,
  baselineValues,
  nodeMajorOf,
  summarizeBaseline,
  heapCompositionOf,
  lastWorkStage,
  rssCompositionOf,
  type BaselineComposition,
  type HeapComposition,
  type BaselineFile,
  type BaselineKey,
  type BaselineLookup,
  type MetricSummary,
} from './baseline-file.js'
export { baselinePath, lookupBaseline, readBaselineFile, writeBaseline } from './store.js'
export { baselineChanges, changeRows, type MetricChange } from './baseline-changes.js'
export { formatValue, formatAmount, formatChange } from './format.js'
export { renderCheckJson, toCheckReport, checkReportSchema, verdictJsonSchema, CHECK_REPORT_SCHEMA_VERSION, type CheckReport } from './render/json.js'
export { renderJunit, xmlEscape } from './render/junit.js'
export { renderStepSummary, annotationLines, escapeData, escapeProperty } from './render/github.js'
export { verdictRows, detailLines, summaryLine, figureCells, VERDICT_COLUMNS, VERDICT_LABEL } from './render/text.js'
export { explanationLines, pathTail, TOP_CLASSES, PATH_TAIL_STEPS } from './render/explanation.js'
