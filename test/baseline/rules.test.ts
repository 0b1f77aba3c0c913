/** Each rule alone on hand-made runs: pass, fail and inconclusive, with exact messages. */
import { describe, expect, it } from 'vitest'
import { summarizeBaseline, type BaselineLookup } from '../../src/baseline/baseline-file.js'
import { evidenceOf, evaluateScenario } from '../../src/baseline/evaluate.js'
import { METRICS } from '../../src/baseline/metrics/catalogue.js'
import { DEFAULT_GATE_POLICY } from '../../src/config/policy.js'
import { completedRule, limitRule, regressionRule } from '../../src/baseline/rules/index.js'
import type { ScenarioResult } from '../../src/run/schema.js'
import { makeRun, makeScenario, MiB, peaks } from '../fixtures/gate/runs.js'

const missing: BaselineLookup = { state: 'missing', file: 'baselines/load.linux-x64.node20.json' }
const policy = DEFAULT_GATE_POLICY

function baselineOf(s: ScenarioResult): BaselineLookup {
  return { state: 'found', file: 'baselines/load.linux-x64.node20.json', baseline: summarizeBaseline(makeRun([s]), s, null) }
}

describe('limit rules', () => {
  const peakRss = limitRule(METRICS.peakRss, { limit: 500 * MiB, explicit: false })

  it('fails with the figure, the limit and the margin', () => {
    const v = peakRss.check(evidenceOf(makeScenario('load', peaks(530, 538, 545)), missing, policy))
    expect(v).toMatchObject({ kind: 'fail', rule: 'peak-rss', category: 'memory', value: 538 * MiB, limit: 500 * MiB, over: 38 * MiB, repeats: 3 })
    expect(v?.message).toBe('peak-rss exceeded budget by 38.0 MiB (+7.6%): 538 MiB against a limit of 500 MiB, median of 3 repeats')
  })

  it('passes on the median and says how many repeats were past the limit anyway', () => {
    const v = peakRss.check(evidenceOf(makeScenario('load', peaks(455, 462, 510)), missing, policy))
    expect(v?.kind).toBe('pass')
    expect(v?.message).toBe('peak-rss 462 MiB is within budget 500 MiB by 38.0 MiB (7.6%), median of 3 repeats, 1 past the limit')
  })

  it('treats floors the other way round', () => {
    const rule = limitRule(METRICS.confidence, { limit: 0.85, explicit: false })
    const low = makeScenario('precision', [0.8, 0.82, 0.83].map((c) => ({ metrics: { meanConfidence: c } })))
    expect(rule.check(evidenceOf(low, missing, policy))?.message).toBe('confidence fell short of budget by 0.030 (-3.5%): 0.820 against a minimum of 0.850, median of 3 repeats')
    const drift = limitRule(METRICS.drift, { limit: 0.02, explicit: true })
    const leaking = makeScenario('stability', [{ cycleRss: [200, 300, 306, 312].map((m) => m * MiB) }])
    expect(drift.check(evidenceOf(leaking, missing, policy))?.message).toBe('drift exceeded budget by 2.00 pp (+100.0%): 4.00% against a limit of 2.00%, one repeat')
  })

  it('is inconclusive when an explicit budget has no figure, and silent when it was inherited', () => {
    const s = makeScenario('load', peaks(400))
    expect(limitRule(METRICS.cer, { limit: 0.05, explicit: false }).check(evidenceOf(s, missing, policy))).toBeNull()
    const v = limitRule(METRICS.cer, { limit: 0.05, explicit: true }).check(evidenceOf(s, missing, policy))
    expect(v).toMatchObject({ kind: 'inconclusive', moreRepeatsHelp: false, value: null })
    expect(v?.message).toBe("no completed repeat of 'load' reported highest stage's character error rate; remove the budget or make the scenario report it")
  })
})

describe('regression rules', () => {
  const rule = regressionRule(METRICS.peakRss, { allowed: 0.05, explicit: false })
  const base = makeScenario('load', peaks(400, 402, 398, 401, 399))

  it('fails a +7.6% peak RSS growth with its interval', () => {
    const v = rule.check(evidenceOf(makeScenario('load', peaks(430.4, 431, 429)), baselineOf(base), policy))
    expect(v?.kind).toBe('fail')
    expect(v?.change?.change).toBeCloseTo(0.076, 6)
    expect(v?.message).toMatch(/^peak-rss grew \+7\.6% against the baseline \(400 MiB → 430 MiB; 95% interval \+\d\.\d% to \+\d+\.\d%; 3 \+ 5 repeats\): more than the \+5\.0% allowed$/)
  })

  it('passes when a +5% regression is ruled out', () => {
    const v = rule.check(evidenceOf(makeScenario('load', peaks(401, 403, 400)), baselineOf(base), policy))
    expect(v?.kind).toBe('pass')
    expect(v?.message).toMatch(/^peak-rss grew \+0\.2% against the baseline .*, within the \+5\.0% allowed$/)
    // The interval holds 0: nothing to confirm.
    expect(v).not.toHaveProperty('confirmWithMoreRepeats')
  })

  it('asks to confirm a pass on a figure that did get worse', () => {
    // 415 against 400 MiB: +3.75% (printed +3.7%: e^ln(1.0375) − 1 falls a hair under). Spread at the 0.5% floor, half-width 2.447 × 1.2533 × 0.005 ×
    // √(1/3 + 1/5) = 1.12% (in logs), so the interval is about +2.6% to +4.9%: under +5%, past 0.
    const v = rule.check(evidenceOf(makeScenario('load', peaks(414, 415, 416)), baselineOf(base), policy))
    expect(v).toMatchObject({ kind: 'pass', confirmWithMoreRepeats: true })
    expect(v?.message).toMatch(/^peak-rss grew \+3\.7% against the baseline \(400 MiB → 415 MiB; 95% interval \+2\.6% to \+4\.9%; 3 \+ 5 repeats\), within the \+5\.0% allowed$/)
  })

  it('is inconclusive when the interval holds both no change and the allowed change', () => {
    const v = rule.check(evidenceOf(makeScenario('load', peaks(406, 414, 410)), baselineOf(base), policy))
    expect(v).toMatchObject({ kind: 'inconclusive', moreRepeatsHelp: true })
    expect(v?.message).toBe('peak-rss grew +2.5% against the baseline (400 MiB → 410 MiB; 95% interval -0.4% to +5.5%; 3 + 5 repeats): too noisy to tell a +5.0% regression from none')
    // Far noisier than the budget: more repeats would not settle it, and the message says so.
    const noisy = rule.check(evidenceOf(makeScenario('load', peaks(380, 440, 400, 460, 420)), baselineOf(base), policy))
    expect(noisy).toMatchObject({ kind: 'inconclusive', moreRepeatsHelp: false })
    expect(noisy?.message).toMatch(/too noisy to tell a \+5\.0% regression from none; at a spread of ±6\.2% per repeat, 2 more repeats would not settle it$/)
  })

  it('is inconclusive with too few repeats, without a baseline, or with a baseline of another profile', () => {
    const two = rule.check(evidenceOf(makeScenario('load', peaks(430, 431)), baselineOf(base), policy))
    expect(two?.message).toBe('too few repeats to compare (run 2 (431 MiB), baseline 5; at least 3 each)')
    expect(two).toMatchObject({ kind: 'inconclusive', moreRepeatsHelp: true })
    const none = rule.check(evidenceOf(makeScenario('load', peaks(430, 431, 432)), missing, policy))
    expect(none?.message).toBe('no baseline at baselines/load.linux-x64.node20.json; commit one with `memgate baseline update load`')
    expect(none).toMatchObject({ kind: 'inconclusive', moreRepeatsHelp: false })
    const found = baselineOf(base)
    if (found.state !== 'found') throw new Error('fixture')
    const mismatch: BaselineLookup = { state: 'mismatch', file: found.file, baseline: found.baseline, reason: "the baseline was measured with profile 'default', this run with 'lean'" }
    expect(rule.check(evidenceOf(base, mismatch, policy))?.message).toBe(
      "baseline baselines/load.linux-x64.node20.json is not comparable: the baseline was measured with profile 'default', this run with 'lean'; update it with `memgate baseline update load`",
    )
  })

  it('reads a fall as the regression for throughput', () => {
    const throughput = regressionRule(METRICS.throughput, { allowed: 0.1, explicit: false })
    const ops = (perSec: number) => ({ ops: { count: perSec * 10, durationMs: 10_000, p95: 100 } })
    const before = makeScenario('load', [10, 10, 10, 10, 10].map(ops))
    const slower = throughput.check(evidenceOf(makeScenario('load', [8, 8, 8].map(ops)), baselineOf(before), policy))
    expect(slower?.kind).toBe('fail')
    expect(slower?.message).toMatch(/^throughput fell -20\.0% against the baseline \(10\.0\/s → 8\.00\/s; .*\): more than the -10\.0% allowed$/)
    const faster = throughput.check(evidenceOf(makeScenario('load', [12, 12, 12].map(ops)), baselineOf(before), policy))
    expect(faster?.kind).toBe('pass')
  })
})

describe('completed rule and the ordered list', () => {
  it('fails when a repeat crashed and names it', () => {
    const s = makeScenario('load', [{}, { state: 'failed' }, {}])
    const v = completedRule.check(evidenceOf(s, missing, policy))
    expect(v).toMatchObject({ kind: 'fail', category: 'target', value: 2, limit: 3 })
    expect(v?.message).toBe("1 of 3 repeats did not complete; #2 failed (signal in stage 'work': The worker was killed by SIGSEGV)")
  })

  it('runs completed first, then per metric its absolute and relative rule; figures of failed repeats are left out', () => {
    const s = makeScenario('load', [{ peakRssBytes: 100 * MiB }, { state: 'failed', peakRssBytes: 999 * MiB }, { peakRssBytes: 102 * MiB }])
    const verdicts = evaluateScenario(s, { limits: { peakRss: { limit: 200 * MiB, explicit: false }, drift: { limit: 0.02, explicit: false } }, regressions: { peakRss: { allowed: 0.05, explicit: false } } }, missing, policy)
    expect(verdicts.map((v) => [v.rule, v.kind])).toEqual([
      ['completed', 'fail'],
      ['peak-rss', 'pass'],
      ['peak-rss-regression', 'inconclusive'],
      ['drift', 'pass'],
    ])
    expect(verdicts[1]?.value).toBe(101 * MiB)
  })
})
