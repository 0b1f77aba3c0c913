import { afterAll, describe, expect, it } from 'vitest'
import { baselinesFrom, removeTempDirs, singleInput } from '../fixtures/report/judge.js'
import { makeSuiteRun, type SuiteOptions } from '../fixtures/report/runs.js'
import { buildReport, composeReport, renderMarkdown, type Lang } from '../../src/report/index.js'
import { LANGS } from '../../src/report/input.js'
import { LOCALES } from '../../src/report/locales/index.js'
import type { RunResult } from '../../src/run/schema.js'

afterAll(removeTempDirs)

/**
 * The fixture's worker samples count CPU time modulo 100 s, so a stage across such a boundary
 * would read a negative CPU time per operation, which a baseline refuses: count it from the
 * repeat's start instead (monotonic, as /proc gives it).
 */
function suite(options: SuiteOptions): RunResult {
  const run = makeSuiteRun(options)
  for (const s of run.scenarios)
    for (const r of s.repeats) for (const st of r.stages) for (const x of [st.before, st.after]) if (x && x.cpuUserMs !== null) x.cpuUserMs = x.atMs - r.startedAtMs
  return run
}

/** The banner of the report of `run` (its title line and its text), and the verdict counts. */
async function bannerOf(run: RunResult, lang: Lang = 'en', baselineDir?: string) {
  const input = await singleInput(run, lang, baselineDir)
  const md = renderMarkdown(composeReport(buildReport(input)))
  const lines = md.split('\n')
  const at = lines.findIndex((l) => l.startsWith('> **'))
  const count = (k: string) => input.run.verdicts.filter((v) => v.kind === k).length
  return { md, title: lines[at]!, text: lines[at + 2]!, n: input.run.verdicts.length, pass: count('pass'), fail: count('fail'), inconclusive: count('inconclusive') }
}

let baselines: string | undefined
const committed = async () => (baselines ??= await baselinesFrom(suite({ repeats: 3, seed: 2 })))

describe('summary banner', () => {
  it('says ✅ "All N budgets hold" only when every verdict passed', async () => {
    const b = await bannerOf(suite({ repeats: 3 }))
    expect(b.fail + b.inconclusive).toBe(0)
    expect(b.title).toBe(`> **✅ All ${b.n} budgets hold**`)
    expect(b.text).not.toMatch(/inconclusive/i)
    expect(b.md).toContain('Every budget holds. Efficiency rating')
  })

  it('never puts a warning sign over "All hold": inconclusive verdicts are counted and named', async () => {
    // One repeat against a committed 3-repeat baseline: the relative rules cannot decide.
    const b = await bannerOf(suite({ repeats: 1 }), 'en', await committed())
    expect(b.fail).toBe(0)
    expect(b.inconclusive).toBeGreaterThan(3)
    expect(b.title.startsWith(`> **⚠️ ${b.pass} of ${b.n} budgets hold; ${b.inconclusive} inconclusive: peak RSS vs baseline in \`startup\`, retained RSS (after GC) vs baseline in \`startup\`, `)).toBe(true)
    expect(b.title.endsWith(` and ${b.inconclusive - 3} more**`)).toBe(true)
    expect(b.title).not.toMatch(/All/)
    expect(b.text).toContain('Inconclusive verdicts (too few repeats, too much noise, no baseline or a busy machine) do not fail the run.')
    // The conclusion says the same, not "Every budget holds".
    expect(b.md).toContain(`No budget failed: ${b.pass} of ${b.n} hold and ${b.inconclusive} are inconclusive. Efficiency rating **VERY GOOD**`)
    expect(b.md).not.toContain('Every budget holds')
  })

  it('says ❌ how many failed, names them, and what held and what was inconclusive', async () => {
    const b = await bannerOf(suite({ repeats: 1, extraPeakMiB: 900 }), 'en', await committed())
    expect(b.fail).toBeGreaterThan(3)
    expect(b.inconclusive).toBeGreaterThan(0)
    expect(b.title).toBe(`> **❌ ${b.fail} of ${b.n} budgets failed: peak RSS in \`startup\`, RSS fluctuation in \`startup\`, peak RSS in \`load\` and ${b.fail - 3} more**`)
    expect(b.text).toMatch(/^> Efficiency rating: \*\*CRITICAL\*\*\. First failure: peak RSS in `startup`: .*\. /)
    expect(b.text).toContain(`${b.pass} hold; ${b.inconclusive} inconclusive: peak RSS vs baseline in \`startup\`, `)
  })

  it('names a single failure without "more"', async () => {
    const run = suite({ repeats: 3, scenarios: ['load'] })
    const input = await singleInput(run)
    const v = input.run.verdicts.find((x) => x.metric === 'peakRss')!
    Object.assign(v, { kind: 'fail', over: 1, overRatio: 0.01 })
    const md = renderMarkdown(composeReport(buildReport(input)))
    expect(md).toContain(`> **❌ 1 of ${input.run.verdicts.length} budgets failed: peak RSS in \`load\`**`)
  })

  it('is in Spanish and Portuguese too, with the same icons', async () => {
    const dir = await committed()
    for (const [lang, held, failed] of [
      ['es', /^> \*\*⚠️ Se cumplen \d+ de \d+ presupuestos; \d+ no concluyentes: .* en `startup`, .* y \d+ más\*\*$/, /^> \*\*❌ \d+ de \d+ presupuestos no se cumplen: RSS pico en `startup`/],
      ['pt', /^> \*\*⚠️ \d+ de \d+ orçamentos são cumpridos; \d+ inconclusivos: .* em `startup`, .* e mais \d+\*\*$/, /^> \*\*❌ \d+ de \d+ orçamentos não são cumpridos: /],
    ] as const) {
      expect((await bannerOf(suite({ repeats: 1 }), lang, dir)).title, lang).toMatch(held)
      expect((await bannerOf(suite({ repeats: 1, extraPeakMiB: 900 }), lang, dir)).title, lang).toMatch(failed)
      expect((await bannerOf(suite({ repeats: 3 }), lang)).title, lang).toMatch(/^> \*\*✅ /)
    }
    for (const lang of LANGS) {
      const b = LOCALES[lang].banner
      for (const s of [b.allHold(3), b.someFail(1, 3, 'x'), b.someInconclusive(2, 3, 1, 'x'), b.rest(2, 1, 'x'), b.item('a', 'b'), b.more(2), b.none, b.inconclusiveWhy]) expect(s, lang).toMatch(/\S/)
    }
  })
})
