import { describe, expect, it } from 'vitest'
import { buildReport } from '../../src/report/model/report.js'
import type { Recommendation } from '../../src/report/model/recommendation.js'
import type { RunResult } from '../../src/run/schema.js'
import { compareInput, singleInput } from '../fixtures/report/judge.js'
import { makeSuiteRun, type SuiteOptions } from '../fixtures/report/runs.js'

/** A clean lean run: nothing in it should call for a change but the glibc arena note. */
const CLEAN: SuiteOptions = { noise: false, repeats: 3, cerDegraded: 0.004, driftMiBPerCycle: 0 }

async function recsOf(run: RunResult): Promise<Recommendation[]> {
  return buildReport(await singleInput(run)).recommendations
}
const ids = (recs: readonly Recommendation[]) => recs.map((r) => r.id)

describe('recommendation rules', () => {
  it('fire on nothing but the allocator note for a clean run', async () => {
    expect(ids(await recsOf(makeSuiteRun(CLEAN)))).toEqual(['malloc-arena'])
    const run = makeSuiteRun(CLEAN)
    run.environment.mallocArenaMax = '2'
    expect(await recsOf(run)).toEqual([])
  })

  it('name the failed memory budget once, with the scenario furthest over it and the stage to start with', async () => {
    const recs = await recsOf(makeSuiteRun({ ...CLEAN, extraPeakMiB: 200 }))
    const failed = recs.filter((r) => r.id === 'budget-failed')
    expect(failed.map((r) => r.id === 'budget-failed' && r.metric)).toContain('peakRss')
    const peak = failed.find((r) => r.id === 'budget-failed' && r.metric === 'peakRss')
    expect(peak).toMatchObject({ severity: 'high', stage: expect.any(String) })
    expect(peak && peak.id === 'budget-failed' && peak.alsoIn.length).toBe(3)
    expect(recs[0]?.severity).toBe('high')
  })

  it('point at the arena only when it is on and the peak stays far above the after-GC RSS', async () => {
    expect(ids(await recsOf(makeSuiteRun({ ...CLEAN, extraPeakMiB: 100 })))).toContain('arena-retained')
    const off = makeSuiteRun({ ...CLEAN, extraPeakMiB: 100 })
    for (const s of off.scenarios) ((s.settings.engine as { options: Record<string, unknown> }).options).enableCpuMemArena = false
    expect(ids(await recsOf(off))).not.toContain('arena-retained')
    expect(ids(await recsOf(makeSuiteRun(CLEAN)))).not.toContain('arena-retained')
  })

  it('report drift with the largest suspect class and its retainer', async () => {
    const recs = await recsOf(makeSuiteRun({ ...CLEAN, driftMiBPerCycle: 3, scenarios: ['stability', 'leak-check'] }))
    const drift = recs.find((r) => r.id === 'drift' && r.scenario === 'stability')
    expect(drift).toMatchObject({ suspect: 'OcrResult', retainer: '(GC roots) → (Global handles) → Map resultCache → OcrResult' })
    expect(drift && drift.id === 'drift' && drift.drift).toBeCloseTo(9 / 303, 6)
    // 3% is past the 2% budget: the gate failed it, so the recommendation is urgent.
    expect(drift?.severity).toBe('high')
    expect(ids(await recsOf(makeSuiteRun({ ...CLEAN, driftMiBPerCycle: 0.3, scenarios: ['stability'] })))).not.toContain('drift')
  })

  it('flag threads and sharp cache on the default profile, not on lean', async () => {
    const def = ids(await recsOf(makeSuiteRun({ ...CLEAN, profile: 'default' })))
    expect(def).toEqual(expect.arrayContaining(['threads', 'sharp-cache']))
    const lean = ids(await recsOf(makeSuiteRun(CLEAN)))
    expect(lean).not.toContain('threads')
    expect(lean).not.toContain('sharp-cache')
  })

  it('flag degraded pages only when they read much worse', async () => {
    expect(ids(await recsOf(makeSuiteRun({ ...CLEAN, cerDegraded: 0.03 })))).toContain('precision-degraded')
    expect(ids(await recsOf(makeSuiteRun({ ...CLEAN, cerDegraded: 0.005 })))).not.toContain('precision-degraded')
  })

  it('flag crashes, swap and thin evidence', async () => {
    const crash = await recsOf(makeSuiteRun({ ...CLEAN, crash: { scenario: 'load', repeat: 1 } }))
    expect(crash[0]).toMatchObject({ id: 'crash', scenario: 'load', kind: 'oom-kill', stage: 'recognize' })
    expect(ids(await recsOf(makeSuiteRun({ ...CLEAN, swapMiB: 12 })))).toContain('swap')
    const thin = await recsOf(makeSuiteRun({ ...CLEAN, repeats: 1 }))
    expect(thin.find((r) => r.id === 'noise')).toMatchObject({ repeats: 1, cv: null })
  })

  it('in a comparison, say what the changed settings did and which stages grew', async () => {
    const toLean = buildReport(await compareInput(makeSuiteRun({ ...CLEAN, profile: 'default' }), makeSuiteRun(CLEAN))).recommendations
    const effect = toLean.find((r) => r.id === 'setting-effect')
    expect(effect && effect.id === 'setting-effect' && effect.changes.map((c) => c.key)).toEqual(expect.arrayContaining(['engine.options.enableMemPattern', 'engine.options.intraOpNumThreads']))
    expect(effect).toMatchObject({ sole: false })
    expect(effect && effect.id === 'setting-effect' && effect.peakDeltaBytes).toBeLessThan(0)
    expect(ids(toLean)).not.toContain('stage-regression')
    const toDefault = buildReport(await compareInput(makeSuiteRun(CLEAN), makeSuiteRun({ ...CLEAN, profile: 'default' }))).recommendations
    expect(ids(toDefault)).toContain('stage-regression')
    const same = buildReport(await compareInput(makeSuiteRun(CLEAN), makeSuiteRun(CLEAN))).recommendations
    expect(ids(same)).not.toContain('setting-effect')
  })

  it('attribute the change to a setting when it is the only one that differs', async () => {
    const before = makeSuiteRun(CLEAN)
    const after = makeSuiteRun({ ...CLEAN, extraPeakMiB: 40 })
    for (const s of after.scenarios) ((s.settings.engine as { options: Record<string, unknown> }).options).enableMemPattern = true
    const effect = buildReport(await compareInput(before, after)).recommendations.find((r) => r.id === 'setting-effect')
    expect(effect).toMatchObject({ sole: true, changes: [{ key: 'engine.options.enableMemPattern', before: false, after: true }] })
  })
})
