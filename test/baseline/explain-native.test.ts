/** The explanation of a failing memory rule names who holds the native growth, from the run's heaptrack pass. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { summarizeBaseline, type BaselineLookup } from '../../src/baseline/baseline-file.js'
import { nativeGrowth } from '../../src/baseline/explain-native.js'
import { checkRun } from '../../src/baseline/gate.js'
import { explanationLines } from '../../src/baseline/render/explanation.js'
import { checkReportSchema, toCheckReport } from '../../src/baseline/render/json.js'
import { nativeSummary } from '../../src/check/native-pass.js'
import { DEFAULT_GATE_POLICY, type ScenarioBudgets } from '../../src/config/policy.js'
import { buildNativeProfile, parseHeaptrackPrint } from '../../src/native/index.js'
import type { RssCategoriesRecord } from '../../src/run/composition.js'
import type { NativeAnalysis, RepeatResult } from '../../src/run/schema.js'
import { makeRun, makeScenario, MiB, peaks } from '../fixtures/gate/runs.js'

/** analysis.native as `memgate run --native heaptrack` records it, from heaptrack_print output of a real run (see the folder's README.md). */
function analysisOf(print: string): NativeAnalysis {
  const text = readFileSync(new URL(`../fixtures/native-heaptrack-print/${print}`, import.meta.url), 'utf8')
  return nativeSummary(buildNativeProfile(parseHeaptrackPrint(text, print), '1.4.0'), `native/heaptrack.load.zst`)
}

function record(rows: Record<string, [string, number]>): RssCategoriesRecord {
  const categories = Object.entries(rows).map(([name, [kind, mib]]) => ({ name, kind, rssBytes: mib * MiB, pssBytes: mib * MiB }))
  return { atMs: 0, readMs: 1, rssBytes: categories.reduce((n, c) => n + c.rssBytes, 0), pssBytes: categories.reduce((n, c) => n + c.pssBytes, 0), categories }
}

const start = { 'V8 heap': ['v8-heap', 15] as [string, number], 'glibc malloc arenas': ['malloc', 40] as [string, number], 'libonnxruntime.so.1': ['shared-object', 30] as [string, number] }

/** Every stage read `start` before and `end` after. */
function withCategories(r: RepeatResult, end: Record<string, [string, number]>): RepeatResult {
  for (const s of r.stages) s.rssCategories = { before: record(start), after: record({ ...start, ...end }) }
  return r
}

const regression: ScenarioBudgets = { limits: {}, regressions: { peakRss: { allowed: 0.05, explicit: false } } }
const ORT = '/work/main/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1'

describe('native holders in the explanation', () => {
  it('sums the listed sites by shared object and named frame, largest still-allocated first', () => {
    const growth = nativeGrowth(analysisOf('ort-arena-on.txt'))
    expect(growth?.measure).toBe('leaked')
    expect(growth?.holders[0]).toMatchObject({ sharedObject: ORT, library: 'libonnxruntime.so.1', frame: 'InferenceSessionWrap::Run' })
    // Two backtraces under Run hold 12.58 MB and 9.44 MB at the end (heaptrack's decimal units).
    expect(growth?.holders[0]?.bytes).toBe(12_580_000 + 9_440_000)
    expect(growth?.holders[0]?.sites).toBe(2)
    expect(growth?.holders[1]).toMatchObject({ library: 'libonnxruntime.so.1', frame: 'InferenceSessionWrap::LoadModel' })
    expect(growth?.summary).toBe('libonnxruntime.so.1 under InferenceSessionWrap::Run +21.0 MiB still allocated')
    expect(growth?.totalBytes).toBe(45_070_000)
  })

  it('names the holder in a failing memory rule when native memory grew, and the JSON report carries it', async () => {
    const base = makeScenario('load', peaks(400, 402, 398, 401, 399))
    base.repeats.forEach((r) => withCategories(r, {}))
    const found: BaselineLookup = { state: 'found', file: 'b.json', baseline: summarizeBaseline(makeRun([base]), base, null) }
    const grown = makeScenario('load', peaks(440, 441, 439, 442, 440))
    grown.repeats.forEach((r) => withCategories(r, { 'glibc malloc arenas': ['malloc', 62] }))
    grown.analysis = { native: analysisOf('ort-arena-on.txt') }
    const outcome = await checkRun(makeRun([grown]), { budgetsFor: () => regression, baselineFor: async () => found, policy: DEFAULT_GATE_POLICY })
    const fail = outcome.scenarios[0]?.verdicts.find((v) => v.kind === 'fail')
    const explanation = fail?.kind === 'fail' ? fail.explanation : undefined
    expect(explanation?.native?.summary).toBe('libonnxruntime.so.1 under InferenceSessionWrap::Run +21.0 MiB still allocated')
    const lines = explanation ? explanationLines(explanation) : []
    expect(lines).toContain(
      'native memory held by (heaptrack pass, native/heaptrack.load.zst): libonnxruntime.so.1 under InferenceSessionWrap::Run +21.0 MiB still allocated, libonnxruntime.so.1 under InferenceSessionWrap::LoadModel +15.9 MiB still allocated (of 43.0 MiB still allocated at the end)',
    )
    const json = checkReportSchema.parse(JSON.parse(JSON.stringify(toCheckReport(outcome, null, DEFAULT_GATE_POLICY.onInconclusive))))
    expect(JSON.stringify(json)).toContain('libonnxruntime.so.1 under InferenceSessionWrap::Run +21.0 MiB still allocated')
  })

  it('stays out when only the V8 heap grew, and without a heaptrack pass', async () => {
    const heapOnly = makeScenario('load', peaks(440, 441, 439))
    heapOnly.repeats.forEach((r) => withCategories(r, { 'V8 heap': ['v8-heap', 55] }))
    heapOnly.analysis = { native: analysisOf('ort-arena-on.txt') }
    const outcome = await checkRun(makeRun([heapOnly]), { budgetsFor: () => ({ limits: { peakRss: { limit: 300 * MiB, explicit: false } }, regressions: {} }), baselineFor: async () => ({ state: 'missing', file: 'b.json' }), policy: DEFAULT_GATE_POLICY })
    const fail = outcome.scenarios[0]?.verdicts.find((v) => v.kind === 'fail')
    expect(fail?.kind).toBe('fail')
    expect(fail?.kind === 'fail' && fail.explanation?.rss?.deltas[0]?.kind).toBe('v8-heap')
    expect(fail?.kind === 'fail' ? fail.explanation?.native : 'no verdict').toBeNull()
    expect(nativeGrowth(undefined)).toBeNull()
  })

  it('falls back to the peak when no listed site still holds anything', () => {
    const a = analysisOf('ort-arena-on.txt')
    const freed: NativeAnalysis = { ...a, topByLeaked: a.topByLeaked.map((s) => ({ ...s, leakedBytes: 0 })) }
    const growth = nativeGrowth(freed)
    expect(growth?.measure).toBe('peak')
    expect(growth?.summary).toBe(`${growth?.holders[0]?.library} under ${growth?.holders[0]?.frame} ${((growth?.holders[0]?.bytes ?? 0) / MiB).toFixed(1)} MiB at peak`)
    // The LoadModel sites' shares of heaptrack's peak, summed (as its byFrame group says).
    expect(growth?.holders[0]).toMatchObject({ frame: 'InferenceSessionWrap::LoadModel', bytes: a.byFrame.find((g) => g.key === 'InferenceSessionWrap::LoadModel')?.peakBytes })
  })
})
