import { describe, expect, it } from 'vitest'
import { distributionChart } from '../../src/report/charts/bars.js'
import { renderChartPng, PIXEL_RATIO } from '../../src/report/charts/render.js'
import { MAX_TIMELINE_POINTS, rssPoints, timelineChart } from '../../src/report/charts/timeline.js'
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
