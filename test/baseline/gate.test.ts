/** The gate over a run: extra repeats for inconclusive comparisons, explanations, exit codes. */
import { describe, expect, it } from 'vitest'
import { summarizeBaseline, type BaselineLookup } from '../../src/baseline/baseline-file.js'
import { memorySplit } from '../../src/baseline/explain.js'
import { checkRun, type GateInputs } from '../../src/baseline/gate.js'
import { DEFAULT_GATE_POLICY, type ScenarioBudgets } from '../../src/config/policy.js'
import type { FailVerdict } from '../../src/baseline/verdict.js'
import { makeRepeat, makeRun, makeScenario, MiB, peaks } from '../fixtures/gate/runs.js'

const regression: ScenarioBudgets = { limits: {}, regressions: { peakRss: { allowed: 0.05, explicit: false } } }
const base = makeScenario('load', peaks(400, 402, 398, 401, 399))
const found: BaselineLookup = { state: 'found', file: 'b.json', baseline: summarizeBaseline(makeRun([base]), base, null) }

function inputs(budgets: ScenarioBudgets, baseline: BaselineLookup = found, extra: Partial<GateInputs> = {}): GateInputs {
  return { budgetsFor: () => budgets, baselineFor: async () => baseline, policy: DEFAULT_GATE_POLICY, ...extra }
}

describe('checkRun', () => {
  it('adds repeats one at a time while a relative rule is inconclusive, up to extraRepeats', async () => {
    const run = makeRun([makeScenario('load', peaks(400, 430))])
    const asked: number[] = []
    const outcome = await checkRun(run, inputs(regression), {
      async moreRepeat(s) {
        asked.push(s.repeats.length)
        return makeRepeat(99, { peakRssBytes: 431 * MiB })
      },
    })
    // Two repeats are too few; one more makes three and the comparison decides.
    expect(asked).toEqual([2])
    expect(outcome.scenarios[0]).toMatchObject({ repeats: 3, extraRepeats: 1 })
    expect(run.scenarios[0]?.repeats.map((r) => r.index)).toEqual([0, 1, 2])
    expect(outcome.scenarios[0]?.verdicts.map((v) => [v.rule, v.kind])).toEqual([
      ['completed', 'pass'],
      ['peak-rss-regression', 'fail'],
    ])
    expect(outcome.exitCode).toBe(1)
  })

  it('stops at extraRepeats and leaves it inconclusive; warn passes CI, fail fails it', async () => {
    const short = () => makeRun([makeScenario('load', peaks(430))])
    let calls = 0
    const more = { moreRepeat: async () => (calls++, makeRepeat(0, { peakRssBytes: 431 * MiB })) }
    const strict = { ...DEFAULT_GATE_POLICY, minRepeats: 5 }
    const warn = await checkRun(short(), inputs(regression, found, { policy: strict }), more)
    expect(calls).toBe(2)
    expect(warn.scenarios[0]?.verdicts[1]).toMatchObject({ kind: 'inconclusive', message: 'too few repeats to compare (run 3 (431 MiB), baseline 5; at least 5 each)' })
    expect(warn.exitCode).toBe(0)
    const fail = await checkRun(short(), inputs(regression, found, { policy: { ...strict, onInconclusive: 'fail', extraRepeats: 0 } }), more)
    expect(calls).toBe(2)
    expect(fail.exitCode).toBe(1)
  })

  it('confirms a pass on a figure that got worse with the extra repeats, and stops at a clean pass', async () => {
    // 414, 415, 416 against 400 MiB passes at +3.75% (interval +2.6% to +4.9%) but did grow.
    const close = () => makeRun([makeScenario('load', peaks(414, 415, 416))])
    let calls = 0
    // The same level again: still a pass after both extra repeats, now on 5 repeats.
    const same = await checkRun(close(), inputs(regression), { moreRepeat: async () => (calls++, makeRepeat(0, { peakRssBytes: 415 * MiB })) })
    expect(calls).toBe(2)
    expect(same.scenarios[0]).toMatchObject({ repeats: 5, extraRepeats: 2 })
    expect(same.scenarios[0]?.verdicts[1]).toMatchObject({ kind: 'pass', confirmWithMoreRepeats: true })
    // Two repeats at 425 MiB: median 416 (+4.0%), but the spread (MAD 2 MiB of 5 repeats, pooled
    // with the baseline's: 0.69%) widens the interval to +2.7% to +5.3%, so +5% is no longer ruled out.
    calls = 0
    const worse = await checkRun(close(), inputs(regression), { moreRepeat: async () => (calls++, makeRepeat(0, { peakRssBytes: 425 * MiB })) })
    expect(calls).toBe(2)
    expect(worse.scenarios[0]?.verdicts[1]).toMatchObject({ kind: 'fail' })
    expect(worse.exitCode).toBe(1)
    // A clean run's interval holds 0: no repeat is spent on it.
    calls = 0
    await checkRun(makeRun([makeScenario('load', peaks(401, 403, 400))]), inputs(regression), { moreRepeat: async () => (calls++, makeRepeat(0)) })
    expect(calls).toBe(0)
  })

  it('spends no repeat on a comparison far noisier than its budget', async () => {
    let calls = 0
    const outcome = await checkRun(makeRun([makeScenario('load', peaks(380, 440, 400, 460, 420))]), inputs(regression), { moreRepeat: async () => (calls++, makeRepeat(0)) })
    expect(calls).toBe(0)
    expect(outcome.scenarios[0]?.verdicts[1]).toMatchObject({ kind: 'inconclusive', moreRepeatsHelp: false })
  })

  it('asks for no repeat when the baseline is missing or a repeat crashed, and exits 3 on a crash', async () => {
    let calls = 0
    const more = { moreRepeat: async () => (calls++, makeRepeat(0)) }
    await checkRun(makeRun([makeScenario('load', peaks(400))]), inputs(regression, { state: 'missing', file: 'x' }), more)
    const crashed = await checkRun(makeRun([makeScenario('load', [{}, { state: 'timed-out' }])]), inputs(regression), more)
    expect(calls).toBe(0)
    expect(crashed.exitCode).toBe(3)
  })

  it('explains failing memory verdicts with the RSS/JS split and the heap growth hook', async () => {
    const run = makeRun([makeScenario('load', peaks(560, 561, 562))])
    const budgets: ScenarioBudgets = { limits: { peakRss: { limit: 500 * MiB, explicit: false } }, regressions: regression.regressions }
    const outcome = await checkRun(run, inputs(budgets), {
      heapGrowth: async () => ({ state: 'ok', from: 'before setup', to: 'after cycle-3', classes: [{ className: 'LeakyThing', nodeType: 'object', netCount: 10, netSizeBytes: 1000, retainerPath: '(GC roots) → leaks' }] }),
    })
    const [, absolute, relative] = outcome.scenarios[0]!.verdicts as FailVerdict[]
    expect(absolute?.rule).toBe('peak-rss')
    // Peak +160 MiB against the baseline's 400 MiB while heap and ArrayBuffers stayed put: native.
    expect(relative?.explanation?.split).toEqual({ basis: 'baseline', rssGrowthBytes: 161 * MiB, jsGrowthBytes: 0, where: 'native' })
    // Within the run: RSS 40 → 300 MiB from setup's start to the last cycle, JS heap + ArrayBuffers 11 → 21 MiB.
    expect(absolute?.explanation?.split).toEqual({ basis: 'run', rssGrowthBytes: 260 * MiB, jsGrowthBytes: 10 * MiB, where: 'native' })
    expect(absolute?.explanation?.heap).toMatchObject({ state: 'ok', classes: [{ className: 'LeakyThing' }] })
    const quiet = await checkRun(makeRun([makeScenario('load', peaks(560, 561, 562))]), inputs(budgets, found, { explain: false }), { heapGrowth: async () => ({ state: 'unavailable', reason: 'never called' }) })
    expect((quiet.scenarios[0]?.verdicts[1] as FailVerdict).explanation).toBeUndefined()
  })

  it('keeps the verdict when the explanation fails, and says why', async () => {
    const run = makeRun([makeScenario('load', peaks(560, 561, 562))])
    const outcome = await checkRun(run, inputs({ limits: { peakRss: { limit: 500 * MiB, explicit: false } }, regressions: {} }), {
      heapGrowth: async () => {
        throw new Error('disk full')
      },
    })
    const v = outcome.scenarios[0]?.verdicts[1] as FailVerdict
    expect(v.kind).toBe('fail')
    expect(v.explanation?.heap).toEqual({ state: 'unavailable', reason: 'disk full' })
  })
})

describe('memorySplit', () => {
  it('calls the growth JS when the heap accounts for it', () => {
    const grown = makeScenario('load', [480, 481, 482].map((m) => ({ peakRssBytes: m * MiB, heapUsedBytes: 90 * MiB })))
    const split = memorySplit(grown.repeats, found, true)
    // Peak median 481 against 400 MiB; heap used 90 against 20 MiB.
    expect(split).toEqual({ basis: 'baseline', rssGrowthBytes: 81 * MiB, jsGrowthBytes: 70 * MiB, where: 'js' })
  })
})
