import { describe, expect, it } from 'vitest'
import type { Verdict } from '../../src/baseline/index.js'
import { biggestChange, compareHeadlines, compareStages } from '../../src/report/model/comparison.js'
import { distributionOf } from '../../src/report/model/distribution.js'
import { figuresOf } from '../../src/report/model/figures.js'
import { headroomOf, rate } from '../../src/report/model/rating.js'
import { runModelOf } from '../../src/report/model/run-model.js'
import { diffSettings, settingsOf } from '../../src/report/model/settings.js'
import { judge } from '../fixtures/report/judge.js'
import { makeSuiteRun, MiB } from '../fixtures/report/runs.js'

const exact = (o: Parameters<typeof makeSuiteRun>[0] = {}) => makeSuiteRun({ noise: false, ...o })
const scenario = (run: ReturnType<typeof makeSuiteRun>, name: string) => run.scenarios.find((s) => s.name === name)!

function verdict(v: Partial<Verdict> & Pick<Verdict, 'kind'>): Verdict {
  const base = { scenario: 'load', rule: 'peak-rss', category: 'memory', metric: 'peakRss', unit: 'bytes', value: 250, limit: 500, repeats: 3, message: 'm' } as const
  if (v.kind === 'fail') return { ...base, over: 10, overRatio: 0.02, ...v } as Verdict
  if (v.kind === 'inconclusive') return { ...base, moreRepeatsHelp: true, ...v } as Verdict
  return { ...base, ...v } as Verdict
}

describe('scenario figures', () => {
  it('reads peak, time to ready and latency percentiles from the repeats', () => {
    const run = exact({ repeats: 3 })
    const load = figuresOf(scenario(run, 'load'))
    expect(load.role).toBe('load')
    expect(load.completed).toBe(3)
    expect(load.peakRss?.median).toBe(331 * MiB)
    expect(load.peakRss?.mad).toBe(0)
    expect(load.steadyRss?.median).toBe(300 * MiB)
    expect(load.ops).toEqual({ count: 24, errors: 0 })
    expect(load.latencyMs).toEqual({ p50: 1190, p95: 1642, p99: 1904 })
    // setup 120 ms from +40, then base, runtime and models, each 5 ms after the previous stage.
    expect(figuresOf(scenario(run, 'startup')).startupMs?.median).toBe(2480)
  })

  it('measures drift across cycles as the gate does, the first cycle left out', () => {
    const stability = figuresOf(scenario(exact({ driftMiBPerCycle: 3 }), 'stability'))
    expect(stability.cycleRssBytes.map((b) => b / MiB)).toEqual([300, 303, 306, 309, 312])
    // Cycles 2..5: 3 MiB per cycle over 3 cycles from a fitted 303 MiB.
    expect(stability.drift?.median).toBeCloseTo(9 / 303, 10)
  })

  it('keeps the failure of a crashed repeat and judges the others', () => {
    const load = figuresOf(scenario(exact({ repeats: 3, crash: { scenario: 'load', repeat: 1 } }), 'load'))
    expect(load.measured).toBe(3)
    expect(load.completed).toBe(2)
    expect(load.failures).toEqual([{ index: 1, state: 'failed', kind: 'oom-kill', stage: 'recognize', message: 'The worker was killed by the kernel OOM killer' }])
  })
})

describe('memory distribution', () => {
  it('layers the startup stages and the first work above them', () => {
    const run = exact()
    const figures = run.scenarios.map(figuresOf)
    const d = distributionOf(figures, (n) => scenario(run, n).repeats)!
    expect(d.scenario).toBe('startup')
    expect(d.layers.map((l) => [l.name, l.bytes / MiB])).toEqual([
      ['base', 47],
      ['runtime', 64],
      ['models', 152],
      ['working-set', 44],
    ])
    expect(d.totalBytes).toBe(307 * MiB)
  })

  it('is absent without startup stages', () => {
    const run = exact({ scenarios: ['load'] })
    expect(distributionOf(run.scenarios.map(figuresOf), (n) => scenario(run, n).repeats)).toBeNull()
  })
})

describe('rating', () => {
  it('computes headroom for ceilings, bounded floors and other floors', () => {
    expect(headroomOf(verdict({ kind: 'pass', value: 300, limit: 500 }))).toBeCloseTo(0.4)
    expect(headroomOf(verdict({ kind: 'pass', metric: 'confidence', unit: 'score', value: 0.97, limit: 0.85 }))).toBeCloseTo(0.8)
    expect(headroomOf(verdict({ kind: 'pass', metric: 'throughput', unit: 'perSec', value: 12, limit: 10 }))).toBeCloseTo(0.2)
    expect(headroomOf(verdict({ kind: 'fail', value: 600, limit: 500 }))).toBeNull()
    expect(headroomOf(verdict({ kind: 'pass', change: { baselineMedian: 1, baselineRepeats: 3, change: 0, low: 0, high: 0, allowed: 0.05, confidenceLevel: 0.95 }, limit: null }))).toBeNull()
  })

  it('is decided by the tightest budget, on the documented scale', () => {
    const at = (value: number) => rate([verdict({ kind: 'pass', value, limit: 100 }), verdict({ kind: 'pass', metric: 'confidence', unit: 'score', value: 0.99, limit: 0.85 })]).rating
    expect(at(49)).toBe('excellent')
    expect(at(51)).toBe('very-good')
    expect(at(70)).toBe('very-good')
    expect(at(71)).toBe('good')
    expect(at(85)).toBe('good')
    expect(at(86)).toBe('fair')
    expect(at(100)).toBe('fair')
    const r = rate([verdict({ kind: 'pass', value: 60, limit: 100 }), verdict({ kind: 'pass', metric: 'throughput', unit: 'perSec', value: 11, limit: 10 })])
    expect(r.binding?.metric).toBe('throughput')
    expect(r.minHeadroom).toBeCloseTo(0.1)
  })

  it('is critical on any failure and unrated without an absolute verdict', () => {
    expect(rate([verdict({ kind: 'pass' }), verdict({ kind: 'fail' })]).rating).toBe('critical')
    expect(rate([verdict({ kind: 'inconclusive', value: null })]).rating).toBe('unrated')
    expect(rate([]).rating).toBe('unrated')
  })
})

describe('comparison', () => {
  it('compares headline figures with absolute and relative change', async () => {
    const before = runModelOf(await judge(exact({ profile: 'default', driftMiBPerCycle: 0 })))
    const after = runModelOf(await judge(exact({ profile: 'lean', driftMiBPerCycle: 0 })))
    const rows = compareHeadlines(before.headline, after.headline)
    const peak = rows.find((r) => r.key === 'peakRss')!
    expect([peak.before! / MiB, peak.after! / MiB, peak.delta! / MiB]).toEqual([432, 331, -101])
    expect(peak.ratio).toBeCloseTo(331 / 432 - 1, 10)
    expect(peak.improved).toBe(true)
    expect(peak.withinNoise).toBeNull()
    const tp = rows.find((r) => r.key === 'throughput')!
    expect(tp.improved).toBe(false)
    // Steady RSS fell most: 398 → 300 MiB (-24.6%), peak 432 → 331 MiB (-23.4%).
    expect(biggestChange(rows)?.key).toBe('rss')
    const stages = compareStages(before.scenarios, after.scenarios)
    expect(stages.find((s) => s.scenario === 'load' && s.stage === 'recognize')).toMatchObject({ before: 432 * MiB, after: 331 * MiB })
    expect(stages.some((s) => s.stage === 'setup' || s.stage === 'teardown')).toBe(false)
  })

  it('flags a change within the repeats noise', async () => {
    const a = runModelOf(await judge(makeSuiteRun({ repeats: 5, seed: 1, scenarios: ['load'] })))
    const b = runModelOf(await judge(makeSuiteRun({ repeats: 5, seed: 2, scenarios: ['load'] })))
    const peak = compareHeadlines(a.headline, b.headline).find((r) => r.key === 'peakRss')!
    expect(peak.withinNoise).toBe(true)
  })

  it('lists the settings that differ', () => {
    const changes = diffSettings(settingsOf(exact({ profile: 'default' })).rows, settingsOf(exact({ profile: 'lean' })).rows)
    expect(changes).toContainEqual({ key: 'engine.options.enableMemPattern', before: true, after: false })
    expect(changes).toContainEqual({ key: 'engine.options.intraOpNumThreads', before: 0, after: 2 })
    expect(changes.some((c) => c.key.startsWith('environment.'))).toBe(false)
    expect(diffSettings(settingsOf(exact()).rows, settingsOf(exact()).rows)).toEqual([])
  })
})

describe('validation', () => {
  it('gives each area a status from its scenarios and says which did not run', async () => {
    const model = runModelOf(await judge(exact({ repeats: 3 })))
    expect(model.validation.map((v) => [v.area, v.status])).toEqual([
      ['precision', 'pass'],
      ['load', 'pass'],
      ['stress', 'not-run'],
      ['stability', 'pass'],
    ])
    const crashed = runModelOf(await judge(exact({ repeats: 3, crash: { scenario: 'stability', repeat: 0 } })))
    expect(crashed.validation.find((v) => v.area === 'stability')?.status).toBe('crashed')
  })
})
