import { describe, expect, it } from 'vitest'
import { distributionChart } from '../../src/report/charts/bars.js'
import { renderChartPng, PIXEL_RATIO } from '../../src/report/charts/render.js'
import { timeMiBScales } from '../../src/report/charts/axes.js'
import { serviceChart } from '../../src/report/charts/service.js'
import { MAX_TIMELINE_POINTS, rssPoints, timeTickDecimals, timelineChart } from '../../src/report/charts/timeline.js'
import { formatterFor } from '../../src/report/format.js'
import { LOCALES } from '../../src/report/locales/index.js'
import { distributionOf } from '../../src/report/model/distribution.js'
import { figuresOf } from '../../src/report/model/figures.js'
import { makeSuiteRun, MiB } from '../fixtures/report/runs.js'

const c = { m: LOCALES.en, f: formatterFor('en') }

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png)
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
}

describe('charts', () => {
  it('draw a timeline as a PNG at twice its CSS size, identically every time', async () => {
    const load = figuresOf(makeSuiteRun({ noise: false, scenarios: ['load'] }).scenarios[0]!)
    const spec = timelineChart(c, load, null)!
    expect(spec.file).toBe('chart-timeline-load.png')
    expect(spec.alt).toBe('Line chart of RSS over time for load: peak 331 MiB, 300 MiB after the work; stages setup, recognize, teardown.')
    const png = await renderChartPng(spec)
    expect(pngSize(png)).toEqual({ width: spec.width * PIXEL_RATIO, height: spec.height * PIXEL_RATIO })
    expect(Buffer.compare(png, await renderChartPng(spec))).toBe(0)
    // A drawn chart, not a blank canvas: a blank 1960×640 PNG compresses to a few KiB.
    expect(png.length).toBeGreaterThan(20_000)
  })

  it('label the time axis of a short run in fractions of a second, never repeating a label', () => {
    expect([timeTickDecimals(1.4), timeTickDecimals(2.5), timeTickDecimals(9.9), timeTickDecimals(45)]).toEqual([2, 1, 1, 0])
    const run = makeSuiteRun({ noise: false, scenarios: ['load'] })
    const repeat = run.scenarios[0]!.repeats[0]!
    // Squeeze the run into 2.5 s: the startup chart of the issue read "0, 0, 0, 1, 1, 1, 1, 2, 2".
    const t0 = repeat.startedAtMs
    const span = repeat.timeline.at(-1)!.atMs - t0
    const squeeze = (at: number) => t0 + ((at - t0) * 2500) / span
    for (const s of repeat.timeline) s.atMs = squeeze(s.atMs)
    for (const s of repeat.stages.flatMap((st) => [st.before, st.after])) if (s) s.atMs = squeeze(s.atMs)
    for (const st of repeat.stages) {
      st.startedAtMs = squeeze(st.startedAtMs)
      if (st.endedAtMs !== null) st.endedAtMs = squeeze(st.endedAtMs)
    }
    const spec = timelineChart(c, figuresOf(run.scenarios[0]!), null)!
    const ticks = (spec.config.options as { scales: { x: { ticks: { callback: (v: number) => string } } } }).scales.x.ticks
    const labels = [0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4].map((v) => ticks.callback(v))
    expect(labels).toEqual(['0.0', '0.3', '0.6', '0.9', '1.2', '1.5', '1.8', '2.1', '2.4'])
  })

  it('take the timeline\'s and the service chart\'s time and MiB axes from one builder', () => {
    type Scale = { min?: number; max?: number; title: { text: string }; ticks: { callback: (v: number) => string } }
    const scalesOf = (spec: { config: { options?: unknown } }) => (spec.config.options as { scales: { x: Scale; y: Scale } }).scales
    const es = { m: LOCALES.es, f: formatterFor('es') }
    const run = makeSuiteRun({ noise: false, scenarios: ['load'] })
    const timeline = scalesOf(timelineChart(es, figuresOf(run.scenarios[0]!), null)!)
    // The same run as a service repeat: the tree's timeline and one worker.
    const r = run.scenarios[0]!.repeats[0]!
    r.processes = [{ pid: 2, ppid: 1, command: 'node worker', role: 'worker', startedAtMs: r.startedAtMs, endedAtMs: null, exitCode: null, signal: null, timeline: r.timeline.map((x) => ({ ...x, pid: 2 })) }]
    r.service = { command: ['serve'], url: 'http://127.0.0.1:1', pid: 1, readyMs: 100, exitCode: 0, signal: null, endedByRunner: true, stderrTail: '', driverPeakRssBytes: null, peakPssBytes: 100 * MiB, peakTreeRssBytes: 120 * MiB }
    const service = scalesOf(serviceChart(es, figuresOf(run.scenarios[0]!))!)
    for (const scales of [timeline, service]) {
      const expected = timeMiBScales(es, scales.x.max!)
      // Same options (JSON drops the label functions) and the same labels, in the report's language.
      expect(JSON.stringify(scales)).toBe(JSON.stringify(expected))
      expect([1234.5, 0].map((v) => scales.y.ticks.callback(v))).toEqual([1234.5, 0].map((v) => expected.y.ticks.callback(v)))
      expect(scales.y.ticks.callback(1234.5)).toBe(es.f.num(1234.5, 0))
      expect(scales.x.title.text).toBe(LOCALES.es.chart.time)
      expect(scales.y.title.text).toBe(LOCALES.es.chart.mib)
    }
    expect(timeline.x.max).toBe(service.x.max)
  })

  it('draw the memory distribution with its layers in the alt text', async () => {
    const run = makeSuiteRun({ noise: false })
    const d = distributionOf(run.scenarios.map(figuresOf), (n) => run.scenarios.find((s) => s.name === n)!.repeats)!
    const spec = distributionChart(c, d, null)
    expect(spec.alt).toBe('Stacked bar of memory layers: Node base (process and harness) 47.0 MiB, Runtime (engine code, onnxruntime-node, sharp) 64.0 MiB, Models (ONNX Runtime sessions) 152 MiB, Working set (first work) 44.0 MiB.')
    expect(pngSize(await renderChartPng(spec))).toEqual({ width: spec.width * 2, height: spec.height * 2 })
  })

  it('thin long timelines to the highest sample of each bucket, so peaks survive', () => {
    const run = makeSuiteRun({ noise: false, scenarios: ['load'] })
    const r = run.scenarios[0]!.repeats[0]!
    r.timeline = Array.from({ length: 10_000 }, (_, i) => ({ ...r.timeline[0]!, atMs: r.startedAtMs + i * 10, rssBytes: (i === 6_789 ? 999 : 100) * MiB }))
    const points = rssPoints(r)
    expect(points.length).toBeLessThanOrEqual(MAX_TIMELINE_POINTS)
    expect(Math.max(...points.map((p) => p.y))).toBe(999)
  })
})
