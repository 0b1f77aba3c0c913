/**
 * The per-test baseline file: the last few values of each test's figures, keyed by platform and
 * Node major (a baseline from another machine type says nothing). Read by the plugin, written by
 * the reporter only when asked (`updateBaseline`, `MEMGATE_UPDATE_BASELINE=1`).
 */
import { existsSync, readFileSync } from 'node:fs'
import { InputError, writeJsonAtomic } from '../common/index.js'

export const VITEST_BASELINE_SCHEMA_VERSION = 1

/** Baseline values of one test, oldest first. */
export interface TestBaseline {
  peakRssBytes: number[]
  retainedHeapBytes: number[]
}

export interface VitestBaselineFile {
  schemaVersion: number
  kind: 'memgate.vitest.baseline'
  platform: string
  nodeMajor: number
  updatedAt: string
  tests: Record<string, TestBaseline>
}

/** This machine's key. */
export const currentPlatform = (): { platform: string; nodeMajor: number } => ({ platform: `${process.platform}-${process.arch}`, nodeMajor: Number(process.versions.node.split('.')[0]) })

const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))

/**
 * Reads the baseline file.
 * @returns null when it does not exist.
 * @throws InputError BASELINE_INVALID when it is not a baseline file of this schema.
 */
export function readVitestBaseline(path: string): VitestBaselineFile | null {
  if (!existsSync(path)) return null
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new InputError('BASELINE_INVALID', `The vitest baseline ${path} is not JSON: ${(error as Error).message}. Delete it and record a new one with MEMGATE_UPDATE_BASELINE=1.`, path, { cause: error })
  }
  const f = raw as Partial<VitestBaselineFile>
  const valid = f && f.kind === 'memgate.vitest.baseline' && f.schemaVersion === VITEST_BASELINE_SCHEMA_VERSION && typeof f.tests === 'object' && f.tests !== null &&
    Object.values(f.tests).every((t) => numbers(t?.peakRssBytes) && numbers(t?.retainedHeapBytes))
  if (!valid) throw new InputError('BASELINE_INVALID', `The vitest baseline ${path} is not a memgate.vitest.baseline of schema version ${VITEST_BASELINE_SCHEMA_VERSION}. Delete it and record a new one with MEMGATE_UPDATE_BASELINE=1.`, path)
  return f as VitestBaselineFile
}

/** Why a baseline does not apply here, or null when it does. */
export function baselineMismatch(file: VitestBaselineFile): string | null {
  const here = currentPlatform()
  if (file.platform !== here.platform || file.nodeMajor !== here.nodeMajor) return `the baseline was recorded on ${file.platform} Node ${file.nodeMajor}, this is ${here.platform} Node ${here.nodeMajor}`
  return null
}

/** Appends one run's figures, keeping the newest `keep` values per test; tests not in this run stay, and so do the old values of a figure this run did not measure (null). */
export function appendToBaseline(previous: VitestBaselineFile | null, figures: Iterable<{ key: string; peakRssBytes: number | null; retainedHeapBytes: number | null }>, keep: number): VitestBaselineFile {
  const here = currentPlatform()
  const usable = previous && baselineMismatch(previous) === null ? previous : null
  const tests: Record<string, TestBaseline> = { ...(usable?.tests ?? {}) }
  for (const f of figures) {
    const old = tests[f.key] ?? { peakRssBytes: [], retainedHeapBytes: [] }
    tests[f.key] = {
      peakRssBytes: f.peakRssBytes === null ? old.peakRssBytes : [...old.peakRssBytes, f.peakRssBytes].slice(-keep),
      retainedHeapBytes: f.retainedHeapBytes === null ? old.retainedHeapBytes : [...old.retainedHeapBytes, f.retainedHeapBytes].slice(-keep),
    }
  }
  const sortedTests = Object.fromEntries(Object.entries(tests).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return { schemaVersion: VITEST_BASELINE_SCHEMA_VERSION, kind: 'memgate.vitest.baseline', ...here, updatedAt: new Date().toISOString(), tests: sortedTests }
}

export const writeVitestBaseline = (path: string, file: VitestBaselineFile): Promise<void> => writeJsonAtomic(path, file)
