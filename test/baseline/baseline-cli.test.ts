/** `memgate baseline update --run DIR` through the real CLI: what it writes, prints and refuses. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { baselineFileSchema } from '../../src/baseline/baseline-file.js'
import { runCli } from '../helpers/cli.js'
import { makeRun, makeScenario, peaks, tempDir, writeRunDir, type RepeatSpec } from '../fixtures/gate/runs.js'

function project(): string {
  const cwd = tempDir('memgate-baseline-')
  writeFileSync(join(cwd, 'memgate.config.json'), JSON.stringify({ budgets: { peakRss: '500 MiB' } }))
  return cwd
}

const runOf = (specs: RepeatSpec[], id?: string) => writeRunDir(makeRun([makeScenario('load', specs), makeScenario('stability', specs)], id))
const FILE = join('baselines', 'load.linux-x64.node20.json')

describe('memgate baseline update', () => {
  it('writes one baseline per scenario and prints old → new per metric', async () => {
    const cwd = project()
    const first = await runCli(['baseline', 'update', '--run', runOf(peaks(400, 402, 404), 'run-a')], { cwd, env: {} })
    expect(first.stderr).toBe('')
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toContain(`Created ${FILE}: load, 3 repeats of run run-a\nmetric         old       new  change\n-------------  ---  --------  ------\npeak-rss         —   402 MiB     new\n`)
    expect(first.stdout).toContain('\nthroughput       —    10.0/s     new\np95-latency      —    150 ms     new\n')
    expect(readdirSync(join(cwd, 'baselines')).sort()).toEqual(['load.linux-x64.node20.json', 'stability.linux-x64.node20.json'])
    const written = baselineFileSchema.parse(JSON.parse(readFileSync(join(cwd, FILE), 'utf8')))
    expect(written).toMatchObject({ scenario: 'load', runId: 'run-a', repeats: 3, gitCommit: null })

    const second = await runCli(['baseline', 'update', 'load', '--run', runOf(peaks(420, 422, 424), 'run-b')], { cwd, env: {} })
    expect(second.exitCode).toBe(0)
    expect(second.stdout).toContain(`Updated ${FILE}: load, 3 repeats of run run-b\n`)
    expect(second.stdout).toContain('\npeak-rss        402 MiB   422 MiB   +5.0%\nretained-rss    300 MiB   300 MiB    0.0%\nfluctuation    10.0 MiB  10.0 MiB    0.0%\n')
    // Only the named scenario was rewritten.
    expect(second.stdout).not.toContain('stability')
    expect(JSON.parse(readFileSync(join(cwd, 'baselines', 'stability.linux-x64.node20.json'), 'utf8')).runId).toBe('run-a')
    expect(readdirSync(join(cwd, 'baselines')).filter((f) => f.includes('.tmp-'))).toEqual([])
  })

  it('refuses a run with a crashed repeat (exit 3) and writes nothing', async () => {
    const cwd = project()
    const { exitCode, stderr } = await runCli(['baseline', 'update', '--run', runOf([{}, { state: 'failed' }, {}, {}])], { cwd, env: {} })
    expect(exitCode).toBe(3)
    expect(stderr).toBe("memgate: TARGET_CRASHED: Refusing to write a baseline for 'load': 1 of 4 repeats did not complete; #2 failed (signal in stage 'work': The worker was killed by SIGSEGV). Fix the crash and run again.\n")
    expect(readdirSync(cwd)).toEqual(['memgate.config.json'])
  })

  it('refuses a run that breaks an absolute budget (exit 1) or has too few repeats (exit 2)', async () => {
    const cwd = project()
    const over = await runCli(['baseline', 'update', '--run', runOf(peaks(530, 538, 545))], { cwd, env: {} })
    expect(over.exitCode).toBe(1)
    expect(over.stderr).toBe("memgate: BUDGET_EXCEEDED: Refusing to write a baseline for 'load' from a run that breaks its budgets: peak-rss exceeded budget by 38.0 MiB (+7.6%): 538 MiB against a limit of 500 MiB, median of 3 repeats\n")
    const few = await runCli(['baseline', 'update', '--run', runOf(peaks(400, 401))], { cwd, env: {} })
    expect(few.exitCode).toBe(2)
    expect(few.stderr).toContain("Refusing to write a baseline for 'load' from 2 repeats: relative budgets need at least 3 (check.minRepeats); run with --repeat 3 or more.")
    const unknown = await runCli(['baseline', 'update', 'nope', '--run', runOf(peaks(400, 401, 402))], { cwd, env: {} })
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toContain("has no scenario 'nope'; it has load, stability.")
    expect(readdirSync(cwd)).toEqual(['memgate.config.json'])
  })

  it('asks for a subcommand', async () => {
    const { exitCode, stderr } = await runCli(['baseline'], { cwd: project(), env: {} })
    expect(exitCode).toBe(2)
    expect(stderr).toBe("memgate: Name a baseline command: update.\nRun 'memgate --help' for usage.\n")
  })
})
