/**
 * Service figures and the `--max-requests` recommendation, on a planted tree: two workers that
 * grow 1 MiB a second each while 200 requests are served over 10 s.
 */
import { describe, expect, it } from 'vitest'
import { buildReport } from '../../src/report/model/report.js'
import { serviceFiguresOf, requestsToBudget } from '../../src/report/model/service.js'
import type { ProcessRecord, RepeatResult, RunResult } from '../../src/run/schema.js'
import { singleInput } from '../fixtures/report/judge.js'
import { makeSuiteRun } from '../fixtures/report/runs.js'
import { sample } from '../fixtures/report/samples.js'

const MiB = 1024 * 1024

/** A worker that loads to 100 MiB in 2 s, then grows 1 MiB/s while the load runs from t0+2 s to t0+12 s. */
function worker(pid: number, t0: number): ProcessRecord {
  const timeline = [sample(t0, 10 * MiB, { pid }), sample(t0 + 1000, 60 * MiB, { pid })]
  for (let s = 2; s <= 12; s++) timeline.push(sample(t0 + s * 1000, (100 + (s - 2)) * MiB, { pid }))
  return { pid, ppid: 1, command: 'node worker', role: 'worker', startedAtMs: t0, endedAtMs: t0 + 12_500, exitCode: null, signal: null, timeline }
}

function plant(run: RunResult): RunResult {
  for (const s of run.scenarios) {
    s.repeats = s.repeats.map((r): RepeatResult => {
      const t0 = r.startedAtMs
      const stage = r.stages.find((st) => st.kind === 'work')!
      Object.assign(stage, { startedAtMs: t0 + 2000, endedAtMs: t0 + 12_000 })
      stage.http = { requests: 202, ok: 200, non2xx: 2, statusCounts: { "200": 200, "503": 2 }, errors: 0, timeouts: 0, sent: 200, latencyMs: null, okLatencyMs: null, throughputPerSec: 20, durationMs: 10_000, connections: 2, pipelining: 1 }
      const processes = [{ ...worker(1, t0), role: 'primary', ppid: null }, worker(2, t0), worker(3, t0)]
      processes[0]!.timeline = processes[0]!.timeline.map((x) => ({ ...x, rssBytes: 50 * MiB }))
      const timeline = processes[1]!.timeline.map((x, i) => ({ ...x, pid: 1, rssBytes: 50 * MiB + 2 * x.rssBytes!, pssBytes: 40 * MiB + 1.5 * x.rssBytes! + i }))
      return {
        ...r,
        timeline,
        processes,
        events: [{ atMs: t0 + 6000, kind: 'recycle', pid: 2, message: 'worker-retire 2' }],
        service: { command: ['serve'], url: 'http://127.0.0.1:1', pid: 1, readyMs: 2000, exitCode: 0, signal: null, endedByRunner: true, stderrTail: '', driverPeakRssBytes: 80 * MiB, peakPssBytes: 205 * MiB, peakTreeRssBytes: 270 * MiB },
      }
    })
  }
  return run
}

describe('service figures', () => {
  it('read workers, recycles, requests and the growth per 100 requests from the tree', () => {
    const run = plant(makeSuiteRun({ noise: false, scenarios: ['load'] }))
    const f = serviceFiguresOf(run.scenarios[0]!.repeats[0]!)!
    expect(f).toMatchObject({ workers: 2, recycles: 1, requests: 202, non2xx: 2, errors: 0, timeouts: 0, peakPssBytes: 205 * MiB, workerPeakRssBytes: 110 * MiB })
    // Served from the first sample at 80% of its top (90 MiB): the loading samples are left out.
    expect(f.workerStartRssBytes).toBe(100 * MiB)
    // 1 MiB/s per worker; 200 requests over 2 workers × 10 s: 100 requests a worker take 10 s → 10 MiB.
    expect(f.growthBytesPer100! / MiB).toBeCloseTo(10, 6)
  })

  it('is null for a repeat without a service', () => {
    expect(serviceFiguresOf(makeSuiteRun({ noise: false, scenarios: ['load'] }).scenarios[0]!.repeats[0]!)).toBeNull()
  })

  it('count requests to a budget', () => {
    expect(requestsToBudget(100 * MiB, 10 * MiB, 200 * MiB)).toBe(1000)
    expect(requestsToBudget(100 * MiB, 0, 200 * MiB)).toBeNull()
  })
})

describe('worker-growth recommendation', () => {
  it('says how many requests reach the budget and sets --max-requests at 80% of them', async () => {
    const run = plant(makeSuiteRun({ noise: false, scenarios: ['load'] }))
    const report = buildReport(await singleInput(run))
    const rec = report.recommendations.find((r) => r.id === 'worker-growth')
    // The default peakRss budget is 500 MB: (500e6 − 100 MiB) / 10 MiB × 100 requests.
    const n = ((500e6 - 100 * MiB) / (10 * MiB)) * 100
    expect(rec).toMatchObject({ scenario: 'load', recycles: 1, budgetBytes: 500e6, requestsToBudget: Math.round(n), maxRequests: Math.round(n * 0.8) })
  })
})
