/**
 * Report generation benchmark: how long `memgate report` takes to turn a 5-repeat run of the
 * default suite (plus a leak check) into report.md with its PNG charts and a self-contained
 * report.html, and the same for a before-vs-after comparison. Prints figures; asserts nothing.
 *
 *   npx tsx bench/report.ts [--iterations 7]
 *
 * Each iteration generates everything from run data already in memory (as the CLI does after
 * reading run.json); the first iteration also loads Chart.js and the canvas, so it is reported
 * apart. Split: model + document (pure computation), charts (Chart.js on @napi-rs/canvas), and
 * rendering the two formats. Wall and CPU time are both shown: on a shared machine CPU time is
 * the steadier figure. Goal: a 5-repeat run in under 5 s.
 */
import { parseArgs } from 'node:util'
import { median, formatBytes, renderChartPng, chartsOf, composeReport, generateReport, type ReportInput, buildReport } from '../src/index.js'
import { compareInput, singleInput } from '../test/fixtures/report/judge.js'
import { makeSuiteRun } from '../test/fixtures/report/runs.js'

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '7' } } })
const iterations = Math.max(1, Number(values.iterations))

interface Timing {
  wallMs: number
  cpuMs: number
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  await fn()
  const used = process.cpuUsage(cpu)
  return { wallMs: performance.now() - t0, cpuMs: (used.user + used.system) / 1000 }
}

async function bench(name: string, input: ReportInput): Promise<void> {
  const first = await timed(() => generateReport(input, ['md', 'html']))
  const runs: Timing[] = []
  let bytes = 0
  let charts = 0
  for (let i = 0; i < iterations; i++) {
    runs.push(
      await timed(async () => {
        const g = await generateReport(input, ['md', 'html'])
        bytes = g.files.reduce((a, f) => a + f.data.length, 0)
        charts = g.files.filter((f) => f.name.endsWith('.png')).length
      }),
    )
  }
  // The parts, once more each: computation, drawing, rendering.
  const model = await timed(async () => composeReport(buildReport(input)))
  const doc = composeReport(buildReport(input))
  const draw = await timed(async () => {
    for (const c of chartsOf(doc)) await renderChartPng(c)
  })
  const wall = median(runs.map((r) => r.wallMs))
  const cpu = median(runs.map((r) => r.cpuMs))
  const samples = input.run.run.scenarios.reduce((a, s) => a + s.repeats.reduce((b, r) => b + r.timeline.length, 0), 0)
  console.log(`${name}: ${input.run.run.scenarios.length} scenarios × ${input.run.run.options.repeat} repeats, ${samples} timeline samples, ${charts} charts, ${formatBytes(bytes)} written`)
  console.log(`  first run (loads Chart.js, canvas, fonts): ${first.wallMs.toFixed(0)} ms wall, ${first.cpuMs.toFixed(0)} ms CPU`)
  console.log(`  median of ${iterations}: ${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU (min ${Math.min(...runs.map((r) => r.wallMs)).toFixed(0)}, max ${Math.max(...runs.map((r) => r.wallMs)).toFixed(0)} ms wall)`)
  console.log(`  parts: model + document ${model.wallMs.toFixed(0)} ms, charts ${draw.wallMs.toFixed(0)} ms, the rest (Markdown, HTML, base64) ${Math.max(0, wall - model.wallMs - draw.wallMs).toFixed(0)} ms`)
  console.log(`  goal < 5000 ms: ${wall < 5000 ? 'met' : 'NOT met'} (${(wall / 5000).toFixed(2)}× the goal)`)
}

const scenarios = ['startup', 'load', 'stability', 'precision', 'leak-check'] as const
await bench('report', await singleInput(makeSuiteRun({ repeats: 5, seed: 5, scenarios: [...scenarios] })))
await bench('compare', await compareInput(makeSuiteRun({ repeats: 5, seed: 6, profile: 'default', scenarios: [...scenarios] }), makeSuiteRun({ repeats: 5, seed: 7, scenarios: [...scenarios] })))
