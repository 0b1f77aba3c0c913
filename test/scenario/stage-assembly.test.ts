import { describe, expect, it } from 'vitest'
import type { MemorySample } from '../../src/probe/types.js'
import { StageLog, timelineMax } from '../../src/scenario/stage-assembly.js'

function s(atMs: number, rssBytes: number | null, peakRssBytes: number | null = rssBytes): MemorySample {
  return { atMs, pid: 1, rssBytes, peakRssBytes, swapBytes: null, threads: null, pssBytes: null, privateBytes: null, heapUsedBytes: null, heapTotalBytes: null, externalBytes: null, arrayBuffersBytes: null, heapSpaces: null, cpuUserMs: null, cpuSystemMs: null, eventLoopDelayP99Ms: null }
}
const ops = { count: 3, errors: 0, durationMs: 30, throughputPerSec: 100, latencyMs: null, source: 'op' as const, errorMessages: [] }

describe('timelineMax', () => {
  it('takes the highest RSS inside the window only', () => {
    const t = [s(0, 50), s(10, 70), s(20, null), s(30, 60), s(40, 90)]
    expect(timelineMax(t, 5, 35)).toBe(70)
    expect(timelineMax(t, 15, 25)).toBeNull()
  })
})

describe('StageLog', () => {
  it('uses VmHWM after a reset and the timeline otherwise; an unfinished stage takes the end state', () => {
    const log = new StageLog()
    log.apply({ t: 'stage-start', name: 'a', kind: 'work', atMs: 0, before: s(0, 40), peakReset: true, snapshot: null })
    log.apply({ t: 'stage-end', name: 'a', atMs: 20, after: s(20, 45, 80), ops, metrics: { m: 1 }, snapshot: null })
    log.apply({ t: 'stage-start', name: 'b', kind: 'idle', atMs: 25, before: s(25, 45), peakReset: false, snapshot: null })
    log.apply({ t: 'stage-end', name: 'b', atMs: 50, after: s(50, 44, 999), ops, metrics: {}, snapshot: null })
    log.apply({ t: 'stage-start', name: 'c', kind: 'cycle', atMs: 55, before: s(55, 44), peakReset: true, snapshot: null })
    log.apply({ t: 'progress', name: 'c', count: 7, errors: 2 })
    expect(log.current?.start.name).toBe('c')
    const timeline = [s(5, 60), s(30, 70), s(40, 65), s(60, 120), s(70, 150)]
    const [a, b, c] = log.results(timeline, 75, 'timed-out', 'killed')
    expect(a).toMatchObject({ state: 'completed', peakRssBytes: 80, peakRssSource: 'vmhwm', metrics: { m: 1 }, error: null })
    // No reset: VmHWM (999) is the process's lifetime peak, so the stage's own timeline wins.
    expect(b).toMatchObject({ state: 'completed', peakRssBytes: 70, peakRssSource: 'timeline' })
    expect(c).toMatchObject({ state: 'timed-out', error: 'killed', endedAtMs: null, after: null, peakRssBytes: 150, peakRssSource: 'timeline' })
    expect(c?.ops).toMatchObject({ count: 7, errors: 2, durationMs: 20, throughputPerSec: 350, latencyMs: null })
  })
  it('keeps the error a failed stage reported', () => {
    const log = new StageLog()
    log.apply({ t: 'stage-start', name: 'a', kind: 'work', atMs: 0, before: s(0, 40), peakReset: true, snapshot: null })
    log.apply({ t: 'stage-failed', name: 'a', atMs: 10, error: { message: 'boom', stack: null } })
    const [a] = log.results([s(5, 50)], 12, 'failed', 'exit 1')
    expect(a).toMatchObject({ state: 'failed', error: 'boom', endedAtMs: 10, peakRssBytes: 50 })
  })
})
