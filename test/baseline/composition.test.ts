/** Composition: RSS categories in baselines, and the explanation naming the category that grew. */
import { describe, expect, it } from 'vitest'
import { baselineFileSchema, heapCompositionOf, summarizeBaseline, type BaselineLookup } from '../../src/baseline/baseline-file.js'
import { heapVsBaseline, rssGrowth } from '../../src/baseline/explain-rss.js'
import { checkRun } from '../../src/baseline/gate.js'
import { explanationLines } from '../../src/baseline/render/explanation.js'
import { checkReportSchema, toCheckReport } from '../../src/baseline/render/json.js'
import { DEFAULT_GATE_POLICY, type ScenarioBudgets } from '../../src/config/policy.js'
import { describeCategoryDeltas, diffCategoryRows, medianRssCategories, type RssCategoriesRecord } from '../../src/run/composition.js'
import type { RepeatResult } from '../../src/run/schema.js'
import { makeScenario, makeRun, MiB, peaks } from '../fixtures/gate/runs.js'

function record(rows: Record<string, [string, number]>): RssCategoriesRecord {
  const categories = Object.entries(rows).map(([name, [kind, mib]]) => ({ name, kind, rssBytes: mib * MiB, pssBytes: mib * MiB }))
  return { atMs: 0, readMs: 1, rssBytes: categories.reduce((n, c) => n + c.rssBytes, 0), pssBytes: categories.reduce((n, c) => n + c.pssBytes, 0), categories }
}

const lean = { 'V8 heap': ['v8-heap', 15] as [string, number], 'glibc malloc arenas': ['malloc', 40] as [string, number], 'libonnxruntime.so': ['shared-object', 30] as [string, number] }

/** Adds category readings to every stage of a repeat (arena growth in the last work stage's end when `grown`). */
function withCategories(r: RepeatResult, arenasMiB: number): RepeatResult {
  for (const s of r.stages) s.rssCategories = { before: record(lean), after: record({ ...lean, 'glibc malloc arenas': ['malloc', s.kind === 'teardown' ? 40 : arenasMiB], 'V8 heap': ['v8-heap', 15.1] }) }
  return r
}

const regression: ScenarioBudgets = { limits: {}, regressions: { peakRss: { allowed: 0.05, explicit: false } } }

describe('RSS composition', () => {
  it('diffs and describes category rows, V8 heap always named', () => {
    const deltas = diffCategoryRows(record(lean).categories, record({ ...lean, 'glibc malloc arenas': ['malloc', 51.4] }).categories)
    expect(describeCategoryDeltas(deltas)).toBe('glibc malloc arenas +11.4 MiB, V8 heap ±0.0 MiB')
    const v8 = diffCategoryRows(record(lean).categories, record({ ...lean, 'glibc malloc arenas': ['malloc', 51.4], 'V8 heap': ['v8-heap', 15.1] }).categories)
    expect(describeCategoryDeltas(v8)).toBe('glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB')
    expect(medianRssCategories([record(lean), record({ ...lean, 'glibc malloc arenas': ['malloc', 50] }), record({ ...lean, 'glibc malloc arenas': ['malloc', 60] })]).find((c) => c.name === 'glibc malloc arenas')?.rssBytes).toBe(50 * MiB)
  })

  it('stores the median categories at the end of the last work stage in the baseline; old baselines still load', () => {
    const base = makeScenario('load', peaks(400, 402, 398))
    base.repeats.forEach((r, i) => withCategories(r, 40 + i))
    const b = summarizeBaseline(makeRun([base]), base, null)
    expect(b.composition?.stage).toBe('cycle-3')
    expect(b.composition?.rss?.categories.find((c) => c.name === 'glibc malloc arenas')?.rssBytes).toBe(41 * MiB)
    expect(JSON.stringify(b.composition).length).toBeLessThan(4096)
    expect(baselineFileSchema.parse(JSON.parse(JSON.stringify(b))).composition?.rss?.repeats).toBe(3)
    const { composition: _, ...old } = b
    expect(baselineFileSchema.parse(JSON.parse(JSON.stringify(old))).composition).toBeUndefined()
  })

  it('names the category that grew against the baseline, and within the run without one', async () => {
    const base = makeScenario('load', peaks(400, 402, 398, 401, 399))
    base.repeats.forEach((r) => withCategories(r, 40))
    const found: BaselineLookup = { state: 'found', file: 'b.json', baseline: summarizeBaseline(makeRun([base]), base, null) }
    const grown = makeScenario('load', peaks(440, 441, 439, 442, 440))
    grown.repeats.forEach((r) => withCategories(r, 51.4))
    const outcome = await checkRun(makeRun([grown]), { budgetsFor: () => regression, baselineFor: async () => found, policy: DEFAULT_GATE_POLICY })
    const fail = outcome.scenarios[0]?.verdicts.find((v) => v.kind === 'fail')
    expect(fail?.kind === 'fail' && fail.explanation?.rss).toMatchObject({ basis: 'baseline', stage: 'cycle-3', summary: 'glibc malloc arenas +11.4 MiB, V8 heap ±0.0 MiB' })
    const lines = fail?.kind === 'fail' && fail.explanation ? explanationLines(fail.explanation) : []
    expect(lines.join('\n')).toContain('where RSS grew: glibc malloc arenas +11.4 MiB, V8 heap ±0.0 MiB vs baseline (end of cycle-3)')
    // The JSON report carries it.
    const json = checkReportSchema.parse(JSON.parse(JSON.stringify(toCheckReport(outcome, null, DEFAULT_GATE_POLICY.onInconclusive))))
    expect(JSON.stringify(json)).toContain('glibc malloc arenas +11.4 MiB')
    // Without a baseline composition: the first stage's start to the last work stage's end.
    const within = rssGrowth(grown.repeats, { state: 'missing', file: 'b.json' })
    expect(within).toMatchObject({ basis: 'run', summary: 'glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB' })
  })

  it('diffs heap classes against the baseline’s heap composition', () => {
    const base = makeScenario('load', peaks(400, 402, 398))
    const b = summarizeBaseline(makeRun([base]), base, null)
    b.composition = { stage: 'cycle-3', heap: heapCompositionOf('snap.heapsnapshot', [{ className: 'Map', count: 10, selfBytes: 1000 }, { className: 'CachedResponse', count: 100, selfBytes: 40_000 }]) }
    const found: BaselineLookup = { state: 'found', file: 'b.json', baseline: b }
    const vs = heapVsBaseline({ stage: 'cycle-3', classes: [{ className: 'Map', count: 10, selfBytes: 1000 }, { className: 'CachedResponse', count: 3100, selfBytes: 1_240_000 }] }, found)
    expect(vs?.classes[0]).toMatchObject({ className: 'CachedResponse', countDelta: 3000, selfDeltaBytes: 1_200_000 })
    const lines = explanationLines({ split: null, heap: { state: 'ok', from: 'a', to: 'b', classes: [{ className: 'CachedResponse', nodeType: 'object', netCount: 3000, netSizeBytes: 1_200_000, retainerPath: 'Window → cache → Map → CachedResponse' }] }, heapVsBaseline: vs })
    expect(lines[0]).toBe('classes that grew vs baseline (end of cycle-3):')
    expect(lines[1]).toBe('  +3,000 CachedResponse (+1.14 MiB) vs baseline, held by … → cache → Map → CachedResponse')
  })
})
