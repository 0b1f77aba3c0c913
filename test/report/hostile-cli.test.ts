/** Issue 17 on `memgate report`, `compare` and `fixtures`: output paths that cannot be, and the rating as the report names it. */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { removeTempDirs, tempDir, writeRunDir } from '../fixtures/report/judge.js'
import { makeSuiteRun } from '../fixtures/report/runs.js'

afterAll(removeTempDirs)

const small = () => makeSuiteRun({ noise: false, scenarios: ['load'] })
const OFF = ['peakRss', 'retainedRss', 'fluctuation', 'swap', 'heapUsed', 'arrayBuffers', 'drift', 'threads', 'confidence', 'fieldAccuracy', 'cer', 'throughput', 'cpuPerOp', 'p95Latency']

describe('bad --out', () => {
  const cases = (file: string) => [
    [file, `it is a regular file, not a directory`],
    [join(file, 'sub'), `${file} is a regular file, not a directory`],
    ['/proc/memgate-report', 'it is on proc, a kernel filesystem where no file can be written'],
  ]

  it('report: exit 2 at once (was exit 4 with a stack, or a hang under /proc), nothing written', async () => {
    const run = writeRunDir(small())
    const file = join(tempDir(), 'a-file')
    writeFileSync(file, 'x')
    for (const [out, why] of cases(file)) {
      const r = await runCli(['report', run, '--format', 'md', '--out', out!])
      expect(r.exitCode).toBe(2)
      expect(r.stderr).toBe(`memgate: --out ${out}: ${why}. Choose a writable directory (it is created when missing).\nRun 'memgate --help' for usage.\n`)
      expect(r.stdout).toBe('')
    }
    expect(existsSync(join(run, 'report.md'))).toBe(false)
  })

  it('compare and fixtures: the same', async () => {
    const file = join(tempDir(), 'a-file')
    writeFileSync(file, 'x')
    const [a, b] = [writeRunDir(small()), writeRunDir(small())]
    for (const [out, why] of cases(file)) {
      const compare = await runCli(['compare', a, b, '--format', 'md', '--out', out!])
      expect(compare.exitCode).toBe(2)
      expect(compare.stderr).toContain(`--out ${out}: ${why}.`)
      const fixtures = await runCli(['fixtures', '--out', out!])
      expect(fixtures.exitCode).toBe(2)
      expect(fixtures.stderr).toContain(`--out ${out}: ${why}.`)
    }
  })

  it('baseline update: an unwritable --baselines fails before any scenario runs', async () => {
    const file = join(tempDir(), 'a-file')
    writeFileSync(file, 'x')
    const r = await runCli(['baseline', 'update', 'load', '--run', writeRunDir(small()), '--baselines', join(file, 'b')])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain(`--baselines ${join(file, 'b')}: ${file} is a regular file, not a directory.`)
  })
})

describe('the terminal summary', () => {
  it('says NOT RATED, as report.md and the README do (it said UNRATED)', async () => {
    const cwd = tempDir()
    writeFileSync(join(cwd, 'memgate.config.json'), JSON.stringify({ budgets: Object.fromEntries(OFF.map((k) => [k, false])) }))
    const r = await runCli(['report', writeRunDir(small()), '--format', 'md'], { cwd })
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/^Rating NOT RATED: \d+ passed, 0 failed, 0 inconclusive\.$/m)
    expect(r.stdout).not.toContain('UNRATED')
  })
})
