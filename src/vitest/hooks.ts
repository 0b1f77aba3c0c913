/**
 * The per-test measurement, registered in a test file's scope (by the plugin's setup file, or by
 * a file itself through {@link useMemgate}): before each test a reading and a VmHWM reset; after
 * it (last of the afterEach hooks) a reading and VmHWM; the figures go into
 * `task.meta.memgate.figures`; an exceeded limit or a clear increase over the baseline fails the test.
 *
 * The readings are taken after a settled GC only for tests that need a retained figure (a
 * `retained`/`retainedRss` limit, baseline values to compare with, a baseline being recorded, or
 * `gcEveryTest`). Every other test gets the cheap path: no forced GC, peak RSS only (the VmHWM
 * reset and read cost well under a millisecond). A full GC of a vitest worker's ~15 MB heap costs
 * 15–35 ms of CPU, a settled one about 50 ms: with a GC after every test and a setup file that
 * loaded ~45 modules into every test file, the plugin added 121% wall time to 68 tests of
 * memgate's own suite; without them, 13% (bench/vitest.ts: 3 A/B pairs at load ~11; CPU +14%),
 * and `gcEveryTest` +102% (CPU +59%).
 */
import { afterEach, beforeEach, expect, inject } from 'vitest'
import { formatBytes } from '../common/units.js'
import type { TestBaseline } from './baseline-store.js'
import { beginTest, endTest, setLeakDefaults } from './current-test.js'
import type { BaselineVerdict, MemgateMeta, TestMemoryFigures } from './figures.js'
import { toLeakMemory } from './matcher.js'
import { quickReading, readPeakRss, resetPeak, steadyReading, type Reading } from './measure.js'
import { DEFAULT_LEAK, resolveLimits, type ResolvedLimits, type ResolvedVitestOptions } from './options.js'

/** What the plugin provides to the workers. */
export interface ProvidedMemgate {
  options: ResolvedVitestOptions
  /** Baseline values by test key; null without a usable baseline. */
  baseline: Record<string, TestBaseline> | null
  /**
   * This run appends its figures to the baseline (`updateBaseline`): every test with the baseline
   * on is read after a settled GC, so the values recorded are the ones later runs compare with.
   */
  recordBaseline: boolean
}

declare module 'vitest' {
  interface ProvidedContext {
    memgate: ProvidedMemgate | undefined
  }
}

interface TaskLike {
  name: string
  meta: { memgate?: MemgateMeta }
  file?: { name: string }
  suite?: { name: string; suite?: unknown } | undefined
}

/** `file > describe > test`, the same key in every shard and run. */
export function testKey(task: TaskLike): string {
  const names = [task.name]
  for (let s = task.suite as TaskLike['suite']; s; s = s.suite as TaskLike['suite']) if (s.name && s.name !== task.file?.name) names.unshift(s.name)
  return [task.file?.name ?? '', ...names].join(' > ')
}

const FALLBACK: ResolvedVitestOptions = { defaults: { leak: DEFAULT_LEAK, baseline: true }, failOnIncrease: null, gcEveryTest: false }

function provided(): ProvidedMemgate | undefined {
  try {
    return inject('memgate')
  } catch {
    return undefined
  }
}

/** Test files that registered the hooks already (the plugin's setup file and an explicit call may both run). */
const installedIn = new Set<string>()

/**
 * Registers the hooks and the `toLeakMemory` matcher in the current test file. The plugin's
 * setup file calls it; without the plugin, call it at the top of a test file to opt that file in.
 * Idempotent per file.
 */
export function useMemgate(): void {
  expect.extend({ toLeakMemory })
  const file = expect.getState().testPath
  if (file !== undefined) {
    if (installedIn.has(file)) return
    installedIn.add(file)
  }
  const ctx = provided()
  const options = ctx?.options ?? FALLBACK
  let before: Reading | null = null
  let limits: ResolvedLimits = options.defaults
  let settled = false
  let peakReset = false

  /** Whether this test's figures need readings after a settled GC (see the file comment). */
  const needsSettled = (key: string): boolean =>
    options.gcEveryTest ||
    limits.retainedBytes !== undefined ||
    limits.retainedRssBytes !== undefined ||
    (limits.baseline && ((ctx?.recordBaseline ?? false) || (options.failOnIncrease !== null && (ctx?.baseline?.[key]?.retainedHeapBytes.length ?? 0) > 0)))

  beforeEach(async ({ task }) => {
    limits = resolveLimits(task.meta.memgate, options.defaults, `meta.memgate of '${task.name}'`)
    setLeakDefaults(limits.leak)
    beginTest()
    settled = needsSettled(testKey(task as TaskLike))
    before = settled ? await steadyReading() : quickReading()
    peakReset = resetPeak()
  })

  afterEach(async ({ task }) => {
    const start = before
    if (!start) return
    before = null
    const end = settled ? await steadyReading() : quickReading()
    const peakRssBytes = await readPeakRss()
    const key = testKey(task as TaskLike)
    const exceeded: string[] = []
    const retainedHeapBytes = settled ? end.heapUsedBytes - start.heapUsedBytes : null
    const retainedRssBytes = settled ? end.rssBytes - start.rssBytes : null
    if (limits.peakRssBytes !== undefined && peakRssBytes !== null && peakRssBytes > limits.peakRssBytes) {
      exceeded.push(`peak RSS ${formatBytes(peakRssBytes)} is over the limit of ${formatBytes(limits.peakRssBytes)} by ${formatBytes(peakRssBytes - limits.peakRssBytes)}${peakReset ? '' : ' (peak since the worker started: the kernel refused the VmHWM reset)'}`)
    }
    if (limits.retainedBytes !== undefined && retainedHeapBytes !== null && retainedHeapBytes > limits.retainedBytes) {
      exceeded.push(`retained heap ${formatBytes(retainedHeapBytes, true)} (after GC) is over the limit of ${formatBytes(limits.retainedBytes)}`)
    }
    if (limits.retainedRssBytes !== undefined && retainedRssBytes !== null && retainedRssBytes > limits.retainedRssBytes) {
      exceeded.push(`retained RSS ${formatBytes(retainedRssBytes, true)} (after GC) is over the limit of ${formatBytes(limits.retainedRssBytes)}`)
    }
    const verdicts: BaselineVerdict[] = []
    const policy = options.failOnIncrease
    const values = ctx?.baseline?.[key]
    if (policy && values && limits.baseline) {
      const { compareWithBaseline } = await import('./increase.js')
      if (peakRssBytes !== null && values.peakRssBytes.length > 0) verdicts.push(compareWithBaseline('peakRssBytes', peakRssBytes, values.peakRssBytes, policy, policy.minPeakRssBytes))
      if (retainedHeapBytes !== null) verdicts.push(compareWithBaseline('retainedHeapBytes', retainedHeapBytes, values.retainedHeapBytes, policy, policy.minRetainedBytes))
    }
    const figures: TestMemoryFigures = {
      key,
      gc: settled ? 'settled' : 'none',
      peakRssBytes,
      peakReset,
      peakRssIncreaseBytes: peakRssBytes === null ? null : peakRssBytes - start.rssBytes,
      retainedHeapBytes,
      retainedRssBytes,
      heapUsedBytes: end.heapUsedBytes,
      durationMs: end.atMs - start.atMs,
      limits: { ...(limits.peakRssBytes !== undefined ? { peakRssBytes: limits.peakRssBytes } : {}), ...(limits.retainedBytes !== undefined ? { retainedBytes: limits.retainedBytes } : {}), ...(limits.retainedRssBytes !== undefined ? { retainedRssBytes: limits.retainedRssBytes } : {}) },
      exceeded,
      leakChecks: endTest(),
      baseline: verdicts,
    }
    task.meta.memgate = { ...task.meta.memgate, figures }
    const failures = [...exceeded, ...verdicts.filter((v) => v.kind === 'fail').map((v) => v.message)]
    if (failures.length > 0) throw new Error(`memgate: ${failures.join('; ')}`)
  })
}
