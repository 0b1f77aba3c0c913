/**
 * Options of `memgate/vitest`, validated once in the main process (plugin) into a
 * {@link ResolvedVitestOptions} that travels to the workers through vitest's `provide`.
 */
// The files, not the index: this module is part of the setup file every test file evaluates.
import { ConfigError } from '../common/errors.js'
import { parseBytes, parseRatio } from '../common/units.js'

/** A size: bytes, or text such as `'300 MB'`, `'2 MiB'`. */
export type SizeInput = number | string

/** Limits of one test; every field optional. Put them in `meta.memgate` or use {@link memoryLimits}. */
export interface TestMemoryLimits {
  /** Peak RSS of the worker process during the test (VmHWM, reset before the test). */
  peakRss?: SizeInput
  /** After-GC JS heap growth across the test (heapUsed after − before). */
  retained?: SizeInput
  /** After-GC RSS growth across the test. Noisy (allocator, JIT): prefer `retained`. */
  retainedRss?: SizeInput
  /** Defaults of `toLeakMemory` in this test. */
  leak?: LeakCheckInput
  /** Compare with the per-test baseline (when the plugin has one). @default true */
  baseline?: boolean
}

/** Options of `expect(fn).not.toLeakMemory(options)`. */
export interface LeakCheckInput {
  /** Measured calls. @default 50 */
  iterations?: number
  /** Calls before measuring (first-call caches, JIT). @default 5 */
  warmup?: number
  /** After-GC heap growth over `iterations` calls allowed before it counts as a leak. @default '16 KiB' */
  heap?: SizeInput
  /** Constructors named in a failure message. @default 5 */
  top?: number
}

/** Noise-aware comparison with the per-test baseline (memgate's `--fail-on-increase`). */
export interface IncreaseOptions {
  /** Allowed increase over the baseline median, as a fraction or `'10%'`. @default 0.1 */
  ratio?: number | string
  /** An increase smaller than this never fails (noise floor of the figure). @default '1 MiB' for peak RSS, '256 KiB' for retained heap */
  minPeakRss?: SizeInput
  minRetained?: SizeInput
  /** Confidence level of the prediction interval. @default 0.95 */
  confidenceLevel?: 0.9 | 0.95 | 0.99
}

/** Options of the {@link memgate} plugin. */
export interface MemgateVitestOptions extends TestMemoryLimits {
  /** JSON report path, relative to the vitest root. @default 'reports/vitest-memory.json' */
  outputFile?: string
  /** JUnit file with per-test figures as `<properties>`; false to skip. @default 'reports/vitest-memory.junit.xml' */
  junitFile?: string | false
  /** Per-test baseline file; null for none. @default 'baselines/vitest-memory.json' */
  baselineFile?: string | null
  /** Fail a test whose figures grew past its baseline beyond noise. @default true when a baseline exists */
  failOnIncrease?: boolean | IncreaseOptions
  /** Append this run's figures to the baseline file (also `MEMGATE_UPDATE_BASELINE=1`). @default false */
  updateBaseline?: boolean
  /** Values kept per test in the baseline (the newest). @default 5 */
  baselineRuns?: number
  /** Heaviest tests named in the summary line. @default 3 */
  summaryTop?: number
  /** Set `pool: 'forks'`, `--expose-gc`; false leaves pool and execArgv to you. @default true */
  configurePool?: boolean
  /**
   * Read every test after a settled GC, so every test gets `retainedHeapBytes`/`retainedRssBytes`.
   * Off, only tests that need them are (a `retained`/`retainedRss` limit, a per-test baseline to
   * compare with or being recorded); the rest get peak RSS without any forced GC. On, expect about
   * 100 ms of CPU more per test (three full GCs before and after it). @default false
   */
  gcEveryTest?: boolean
}

/** Limits in bytes, as the setup file uses them. */
export interface ResolvedLimits {
  peakRssBytes?: number
  retainedBytes?: number
  retainedRssBytes?: number
  leak: ResolvedLeakOptions
  baseline: boolean
}

export interface ResolvedLeakOptions {
  iterations: number
  warmup: number
  heapBytes: number
  top: number
}

export interface ResolvedIncrease {
  ratio: number
  minPeakRssBytes: number
  minRetainedBytes: number
  confidenceLevel: 0.9 | 0.95 | 0.99
}

/** What the workers receive (`inject('memgate')`). */
export interface ResolvedVitestOptions {
  defaults: ResolvedLimits
  failOnIncrease: ResolvedIncrease | null
  gcEveryTest: boolean
}

export const DEFAULT_LEAK: ResolvedLeakOptions = { iterations: 50, warmup: 5, heapBytes: 16 * 1024, top: 5 }
export const DEFAULT_INCREASE: ResolvedIncrease = { ratio: 0.1, minPeakRssBytes: 1024 * 1024, minRetainedBytes: 256 * 1024, confidenceLevel: 0.95 }

const LIMIT_KEYS = new Set(['peakRss', 'retained', 'retainedRss', 'leak', 'baseline'])
const LEAK_KEYS = new Set(['iterations', 'warmup', 'heap', 'top'])

function rejectUnknown(value: object, known: Set<string>, where: string): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) throw new ConfigError(`Unknown option ${where}.${key}; expected one of ${[...known].join(', ')}`)
  }
}

function positiveInt(value: unknown, where: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new ConfigError(`Expected an integer ≥ ${min} for ${where} but received ${String(value)}`)
  return value
}

/** Resolves leak-check options over `base`. @throws ConfigError on unknown keys or bad values. */
export function resolveLeakOptions(input: LeakCheckInput | undefined, base: ResolvedLeakOptions, where: string): ResolvedLeakOptions {
  if (input === undefined) return base
  if (typeof input !== 'object' || input === null) throw new ConfigError(`Expected an object for ${where} but received ${String(input)}`)
  rejectUnknown(input, LEAK_KEYS, where)
  return {
    iterations: input.iterations === undefined ? base.iterations : positiveInt(input.iterations, `${where}.iterations`, 2),
    warmup: input.warmup === undefined ? base.warmup : positiveInt(input.warmup, `${where}.warmup`, 0),
    heapBytes: input.heap === undefined ? base.heapBytes : parseBytes(input.heap, `${where}.heap`),
    top: input.top === undefined ? base.top : positiveInt(input.top, `${where}.top`),
  }
}

/** Resolves a test's limits over the project defaults. @throws ConfigError */
export function resolveLimits(input: TestMemoryLimits | undefined, base: ResolvedLimits, where: string): ResolvedLimits {
  if (input === undefined) return base
  if (typeof input !== 'object' || input === null) throw new ConfigError(`Expected an object for ${where} but received ${String(input)}`)
  rejectUnknown(input, LIMIT_KEYS, where)
  const out: ResolvedLimits = { ...base, leak: resolveLeakOptions(input.leak, base.leak, `${where}.leak`) }
  if (input.peakRss !== undefined) out.peakRssBytes = parseBytes(input.peakRss, `${where}.peakRss`)
  if (input.retained !== undefined) out.retainedBytes = parseBytes(input.retained, `${where}.retained`)
  if (input.retainedRss !== undefined) out.retainedRssBytes = parseBytes(input.retainedRss, `${where}.retainedRss`)
  if (input.baseline !== undefined) out.baseline = input.baseline
  return out
}

const PLUGIN_KEYS = new Set([...LIMIT_KEYS, 'outputFile', 'junitFile', 'baselineFile', 'failOnIncrease', 'updateBaseline', 'baselineRuns', 'summaryTop', 'configurePool', 'gcEveryTest'])

/** Resolved plugin options (main process). */
export interface ResolvedPluginOptions {
  worker: ResolvedVitestOptions
  outputFile: string
  junitFile: string | null
  baselineFile: string | null
  updateBaseline: boolean
  baselineRuns: number
  summaryTop: number
  configurePool: boolean
}

/** Validates the plugin's options once. @throws ConfigError */
export function resolvePluginOptions(input: MemgateVitestOptions = {}, env: NodeJS.ProcessEnv = {}): ResolvedPluginOptions {
  rejectUnknown(input, PLUGIN_KEYS, 'memgate()')
  const { outputFile, junitFile, baselineFile, failOnIncrease, updateBaseline, baselineRuns, summaryTop, configurePool, gcEveryTest, ...limits } = input
  const defaults = resolveLimits(limits, { leak: DEFAULT_LEAK, baseline: true }, 'memgate()')
  if (gcEveryTest !== undefined && typeof gcEveryTest !== 'boolean') throw new ConfigError(`Expected true or false for memgate().gcEveryTest but received ${String(gcEveryTest)} (${typeof gcEveryTest})`)
  let increase: ResolvedIncrease | null = DEFAULT_INCREASE
  if (failOnIncrease === false) increase = null
  else if (typeof failOnIncrease === 'object') {
    rejectUnknown(failOnIncrease, new Set(['ratio', 'minPeakRss', 'minRetained', 'confidenceLevel']), 'memgate().failOnIncrease')
    increase = {
      ratio: failOnIncrease.ratio === undefined ? DEFAULT_INCREASE.ratio : parseRatio(failOnIncrease.ratio, 'memgate().failOnIncrease.ratio'),
      minPeakRssBytes: failOnIncrease.minPeakRss === undefined ? DEFAULT_INCREASE.minPeakRssBytes : parseBytes(failOnIncrease.minPeakRss, 'memgate().failOnIncrease.minPeakRss'),
      minRetainedBytes: failOnIncrease.minRetained === undefined ? DEFAULT_INCREASE.minRetainedBytes : parseBytes(failOnIncrease.minRetained, 'memgate().failOnIncrease.minRetained'),
      confidenceLevel: failOnIncrease.confidenceLevel ?? DEFAULT_INCREASE.confidenceLevel,
    }
    if (![0.9, 0.95, 0.99].includes(increase.confidenceLevel)) throw new ConfigError(`Expected 0.9, 0.95 or 0.99 for memgate().failOnIncrease.confidenceLevel but received ${increase.confidenceLevel}`)
  }
  return {
    worker: { defaults, failOnIncrease: increase, gcEveryTest: gcEveryTest ?? false },
    outputFile: outputFile ?? 'reports/vitest-memory.json',
    junitFile: junitFile === false ? null : (junitFile ?? 'reports/vitest-memory.junit.xml'),
    baselineFile: baselineFile === null ? null : (baselineFile ?? 'baselines/vitest-memory.json'),
    updateBaseline: updateBaseline ?? (env.MEMGATE_UPDATE_BASELINE === '1' || env.MEMGATE_UPDATE_BASELINE === 'true'),
    baselineRuns: baselineRuns === undefined ? 5 : positiveInt(baselineRuns, 'memgate().baselineRuns', 3),
    summaryTop: summaryTop === undefined ? 3 : positiveInt(summaryTop, 'memgate().summaryTop', 0),
    configurePool: configurePool ?? true,
  }
}
