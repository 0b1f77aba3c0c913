/** The memory distribution shows measured components (smaps categories) next to the startup layers. */
import { afterAll, describe, expect, it } from 'vitest'
import { composeReport } from '../../src/report/compose/index.js'
import type { Lang } from '../../src/report/index.js'
import { buildReport } from '../../src/report/model/report.js'
import { renderMarkdown } from '../../src/report/render/markdown.js'
import type { RunResult } from '../../src/run/schema.js'
import { removeTempDirs, singleInput } from '../fixtures/report/judge.js'
import { makeSuiteRun, MiB } from '../fixtures/report/runs.js'

afterAll(() => removeTempDirs())

function withCategories(run: RunResult): RunResult {
  for (const s of run.scenarios) {
    for (const r of s.repeats) {
      for (const st of r.stages) {
        const rows = [
          { name: 'libonnxruntime.so', kind: 'shared-object', rssBytes: 30 * MiB, pssBytes: 28 * MiB },
          { name: 'glibc malloc arenas', kind: 'malloc', rssBytes: 120 * MiB, pssBytes: 120 * MiB },
          { name: 'V8 heap', kind: 'v8-heap', rssBytes: 15 * MiB, pssBytes: 15 * MiB },
        ]
        const rec = { atMs: 0, readMs: 2, rssBytes: 165 * MiB, pssBytes: 163 * MiB, categories: rows }
        st.rssCategories = { before: rec, after: rec }
      }
    }
  }
  return run
}

describe('measured components', () => {
  for (const lang of ['en', 'es', 'pt'] as Lang[]) {
    it(`are listed under the layers (${lang})`, async () => {
      const md = renderMarkdown(composeReport(buildReport(await singleInput(withCategories(makeSuiteRun({ noise: false })), lang))))
      const section = md.slice(md.indexOf('/proc/<pid>/smaps') - 200)
      expect(section).toMatch(/\| glibc malloc arenas +\| +120 MiB \| +120 MiB \| +73% \|/)
      expect(section).toContain('libonnxruntime.so')
    })
  }

  it('are absent for runs that recorded no categories', async () => {
    const md = renderMarkdown(composeReport(buildReport(await singleInput(makeSuiteRun({ noise: false })))))
    expect(md).not.toContain('/proc/<pid>/smaps')
  })
})
