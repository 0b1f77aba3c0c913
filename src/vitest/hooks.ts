/**
 * The per-test measurement, registered in a test file's scope (by the plugin's setup file, or by
 * a file itself through {@link useMemgate}): before each test a full GC, a reading and a VmHWM
 * reset; after it (last of the afterEach hooks) a full GC and a reading; the figures go into
 * `task.meta.memgate.figures`; an exceeded limit or a clear increase over the baseline fails the test.
 */
import { afterEach, beforeEach, expect, inject } from 'vitest'
import { formatBytes } from '../common/index.js'
import type { TestBaseline } from './baseline-store.js'
import { beginTest, endTest, setLeakDefaults } from './current-test.js'
import type { BaselineVerdict, MemgateMeta, TestMemoryFigures } from './figures.js'
import { toLeakMemory } from './matcher.js'
import { readPeakRss, resetPeak, steadyReading, type SteadyReading } from './measure.js'
import { DEFAULT_LEAK, resolveLimits, type ResolvedLimits, type ResolvedVitestOptions } from './options.js'

/** What the plugin provides to the workers. */
export interface ProvidedMemgate {
  options: ResolvedVitestOptions
  /** Baseline values by test key; null without a usable baseline. */
  baseline: Record<string, TestBaseline> | null
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

const FALLBACK: ResolvedVitestOptions = { defaults: { leak: DEFAULT_LEAK, baseline: true }, failOnIncrease: null }

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
  let before: SteadyReading | null = null
  /** The previous test's closing reading, when nothing but vitest's bookkeeping ran since. */
  let lastAfter: SteadyReading | null = null
  let limits: ResolvedLimits = options.defaults
  let precise = false
  let peakReset = false

  beforeEach(async ({ task }) => {
    limits = resolveLimits(task.meta.memgate, options.defaults, `meta.memgate of '${task.name}'`)
    setLeakDefaults(limits.leak)
    beginTest()
    // A limit on retained memory or a baseline to compare with deserves settled readings on both
    // sides; otherwise one GC at the end, and the start is the previous test's end (in this file).
    precise = limits.retainedBytes !== undefined || limits.retainedRssBytes !== undefined || (limits.baseline && ctx?.baseline?.[testKey(task as TaskLike)] !== undefined)
    before = !precise && lastAfter ? lastAfter : await steadyReading(precise)
    lastAfter = null
    peakReset = resetPeak()
  })

  afterEach(async ({ task }) => {
    const start = before
    if (!start) return
    before = null
    const end = await steadyReading(precise)
    lastAfter = end
    const peakRssBytes = await readPeakRss()
    const key = testKey(task as TaskLike)
    const exceeded: string[] = []
    const retainedHeapBytes = end.heapUsedBytes - start.heapUsedBytes
    const retainedRssBytes = end.rssBytes - start.rssBytes
    if (limits.peakRssBytes !== undefined && peakRssBytes !== null && peakRssBytes > limits.peakRssBytes) {
      exceeded.push(`peak RSS ${formatBytes(peakRssBytes)} is over the limit of ${formatBytes(limits.peakRssBytes)} by ${formatBytes(peakRssBytes - limits.peakRssBytes)}${peakReset ? '' : ' (peak since the worker started: the kernel refused the VmHWM reset)'}`)
    }
    if (limits.retainedBytes !== undefined && retainedHeapBytes > limits.retainedBytes) {
      exceeded.push(`retained heap ${formatBytes(retainedHeapBytes, true)} (after GC) is over the limit of ${formatBytes(limits.retainedBytes)}`)
    }
    if (limits.retainedRssBytes !== undefined && retainedRssBytes > limits.retainedRssBytes) {
      exceeded.push(`retained RSS ${formatBytes(retainedRssBytes, true)} (after GC) is over the limit of ${formatBytes(limits.retainedRssBytes)}`)
    }
    const verdicts: BaselineVerdict[] = []
    const policy = options.failOnIncrease
    const values = ctx?.baseline?.[key]
    if (policy && values && limits.baseline) {
      const { compareWithBaseline } = await import('./increase.js')
      if (peakRssBytes !== null && values.peakRssBytes.length > 0) verdicts.push(compareWithBaseline('peakRssBytes', peakRssBytes, values.peakRssBytes, policy, policy.minPeakRssBytes))
      verdicts.push(compareWithBaseline('retainedHeapBytes', retainedHeapBytes, values.retainedHeapBytes, policy, policy.minRetainedBytes))
    }
    const figures: TestMemoryFigures = {
      key,
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
