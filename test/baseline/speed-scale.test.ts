/** CPU per operation compared at equal host speed: the speed reference scales both sides. */
import { describe, expect, it } from 'vitest'
import { summarizeBaseline, type BaselineLookup } from '../../src/baseline/baseline-file.js'
import { evidenceOf } from '../../src/baseline/evaluate.js'
import { METRICS } from '../../src/baseline/metrics/catalogue.js'
import { regressionRule } from '../../src/baseline/rules/index.js'
import { atEqualHostSpeed, speedReferencesOf } from '../../src/baseline/speed-scale.js'
import { DEFAULT_GATE_POLICY } from '../../src/config/policy.js'
import { speedReferenceOf } from '../../src/run/figures.js'
import type { RepeatResult, ScenarioResult } from '../../src/run/schema.js'
import { makeRun, makeScenario } from '../fixtures/gate/runs.js'

const WORKLOAD = 'sha256+md5 16 KiB x 400'
/** The work stage runs 100 operations (the fixture's default). */
const OPS = 100

/** A scenario whose repeats cost `cpuPerOp[i]` ms per operation and whose reference took `refMs[i]` ms per burst. */
function scenarioOf(cpuPerOp: number[], refMs: (number | null)[], workload = WORKLOAD): ScenarioResult {
  const s = makeScenario('fixture', cpuPerOp.map(() => ({})))
  s.repeats.forEach((r, i) => {
    const work = r.stages.find((st) => st.kind === 'work')!
    work.before = { ...work.before!, cpuUserMs: 1000, cpuSystemMs: 100 }
    work.after = { ...work.after!, cpuUserMs: 1000 + cpuPerOp[i]! * OPS, cpuSystemMs: 100 }
    const ref = refMs[i]
    // Seven bursts around the median, as the worker records them.
    if (ref != null) (r as RepeatResult).speedReference = { workload, cpuMs: [ref * 1.2, ref, ref * 0.99, ref, ref * 1.01, ref, ref * 1.3] }
  })
  return s
}

const lookup = (s: ScenarioResult): BaselineLookup => ({ state: 'found', file: 'baselines/fixture.linux-x64.node20.json', baseline: summarizeBaseline(makeRun([s]), s, null) })
const rule = regressionRule(METRICS.cpuPerOp, { allowed: 0.05, explicit: true })
const policy = { ...DEFAULT_GATE_POLICY, extraRepeats: 0 }
const jitter = [1, 1.004, 0.997, 1.002, 0.999]

describe('speed references', () => {
  it('reads a repeat\'s host speed as the median burst, and none for older repeats', () => {
    const s = scenarioOf([50], [10])
    expect(speedReferenceOf(s.repeats[0]!)).toEqual({ workload: WORKLOAD, cpuMs: 10 })
    expect(speedReferenceOf(scenarioOf([50], [null]).repeats[0]!)).toBeNull()
  })

  it('aligns references with values only when every repeat timed the same workload', () => {
    expect(speedReferencesOf(scenarioOf([50, 51], [10, 11]).repeats)).toEqual({ workload: WORKLOAD, cpuMs: [10, 11] })
    expect(speedReferencesOf(scenarioOf([50, 51], [10, null]).repeats)).toBeNull()
    const mixed = [...scenarioOf([50], [10]).repeats, ...scenarioOf([50], [10], 'another workload').repeats]
    expect(speedReferencesOf(mixed)).toBeNull()
  })

  it('stores each repeat\'s reference in the baseline beside CPU per operation, and nowhere else', () => {
    const b = summarizeBaseline(makeRun([scenarioOf([50, 52, 51], [10, 10.4, 10.2])]), scenarioOf([50, 52, 51], [10, 10.4, 10.2]), null)
    expect(b.metrics.cpuPerOp?.values).toEqual([50, 52, 51])
    expect(b.metrics.cpuPerOp?.speedReference).toEqual({ workload: WORKLOAD, cpuMs: [10, 10.4, 10.2] })
    expect(b.metrics.peakRss?.speedReference).toBeUndefined()
  })

  it('scales both sides to the baseline\'s median host speed', () => {
    const baseline = lookup(scenarioOf([50, 50, 50], [10, 10, 10]))
    const run = scenarioOf([55, 55, 55], [11, 11, 11])
    const scaled = atEqualHostSpeed(METRICS.cpuPerOp, run.repeats, baseline.state === 'found' ? baseline.baseline.metrics.cpuPerOp : undefined)
    expect(scaled.ok).toBe(true)
    if (!scaled.ok) return
    expect(scaled.run.map((v) => v.toFixed(6))).toEqual(['50.000000', '50.000000', '50.000000'])
    expect(scaled.hostSlower).toBeCloseTo(0.1, 10)
  })
})

describe('cpu-per-op regression at equal host speed', () => {
  const baseline = lookup(scenarioOf(jitter.map((j) => 50 * j), jitter.map(() => 10)))

  it('passes a clean change on a host that ran 10% slower (raw CPU per op +10%)', () => {
    const slowerHost = scenarioOf(jitter.map((j) => 55 * j), jitter.map(() => 11))
    const v = rule.check(evidenceOf(slowerHost, baseline, policy))
    expect(v?.kind).toBe('pass')
    expect(v?.message).toMatch(/^cpu-per-op (grew|fell) \+?-?0\.\d% against the baseline at equal host speed \(the host's speed reference took 10\.0% more CPU than for the baseline; values scaled to the baseline's speed\)/)
  })

  it('fails a real +10% regression on an unchanged host', () => {
    const regressed = scenarioOf(jitter.map((j) => 55 * j), jitter.map(() => 10))
    const v = rule.check(evidenceOf(regressed, baseline, policy))
    expect(v?.kind).toBe('fail')
    expect(v?.change?.change).toBeCloseTo(0.1, 2)
  })

  it('fails a +10% regression that a 10% faster host would hide in raw CPU time', () => {
    const hidden = scenarioOf(jitter.map((j) => 50 * j), jitter.map(() => 10 / 1.1))
    const v = rule.check(evidenceOf(hidden, baseline, policy))
    expect(v?.kind).toBe('fail')
    expect(v?.message).toMatch(/took 9\.1% less CPU than for the baseline/)
  })

  it('compares raw CPU time, and says so, against a baseline without references', () => {
    const old = lookup(scenarioOf(jitter.map((j) => 50 * j), jitter.map(() => null)))
    const v = rule.check(evidenceOf(scenarioOf(jitter.map((j) => 55 * j), jitter.map(() => 11)), old, policy))
    expect(v?.kind).toBe('fail')
    expect(v?.message).toMatch(/\(raw CPU time: the baseline has no speed reference \(older than this memgate\); update it to compare at equal host speed\)/)
  })

  it('compares raw CPU time when a repeat of the run has no reference', () => {
    const v = rule.check(evidenceOf(scenarioOf([50, 50, 50], [10, null, 10]), baseline, policy))
    expect(v?.message).toMatch(/raw CPU time: a repeat of this run timed no speed reference/)
  })

  describe('under contention', () => {
    const busy = { othersCores: 0.97, stealShare: 0, loadAvgStart: 2.1, loadAvgEnd: 3.1, cpuWallRatio: 0.6, involuntarySwitches: 2200, cores: 2 }
    const contended = (s: ScenarioResult): ScenarioResult => {
      for (const r of s.repeats) r.contention = busy
      return s
    }

    it('answers inconclusive, with the evidence, when the interval reaches below the allowed change', () => {
      // +6%: a busy neighbour's preemptions alone can do that.
      const v = rule.check(evidenceOf(contended(scenarioOf([52.5, 53.5, 53, 52.2, 53.8], jitter.map(() => 10))), baseline, policy))
      expect(v?.kind).toBe('inconclusive')
      expect(v?.message).toMatch(/but 5 of 5 repeats ran under contention \(other processes kept 0\.97 of 2 cores busy.*\): under contention CPU time fails only when the whole interval is past the \+5\.0% allowed$/)
      expect(v).toMatchObject({ moreRepeatsHelp: true })
    })

    it('still fails a regression whose whole interval is past the allowed change', () => {
      const v = rule.check(evidenceOf(contended(scenarioOf(jitter.map((j) => 57.5 * j), jitter.map(() => 10))), baseline, policy))
      expect(v?.kind).toBe('fail')
      expect(v?.message).toMatch(/: the whole interval is past the \+5\.0% allowed, though 5 of 5 repeats ran under contention/)
    })
  })
})
