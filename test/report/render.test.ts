import { afterAll, describe, expect, it } from 'vitest'
import { composeReport, type Doc, type SectionId } from '../../src/report/compose/index.js'
import { LOCALES } from '../../src/report/locales/index.js'
import { buildReport } from '../../src/report/model/report.js'
import { renderHtml } from '../../src/report/render/html.js'
import { renderMarkdown } from '../../src/report/render/markdown.js'
import type { Lang, ReportInput } from '../../src/report/index.js'
import { compareInput, removeTempDirs, singleInput } from '../fixtures/report/judge.js'
import { makeSuiteRun, type SuiteOptions } from '../fixtures/report/runs.js'

afterAll(removeTempDirs)

const CLEAN: SuiteOptions = { noise: false, driftMiBPerCycle: 0, cerDegraded: 0.004 }
const docOf = (input: ReportInput): Doc => composeReport(buildReport(input))

/** The Markdown between `## title` of a section and the next `## `. */
function section(md: string, lang: Lang, id: SectionId): string {
  const title = `## ${LOCALES[lang].section[id]}\n`
  const start = md.indexOf(title)
  if (start < 0) throw new Error(`no section ${id}`)
  const end = md.indexOf('\n## ', start + title.length)
  return md.slice(start, end < 0 ? undefined : end)
}

describe('Markdown report of one run', () => {
  it('has every section, in order, computed from the run', async () => {
    const input = await singleInput(makeSuiteRun({ ...CLEAN, repeats: 1 }))
    const md = renderMarkdown(docOf(input))
    const titles = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1])
    expect(titles).toEqual(['Executive summary', 'Key metrics against budgets', 'Efficiency rating', 'Engine and runtime settings', 'Validation', 'Memory distribution', 'Before and after', 'Memory over time', 'Leak suspects and growing classes', 'Native allocations (heaptrack)', 'Success indicators', 'Recommendations', 'Conclusion', 'Method and noise'])
    expect(md).toContain(`> **✅ All ${input.run.verdicts.length} budgets hold**`)
    expect(md).toContain('| ✅ Peak RSS | **331 MiB** | budget 477 MiB |')
    expect(md).toContain('| ✅ Mean confidence | **0.961** | budget 0.850 |')
    expect(md).toContain('| `load` | peak RSS | 331 MiB | 477 MiB | 31% | n=1 | ✅ pass |')
    expect(section(md, 'en', 'distribution')).toContain('| Models (ONNX Runtime sessions) | 152 MiB | 50% |')
    expect(section(md, 'en', 'distribution')).toContain('| **Total** | **307 MiB** | 100% |')
    expect(section(md, 'en', 'comparison')).toContain('No baseline to compare with')
    expect(section(md, 'en', 'validation')).toContain('Not run in this run. Add it with `memgate run stress`.')
    expect(section(md, 'en', 'leaks')).toContain('This run has no snapshot pass')
    expect(section(md, 'en', 'native')).toContain('This run has no heaptrack pass')
    expect(section(md, 'en', 'timeline')).toContain('| `models` | startup | 1.65 s | 111 MiB | 263 MiB | 275 MiB | 11.0 MiB | — | — |')
    expect(md).toContain('![Line chart of RSS over time for load: peak 331 MiB, 300 MiB after the work; stages setup, recognize, teardown.](chart-timeline-load.png)')
  })

  it('marks every verdict as the gate gave it', async () => {
    const input = await singleInput(makeSuiteRun({ ...CLEAN, repeats: 3, extraPeakMiB: 200 }))
    const metrics = section(renderMarkdown(docOf(input)), 'en', 'metrics')
    const rows = metrics.split('\n').filter((l) => l.startsWith('| `'))
    expect(rows).toHaveLength(input.run.verdicts.length)
    input.run.verdicts.forEach((v, i) => expect(rows[i], `${v.scenario} ${v.rule}`).toMatch(v.kind === 'pass' ? /\| ✅ pass \|$/ : v.kind === 'fail' ? /\| ❌ fail \|$/ : /\| ⚠️ inconclusive \|$/))
    expect(rows.filter((r) => r.endsWith('❌ fail |')).length).toBe(input.run.verdicts.filter((v) => v.kind === 'fail').length)
    expect(rows.filter((r) => r.endsWith('❌ fail |')).length).toBeGreaterThan(0)
  })

  it('shows the noise of five repeats and changes against a committed baseline', async () => {
    const { baselinesFrom } = await import('../fixtures/report/judge.js')
    const baseline = await baselinesFrom(makeSuiteRun({ repeats: 5, seed: 7, profile: 'default' }))
    const run = makeSuiteRun({ repeats: 5, seed: 8 })
    // The same profile as the baseline, so the baseline is comparable.
    for (const s of run.scenarios) s.variant = 'default'
    const md = renderMarkdown(docOf(await singleInput(run, 'en', baseline)))
    expect(section(md, 'en', 'metrics')).toMatch(/\| `load` \| peak RSS \| 33\d MiB \| 477 MiB \| 3\d% \| ±[\d.]+ (KiB|MiB) · CV [\d.]+% · n=5 \| ✅ pass \|/)
    const vsBaseline = section(md, 'en', 'comparison')
    expect(vsBaseline).toContain('Changes the gate measured against the committed baseline:')
    expect(vsBaseline).toMatch(/\| `load` \| peak RSS \| 43\d MiB \| 33\d MiB \| -\d+ MiB \| -2\d\.\d% \| ✅ pass \|/)
    expect(md).toMatch(/\| ✅ Peak RSS \| \*\*33\d MiB\*\* \| -2\d\.\d% vs baseline \|/)
  })

  it('lists leak suspects with their retainer paths', async () => {
    const md = renderMarkdown(docOf(await singleInput(makeSuiteRun({ ...CLEAN, scenarios: ['leak-check'] }))))
    const leaks = section(md, 'en', 'leaks')
    expect(leaks).toContain('Leak check of `leak-check`: 1,260 suspect objects, 3.40 MiB.')
    expect(leaks).toContain('| `OcrResult` | `leak-check` | leak check | 4 | 2.78 MiB | `(GC roots) → (Global handles) → Map resultCache → OcrResult` |')
  })

  it('says a crashed run failed, and why', async () => {
    const md = renderMarkdown(docOf(await singleInput(makeSuiteRun({ ...CLEAN, repeats: 2, crash: { scenario: 'load', repeat: 0 } }))))
    expect(md).toMatch(/> \*\*❌ 1 of \d+ budgets failed: repeats completed in `load`\*\*/)
    expect(md).toContain('Efficiency rating: **CRITICAL**')
    expect(section(md, 'en', 'validation')).toContain('### ❌ Load\n\nStatus: **crashed** (`load`).')
    expect(section(md, 'en', 'timeline')).toContain('❌ `load` repeat #1 failed: The worker was killed by the kernel OOM killer')
    expect(section(md, 'en', 'indicators')).toContain('❌ Every measuring repeat completed: 7 of 8.')
    expect(section(md, 'en', 'recommendations')).toMatch(/^1\. \*\*\[high\]\*\* `load` did not complete \(oom-kill in stage `recognize`\)/m)
  })
})

describe('Markdown comparison', () => {
  it('tabulates before and after with absolute and relative change', async () => {
    const md = renderMarkdown(docOf(await compareInput(makeSuiteRun({ ...CLEAN, profile: 'default' }), makeSuiteRun(CLEAN))))
    expect(md).toContain('# Memory report: before and after')
    expect(md).toContain('Engine profile: default → lean')
    const ab = section(md, 'en', 'comparison')
    expect(ab).toContain('| Peak RSS | `load` | 432 MiB | 331 MiB | -101 MiB | -23.4% ✅ |')
    expect(ab).toContain('| Throughput | `load` | 0.92/s | 0.81/s | -0.11/s | -12.0% ❌ |')
    expect(ab).toContain('| `load` | `recognize` | 432 MiB | 331 MiB | -23.4% |')
    const settings = section(md, 'en', 'settings')
    expect(settings).toContain('| `engine.options.enableMemPattern` | on | **off** |')
    expect(settings).toContain('| `engine.options.intraOpNumThreads` | 0 | **2** |')
    expect(md).toContain('| ✅ Peak RSS | **331 MiB** | -23.4% vs before |')
    expect(section(md, 'en', 'indicators')).toContain('✅ Peak RSS not higher than before: -23.4%.')
    expect(section(md, 'en', 'indicators')).toContain('❌ Throughput kept within 10%: -12.0%.')
    expect(section(md, 'en', 'recommendations')).toContain('save 101 MiB of peak RSS (-23.4%) for -12.0% throughput')
  })

  it('is written in Spanish and Portuguese with the same figures', async () => {
    const before = makeSuiteRun({ ...CLEAN, profile: 'default' })
    const after = makeSuiteRun(CLEAN)
    const es = renderMarkdown(docOf(await compareInput(before, after, 'es')))
    expect(es).toContain('# Reporte de memoria: antes y después')
    expect(es).toContain('| RSS pico | `load` | 432 MiB | 331 MiB | -101 MiB | -23,4% ✅ |')
    // The rating of the lean run by hand (noise off, built-in budgets). Peak RSS 331 MiB under
    // 500 MB (476.8 MiB): (476.8 − 331) / 476.8 = 30.6% headroom. Fluctuation, the rise above both
    // ends of a stage: `load` rises from 294 to 331 and ends at 300 → 31 MiB under 50 MB (47.7 MiB),
    // 35% (`startup`'s first page, 263 → 307 → 293, rises 14 MiB). Confidence (0.961 − 0.85) / 0.15
    // = 74%; drift 0 and swap 0 keep 100%. The tightest, 30.6%, is VERY GOOD (≥ 30%). Before
    // fluctuation left out growth between a stage's ends, `startup` counted 307 − 263 = 44 MiB
    // (7.7% headroom) and the rating was FAIR.
    expect(es).toContain('Calificación de eficiencia: **MUY BUENO**')
    const pt = renderMarkdown(docOf(await compareInput(before, after, 'pt')))
    expect(pt).toContain('| RSS de pico | `load` | 432 MiB | 331 MiB | -101 MiB | -23,4% ✅ |')
    expect(pt).toContain('Classificação de eficiência: **MUITO BOM**')
    expect(pt).toContain('## Recomendações')
  })
})

describe('HTML report', () => {
  it('is one self-contained, printable file', async () => {
    const doc = docOf(await singleInput(makeSuiteRun({ ...CLEAN, scenarios: ['load'] })))
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47])
    const html = renderHtml(doc, new Map([['timeline-load', png]]))
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('@media print')
    expect(html).not.toMatch(/<script|<link|(src|href)="(https?:)?\/\//)
    expect(html).toContain(`<img src="data:image/png;base64,${Buffer.from(png).toString('base64')}" alt="Line chart of RSS over time for load`)
    // Status marks are drawn as SVG, not emoji a system may lack fonts for.
    expect(html).not.toMatch(/[✅❌]/u)
    expect(html).toContain('<svg class="mark pass"')
    expect(html).toContain('<section id="summary">')
  })

  it('escapes text from the run', async () => {
    const run = makeSuiteRun({ ...CLEAN, scenarios: ['load'] })
    run.scenarios[0]!.description = '<img src=x onerror=alert(1)> & "quotes"'
    const html = renderHtml(docOf(await singleInput(run)), new Map())
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;')
    expect(html).not.toContain('<img src=x')
  })
})
