/** `memgate check --run DIR` through the real CLI: exit codes, the verdict table, JUnit, JSON and GitHub outputs. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { summarizeBaseline } from '../../src/baseline/baseline-file.js'
import { checkReportSchema } from '../../src/baseline/render/json.js'
import { writeBaseline } from '../../src/baseline/store.js'
import type { ScenarioResult } from '../../src/run/schema.js'
import { runCli } from '../helpers/cli.js'
import { makeRun, makeScenario, peaks, tempDir, writeRunDir, type RepeatSpec } from '../fixtures/gate/runs.js'

// Retained RSS (a default regression rule) is left out: these tests are about peak RSS, and the fixture's
// repeats vary only their peaks.
// Throughput is set explicitly: the built-in budgets have no time rule since the gate's time figures proved too noisy here.
const CONFIG = { budgets: { peakRss: '500 MiB', regression: { peakRss: '+5%', retainedRss: false, throughput: '-10%' } } }

/** A project directory with a config and a baseline of `load` at 400 MiB (5 repeats). */
async function project(config: unknown = CONFIG): Promise<string> {
  const cwd = tempDir('memgate-check-')
  writeFileSync(join(cwd, 'memgate.config.json'), JSON.stringify(config))
  const base = makeScenario('load', peaks(400, 402, 398, 401, 399))
  await writeBaseline(join(cwd, 'baselines'), summarizeBaseline(makeRun([base]), base, null))
  return cwd
}

function runOf(specs: RepeatSpec[], extra: ScenarioResult[] = []): string {
  return writeRunDir(makeRun([makeScenario('load', specs), ...extra]))
}

describe('memgate check --run', () => {
  it('exits 0 and prints the verdict table when every budget holds', async () => {
    const cwd = await project()
    const dir = runOf(peaks(401, 403, 400))
    const { exitCode, stdout, stderr } = await runCli(['check', '--run', dir], { cwd, env: {} })
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    expect(stdout).toBe(
      [
        `memgate check: run 20250101-000000-test (${join(dir, 'run.json')}), baselines in ${join(cwd, 'baselines')}`,
        '',
        'scenario  rule                   verdict     value     limit',
        '--------  ---------------------  -------  --------  --------',
        'load      completed              pass          3/3',
        'load      peak-rss               pass      401 MiB   500 MiB',
        'load      peak-rss-regression    pass        +0.2%     +5.0%',
        'load      fluctuation            pass     10.0 MiB  47.7 MiB',
        'load      swap                   pass          0 B  9.54 MiB',
        'load      drift                  pass        0.00%     2.00%',
        'load      throughput-regression  pass         0.0%    -10.0%',
        '',
        '0 failed, 0 inconclusive, 7 passed; exit 0',
        '',
      ].join('\n'),
    )
  })

  it('exits 1 and states the figure, the limit and the margin of a failed budget', async () => {
    const cwd = await project()
    const { exitCode, stdout } = await runCli(['check', '--run', runOf(peaks(530, 538, 545)), '--no-explain'], { cwd, env: {} })
    expect(exitCode).toBe(1)
    expect(stdout).toContain('load      peak-rss               FAIL      538 MiB   500 MiB\n')
    expect(stdout).toContain('\nFAIL load peak-rss: peak-rss exceeded budget by 38.0 MiB (+7.6%): 538 MiB against a limit of 500 MiB, median of 3 repeats\n')
    expect(stdout).toMatch(/\nFAIL load peak-rss-regression: peak-rss grew \+34\.5% against the baseline \(400 MiB → 538 MiB; 95% interval .*\): more than the \+5\.0% allowed\n/)
    expect(stdout.endsWith('more than the +5.0% allowed\n\n2 failed, 0 inconclusive, 5 passed; exit 1\n')).toBe(true)
  })

  it('explains a memory failure: the native/JS split, and why there is no snapshot diff', async () => {
    const cwd = await project()
    const { exitCode, stdout } = await runCli(['check', '--run', runOf(peaks(530, 538, 545))], { cwd, env: {} })
    expect(exitCode).toBe(1)
    expect(stdout).toContain(
      '\n  what grew: native memory, not the JS heap: RSS +260 MiB, JS heap + ArrayBuffers +10.0 MiB (4% of it), from the first stage to the last\n  no heap snapshot diff: the scenario module /nonexistent/load.js no longer exists, so it cannot be re-run in snapshot mode\n',
    )
    // The second failure of the scenario shares the snapshot part; it is not printed twice.
    expect(stdout).toContain('\n  what grew: native memory, not the JS heap: RSS +138 MiB, JS heap + ArrayBuffers 0 B (0% of it), against the baseline\n  classes that grew: as above\n')
  })

  it('exits 3 when a repeat crashed, still judging the repeats that completed', async () => {
    const cwd = await project()
    const { exitCode, stdout } = await runCli(['check', '--run', runOf([{}, { state: 'failed' }, {}]), '--no-explain'], { cwd, env: {} })
    expect(exitCode).toBe(3)
    expect(stdout).toContain("\nFAIL load completed: 1 of 3 repeats did not complete; #2 failed (signal in stage 'work': The worker was killed by SIGSEGV)\n")
    expect(stdout).toContain('load      completed              FAIL               2/3\n')
    expect(stdout).toContain('load      peak-rss               pass           400 MiB   500 MiB\n')
    expect(stdout).toContain('\ninconclusive load peak-rss-regression: too few repeats to compare (run 2 (400 MiB), baseline 5; at least 3 each)\n')
  })

  it('exits 2 for a config error, naming the file and the key', async () => {
    const cwd = await project({ budgets: { peakRSS: '500 MB' } })
    const bad = await runCli(['check', '--run', runOf(peaks(400, 400, 400))], { cwd, env: {} })
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toBe(`memgate: CONFIG_INVALID: ${join(cwd, 'memgate.config.json')}: budgets.peakRSS: unknown key; did you mean 'peakRss'? Fix the config file (unknown keys are rejected).\n`)
    const unit = await runCli(['check', '--run', runOf(peaks(400, 400, 400))], { cwd: await project({ budgets: { scenarios: { load: { drift: '2 percent' } } } }), env: {} })
    expect(unit.exitCode).toBe(2)
    expect(unit.stderr).toMatch(/: budgets\.scenarios\.load\.drift: expected a ratio like '2%' or 0\.02 \(or false to switch the budget off\) but received "2 percent"\. Fix/)
    const missing = await runCli(['check', '--run', join(cwd, 'nope')], { cwd: await project(), env: {} })
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toMatch(/^memgate: INPUT_NOT_FOUND: --run .*nope does not exist; give a run directory written by `memgate run`, such as reports\/latest\.\n$/)
  })

  it('checks only the named scenarios of a finished run', async () => {
    const cwd = await project()
    const dir = runOf(peaks(401, 403, 400), [makeScenario('stability', peaks(900, 900, 900))])
    const all = await runCli(['check', '--run', dir, '--no-explain'], { cwd, env: {} })
    expect(all.exitCode).toBe(1)
    const one = await runCli(['check', 'load', '--run', dir], { cwd, env: {} })
    expect(one.exitCode).toBe(0)
    expect(one.stdout).not.toContain('stability')
    const unknown = await runCli(['check', 'nope', '--run', dir], { cwd, env: {} })
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toBe("memgate: Run 20250101-000000-test has no scenario 'nope'; it has load, stability.\nRun 'memgate --help' for usage.\n")
  })

  it('makes inconclusive verdicts fail CI only when asked', async () => {
    const cwd = await project()
    const noisy = runOf(peaks(380, 440, 400, 460, 420))
    const warn = await runCli(['check', '--run', noisy], { cwd, env: {} })
    expect(warn.exitCode).toBe(0)
    expect(warn.stdout).toContain("0 failed, 1 inconclusive (not failing: onInconclusive is 'warn'), 6 passed; exit 0")
    const fail = await runCli(['check', '--run', noisy, '--on-inconclusive', 'fail'], { cwd, env: {} })
    expect(fail.exitCode).toBe(1)
  })

  it('writes JUnit XML with one test case per rule', async () => {
    const cwd = await project()
    const { exitCode } = await runCli(['check', '--run', runOf(peaks(530, 538, 545)), '--no-explain', '--junit', 'out/junit.xml'], { cwd, env: {} })
    expect(exitCode).toBe(1)
    const xml = readFileSync(join(cwd, 'out', 'junit.xml'), 'utf8')
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="memgate check" tests="7" failures="2" errors="0" skipped="0">\n  <testsuite name="load" tests="7" failures="2" errors="0" skipped="0" time="0">\n')).toBe(true)
    expect(xml.match(/<testcase /g)).toHaveLength(7)
    expect(xml).toContain('<testcase classname="memgate.load" name="peak-rss" time="0">\n      <failure type="budget" message="peak-rss exceeded budget by 38.0 MiB (+7.6%): 538 MiB against a limit of 500 MiB, median of 3 repeats">')
    expect(xml).toContain('<testcase classname="memgate.load" name="swap" time="0">\n      <system-out>swap 0 B is within budget')
    expect(xml.endsWith('  </testsuite>\n</testsuites>\n')).toBe(true)
  })

  it('annotates and summarises for GitHub Actions', async () => {
    const cwd = await project()
    const summary = join(cwd, 'summary.md')
    writeFileSync(summary, '# earlier step\n')
    const { exitCode, stdout } = await runCli(['check', '--run', runOf(peaks(530, 538, 545)), '--no-explain'], { cwd, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } })
    expect(exitCode).toBe(1)
    // `%` is escaped in workflow command data; `:` only in properties such as the title.
    expect(stdout).toContain('\n::error title=memgate load peak-rss::peak-rss exceeded budget by 38.0 MiB (+7.6%25): 538 MiB against a limit of 500 MiB, median of 3 repeats\n')
    expect(stdout).toMatch(/\n::error title=memgate load peak-rss-regression::peak-rss grew \+34\.5%/)
    const md = readFileSync(summary, 'utf8')
    expect(md.startsWith('# earlier step\n## memgate check: run 20250101-000000-test\n\n2 failed, 0 inconclusive, 5 passed; exit 1\n\n| scenario | rule | verdict | value | limit |\n| --- | --- | --- | ---: | ---: |\n')).toBe(true)
    expect(md).toContain('| load | peak-rss | ❌ fail | 538 MiB | 500 MiB |\n')
    expect(md).toContain('- **load peak-rss** (fail): peak-rss exceeded budget by 38.0 MiB (+7.6%)')
  })

  it('prints versioned JSON verdicts with --json', async () => {
    const cwd = await project()
    const dir = runOf(peaks(530, 538, 545))
    const { exitCode, stdout } = await runCli(['check', '--run', dir, '--json', '--no-explain'], { cwd, env: {} })
    expect(exitCode).toBe(1)
    const report = checkReportSchema.parse(JSON.parse(stdout))
    expect(report).toMatchObject({ schemaVersion: 1, kind: 'memgate.check', runId: '20250101-000000-test', runDir: dir, exitCode: 1, onInconclusive: 'warn', counts: { pass: 5, fail: 2, inconclusive: 0 } })
    expect(report.scenarios[0]?.baseline).toEqual({ state: 'found', file: join(cwd, 'baselines', 'load.linux-x64.node20.json') })
    const peak = report.scenarios[0]?.verdicts.find((v) => v.rule === 'peak-rss')
    expect(peak).toMatchObject({ kind: 'fail', metric: 'peakRss', unit: 'bytes', value: 538 * 1048576, limit: 500 * 1048576, over: 38 * 1048576 })
  })
})
