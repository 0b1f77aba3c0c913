import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { removeTempDirs, tempDir, writeRunDir } from '../fixtures/report/judge.js'
import { makeSuiteRun } from '../fixtures/report/runs.js'

afterAll(removeTempDirs)

const small = (o: Parameters<typeof makeSuiteRun>[0] = {}) => makeSuiteRun({ noise: false, scenarios: ['startup', 'load'], ...o })
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes('.tmp-'))

describe('memgate report', () => {
  it('writes report.md with its charts and report.html next to run.json, and says where', async () => {
    const dir = writeRunDir(small())
    const cwd = tempDir()
    const { exitCode, stdout, stderr } = await runCli(['report', dir], { cwd })
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    const files = readdirSync(dir).sort()
    expect(files).toEqual(['chart-distribution.png', 'chart-heap-spaces.png', 'chart-timeline-load.png', 'chart-timeline-startup.png', 'report.html', 'report.md', 'run.json'])
    expect(leftovers(dir)).toEqual([])
    expect(stdout).toContain(`Report written to ${join(dir, 'report.md')}\n`)
    expect(stdout).toContain(`4 charts (PNG) written to ${dir}\n`)
    // By hand (noise off, built-in budgets): peak RSS 331 MiB under 500 MB (476.8 MiB) keeps
    // 30.6%; fluctuation, the rise above both ends of a stage, is 31 MiB in `load` (294 → 331 → 300)
    // under 50 MB (47.7 MiB), 35%; confidence (0.961 − 0.85) / 0.15 = 74%. The tightest, 30.6%, is
    // VERY GOOD (≥ 30%), printed with a space for the rating's hyphen.
    expect(stdout).toMatch(/Rating VERY GOOD: \d+ passed, 0 failed, 0 inconclusive\./)
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/^# Memory report\n/)
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<img src="data:image/png;base64,')
  })

  it('writes only the formats asked for, in the language asked for, where asked', async () => {
    const dir = writeRunDir(small({ scenarios: ['load'] }))
    const out = join(tempDir(), 'out')
    const { exitCode } = await runCli(['report', dir, '--lang', 'es', '--format', 'md', '--out', out])
    expect(exitCode).toBe(0)
    expect(readdirSync(out).sort()).toEqual(['chart-heap-spaces.png', 'chart-timeline-load.png', 'report.md'])
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## Resumen ejecutivo')
    expect(existsSync(join(dir, 'report.md'))).toBe(false)
  })

  it('exits 2 with a clear message for a missing, empty or invalid run directory and a bad format', async () => {
    const missing = await runCli(['report', '/nonexistent/run-dir'])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toBe('memgate: INPUT_NOT_FOUND: RUN_DIR /nonexistent/run-dir: /nonexistent/run-dir does not exist; give a run directory written by `memgate run`, such as reports/latest.\n')
    const empty = tempDir()
    const noRun = await runCli(['report', empty])
    expect(noRun.exitCode).toBe(2)
    expect(noRun.stderr).toContain(`holds no run.json; give a directory written by \`memgate run\`.`)
    const bad = tempDir()
    writeFileSync(join(bad, 'run.json'), JSON.stringify({ schemaVersion: 1, id: 'x' }))
    const invalid = await runCli(['report', bad])
    expect(invalid.exitCode).toBe(2)
    expect(invalid.stderr).toMatch(/^memgate: RUN_INVALID: .*run\.json is not a valid run\.json: at /)
    const format = await runCli(['report', writeRunDir(small({ scenarios: ['load'] })), '--format', 'md,pdf'])
    expect(format.exitCode).toBe(2)
    expect(format.stderr).toContain("--format takes md and/or html (e.g. --format md,html) but received 'md,pdf'.")
  })

  it('follows reports/latest, as a link or as the text file written where links are not allowed', async () => {
    const reports = tempDir()
    const run = small({ scenarios: ['load'] })
    mkdirSync(join(reports, run.id))
    writeFileSync(join(reports, run.id, 'run.json'), JSON.stringify(run))
    writeFileSync(join(reports, 'latest'), `${run.id}\n`)
    const { exitCode, stdout } = await runCli(['report', join(reports, 'latest'), '--format', 'md'])
    expect(exitCode).toBe(0)
    expect(stdout).toContain(`Report written to ${join(reports, run.id, 'report.md')}`)
  })

  it('with --gate, exits as the gate would: 1 for a failed budget, 3 for a crash', async () => {
    const over = await runCli(['report', writeRunDir(small({ scenarios: ['load'], extraPeakMiB: 200 })), '--gate', '--format', 'md'])
    expect(over.exitCode).toBe(1)
    expect(over.stdout).toMatch(/Rating CRITICAL: \d+ passed, [1-9]\d* failed/)
    const crash = await runCli(['report', writeRunDir(small({ scenarios: ['load'], repeats: 2, crash: { scenario: 'load', repeat: 1 } })), '--gate', '--format', 'md'])
    expect(crash.exitCode).toBe(3)
  })
})

describe('memgate compare', () => {
  it('writes the before-vs-after report next to the after run', async () => {
    const before = writeRunDir(small({ profile: 'default' }))
    const after = writeRunDir(small())
    const { exitCode, stdout } = await runCli(['compare', before, after, '--format', 'md,html'])
    expect(exitCode).toBe(0)
    const out = join(after, 'compare-20250301-120000-default')
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['report.md', 'report.html', 'chart-ab.png', 'chart-stages-ab.png', 'chart-timeline-load.png']))
    expect(leftovers(out)).toEqual([])
    expect(stdout).toContain('Report written to')
    const md = readFileSync(join(out, 'report.md'), 'utf8')
    expect(md).toContain('# Memory report: before and after')
    expect(md).toContain('| Peak RSS | `load` | 432 MiB | 331 MiB | -101 MiB | -23.4% ✅ |')
  })

  it('exits 2 without two runs or with a bad --profiles', async () => {
    const one = await runCli(['compare', writeRunDir(small())])
    expect(one.exitCode).toBe(2)
    expect(one.stderr).toContain('Give two run directories, BEFORE_DIR and AFTER_DIR')
    const same = await runCli(['compare', '--profiles', 'lean,lean'])
    expect(same.exitCode).toBe(2)
    expect(same.stderr).toContain("--profiles takes two different profiles, before then after, e.g. --profiles default,lean; received 'lean,lean'.")
    const dir = tempDir()
    mkdirSync(join(dir, 'a'))
    const missing = await runCli(['compare', join(dir, 'a'), join(dir, 'b')])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toMatch(/^memgate: INPUT_NOT_FOUND: BEFORE_DIR .*holds no run\.json/)
  })
})
