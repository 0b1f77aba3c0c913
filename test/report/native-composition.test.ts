/**
 * The report's native section (a heaptrack pass's sites by shared object and frame) and the RSS
 * composition diff in Before/After (against the baseline's composition, or the before run's).
 */
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { nativeSummary } from '../../src/check/native-pass.js'
import { buildNativeProfile, parseHeaptrackPrint } from '../../src/native/index.js'
import { composeReport } from '../../src/report/compose/index.js'
import { generateReport } from '../../src/report/generate.js'
import { buildReport } from '../../src/report/model/report.js'
import { renderMarkdown } from '../../src/report/render/markdown.js'
import type { NativeAnalysis, RunResult } from '../../src/run/schema.js'
import { baselinesFrom, compareInput, removeTempDirs, singleInput } from '../fixtures/report/judge.js'
import { makeSuiteRun, MiB } from '../fixtures/report/runs.js'

afterAll(() => removeTempDirs())

/** analysis.native from heaptrack_print output of a real ONNX Runtime run (test/fixtures/native-heaptrack-print/README.md). */
function ortArenaOn(): NativeAnalysis {
  const text = readFileSync(new URL('../fixtures/native-heaptrack-print/ort-arena-on.txt', import.meta.url), 'utf8')
  return nativeSummary(buildNativeProfile(parseHeaptrackPrint(text, 'ort-arena-on.txt'), '1.4.0'), 'native/heaptrack.load.zst')
}

/** Every stage of every repeat reads the same categories, glibc malloc arenas at `arenasMiB`. */
function withCategories(run: RunResult, arenasMiB: number): RunResult {
  for (const s of run.scenarios) {
    for (const r of s.repeats) {
      for (const st of r.stages) {
        const rows = [
          { name: 'glibc malloc arenas', kind: 'malloc', rssBytes: arenasMiB * MiB, pssBytes: arenasMiB * MiB },
          { name: 'libonnxruntime.so.1', kind: 'shared-object', rssBytes: 30 * MiB, pssBytes: 28 * MiB },
          { name: 'V8 heap', kind: 'v8-heap', rssBytes: 15 * MiB, pssBytes: 15 * MiB },
        ]
        const rec = { atMs: 0, readMs: 2, rssBytes: rows.reduce((n, x) => n + x.rssBytes, 0), pssBytes: rows.reduce((n, x) => n + x.pssBytes, 0), categories: rows }
        st.rssCategories = { before: rec, after: rec }
      }
    }
  }
  return run
}

const section = (md: string, title: string) => {
  const start = md.indexOf(`## ${title}`)
  expect(start, title).toBeGreaterThanOrEqual(0)
  const end = md.indexOf('\n## ', start + 3)
  return md.slice(start, end < 0 ? undefined : end)
}

describe('native allocations section', () => {
  it('lists the heaptrack pass by shared object, by frame and by site', async () => {
    const run = makeSuiteRun({ noise: false, scenarios: ['load'] })
    run.scenarios[0]!.analysis = { native: ortArenaOn() }
    const { files } = await generateReport(await singleInput(run), ['md', 'html'])
    const md = String(files.find((f) => f.name === 'report.md')?.data)
    const native = section(md, 'Native allocations (heaptrack)')
    expect(native).toContain("`load`: 72.4 MiB at heaptrack's peak, 43.0 MiB still allocated at the end, 1,522,617 allocations (heaptrack 1.4.0, `native/heaptrack.load.zst`).")
    // The shared object holding the most at the end first (heaptrack's 38.74 MB), by its file name.
    expect(native).toMatch(/By shared object:\n\n\| Shared object +\| Still allocated \| +At peak \| Allocations \| Sites \|\n\|[-:| ]+\|\n\| `libonnxruntime\.so\.1` +\| +36\.9 MiB \| +20\.0 MiB \| +332 \| +6 \|/)
    expect(native).toMatch(/\| `InferenceSessionWrap::LoadModel` \(binding\) +\| +15\.9 MiB \|/)
    expect(native).toContain('Sites still holding the most at the end:')
    expect(native).toMatch(/\| `libonnxruntime\.so\.1` +\| `InferenceSessionWrap::Run` +\| +12\.0 MiB \| +— \| +2 \|/)
    const html = String(files.find((f) => f.name === 'report.html')?.data)
    expect(html).toContain('<section id="native">')
    expect(html).toContain('InferenceSessionWrap::Run')
  })

  it('says how to get one when the run has no heaptrack pass, in every language', async () => {
    const md = renderMarkdown(composeReport(buildReport(await singleInput(makeSuiteRun({ noise: false, scenarios: ['load'] })))))
    expect(section(md, 'Native allocations (heaptrack)')).toContain('Run `memgate run SCENARIO --native heaptrack`')
    const es = renderMarkdown(composeReport(buildReport(await singleInput(makeSuiteRun({ noise: false, scenarios: ['load'] }), 'es'))))
    expect(section(es, 'Asignaciones nativas (heaptrack)')).toContain('`memgate run ESCENARIO --native heaptrack`')
  })
})

describe('RSS composition in Before/After', () => {
  it('diffs the run against the baseline’s composition, largest change first', async () => {
    const dir = await baselinesFrom(withCategories(makeSuiteRun({ noise: false, scenarios: ['load'], id: '20250301-110000-lean' }), 120))
    const report = buildReport(await singleInput(withCategories(makeSuiteRun({ noise: false, scenarios: ['load'] }), 131.4), 'en', dir))
    expect(report.compositionChanges).toHaveLength(1)
    expect(report.compositionChanges[0]).toMatchObject({ scenario: 'load', against: 'baseline', stage: 'recognize', summary: 'glibc malloc arenas +11.4 MiB, V8 heap ±0.0 MiB' })
    const before = section(renderMarkdown(composeReport(report)), 'Before and after')
    expect(before).toContain("Where RSS lives at the end of `recognize` in `load`, against the baseline's composition (smaps categories read by the runner, medians of repeats): glibc malloc arenas +11.4 MiB, V8 heap ±0.0 MiB.")
    expect(before).toMatch(/\| glibc malloc arenas +\| +120 MiB \| +131 MiB \| +\+11\.4 MiB \|/)
    expect(before).toMatch(/\| \*\*Total\*\* +\| +\*\*165 MiB\*\* \| +\*\*176 MiB\*\* \| +\*\*\+11\.4 MiB\*\* \|/)
  })

  it('diffs two runs of a comparison, and shows nothing for a baseline without composition', async () => {
    const report = buildReport(await compareInput(withCategories(makeSuiteRun({ noise: false, scenarios: ['load'], id: 'a' }), 120), withCategories(makeSuiteRun({ noise: false, scenarios: ['load'], id: 'b' }), 100)))
    expect(report.compositionChanges[0]).toMatchObject({ against: 'before', summary: 'glibc malloc arenas -20.0 MiB, V8 heap ±0.0 MiB' })
    expect(section(renderMarkdown(composeReport(report)), 'Before and after')).toContain('against the before run')
    // A baseline made before runs recorded categories has no composition: no table, no error.
    const old = await baselinesFrom(makeSuiteRun({ noise: false, scenarios: ['load'], id: '20250301-110000-lean' }))
    expect(buildReport(await singleInput(withCategories(makeSuiteRun({ noise: false, scenarios: ['load'] }), 131.4), 'en', old)).compositionChanges).toEqual([])
  })
})
