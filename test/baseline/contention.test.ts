import { describe, expect, it } from 'vitest'
import { contentionEvidence } from '../../src/baseline/contention.js'
import { limitRule } from '../../src/baseline/index.js'
import { METRICS } from '../../src/baseline/index.js'
import type { RepeatResult } from '../../src/run/index.js'

const quiet = { othersCores: 0.05, stealShare: 0, loadAvgStart: 1.1, loadAvgEnd: 1.2, cpuWallRatio: 1.9, involuntarySwitches: 40, cores: 2 }
const busy = { ...quiet, othersCores: 0.97, loadAvgEnd: 3.1, involuntarySwitches: 2200 }
const repeat = (contention: RepeatResult['contention']): RepeatResult => ({ contention }) as RepeatResult

describe('contention evidence', () => {
  it('is null when every repeat ran on a quiet machine, or recorded nothing (older runs)', () => {
    expect(contentionEvidence([repeat(quiet), repeat(quiet), repeat(undefined)])).toBeNull()
  })

  it('names how many repeats were contended and the worst evidence', () => {
    expect(contentionEvidence([repeat(quiet), repeat(busy), repeat(quiet)])).toBe('1 of 3 repeats ran under contention (other processes kept 0.97 of 2 cores busy, load 3.10, worker CPU/wall 1.90, 2200 involuntary context switches)')
  })

  it('counts CPU steal as contention', () => {
    expect(contentionEvidence([repeat({ ...quiet, stealShare: 0.08 })])).toMatch(/steal 8\.0%/)
  })

  it('turns a failing wall-clock limit into inconclusive, and leaves a memory limit failing', () => {
    const evidence = (repeats: RepeatResult[], values: number[]) => ({ scenario: { name: 's' }, completed: repeats, series: () => values, baseline: { state: 'missing', file: '' }, policy: {} }) as never
    const slow = limitRule(METRICS.throughput, { limit: 10, explicit: true }).check(evidence([repeat(busy), repeat(busy), repeat(busy)], [4, 4, 4]))
    expect(slow?.kind).toBe('inconclusive')
    expect(slow?.message).toMatch(/under contention .*not judged$/)
    const quietSlow = limitRule(METRICS.throughput, { limit: 10, explicit: true }).check(evidence([repeat(quiet), repeat(quiet), repeat(quiet)], [4, 4, 4]))
    expect(quietSlow?.kind).toBe('fail')
    const memory = limitRule(METRICS.peakRss, { limit: 10, explicit: true }).check(evidence([repeat(busy), repeat(busy), repeat(busy)], [20, 20, 20]))
    expect(memory?.kind).toBe('fail')
  })
})
