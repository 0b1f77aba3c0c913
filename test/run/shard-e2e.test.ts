/**
 * End to end through the real runner and CLI: `check --shard 1/2` and `check --shard 2/2`, then
 * `merge`, then `check --run MERGED` gives the verdicts of one unsharded `check` of the same
 * scenarios (issue 11's goal for sharding), a planted failure in the second shard included.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { ensureBuilt } from '../scenario/helpers.js'
import { tempDir } from '../fixtures/gate/runs.js'
import type { RunResult } from '../../src/run/index.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')
const SCENARIOS = ['shard-alpha', 'shard-beta', 'shard-gamma'].map((n) => join(FIXTURES, `${n}.mjs`))
const made: string[] = []

beforeAll(() => ensureBuilt())
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

interface CheckJson {
  runId: string
  exitCode: number
  scenarios: { scenario: string; verdicts: { rule: string; kind: string }[] }[]
}

/** Scenario, rule and verdict of every rule, in the report's order (figures differ run to run; verdicts must not). */
const verdicts = (report: CheckJson): string[] => report.scenarios.flatMap((s) => s.verdicts.map((v) => `${s.scenario} ${v.rule} ${v.kind}`))

describe('a sharded check', () => {
  it('over 2 shards + merge gives the verdicts of one unsharded check', async () => {
    const cwd = tempDir('memgate-shard-e2e-')
    made.push(cwd)
    // Deterministic verdicts whatever the machine does: no baseline (relative rules inconclusive),
    // generous ceilings (pass), and one ceiling no worker can keep, in the second shard (fail).
    const budgets = { peakRss: '2 GiB', fluctuation: '1 GiB', swap: false, drift: false, scenarios: { 'shard-gamma': { peakRss: '1 MB' } } }
    writeFileSync(join(cwd, 'memgate.config.json'), JSON.stringify({ run: { intervalMs: 20 }, check: { scenarios: SCENARIOS, repeat: 1, extraRepeats: 0, baselineDir: 'baselines' }, budgets }))
    const env = { ...process.env, GITHUB_ACTIONS: '' }

    const shard1 = await runCli(['check', '--shard', '1/2', '--out', 'shard-1', '--no-explain'], { cwd, env })
    expect(shard1.stderr).toMatch(/^memgate: running .*shard-alpha\.mjs × 1/)
    expect(shard1.exitCode).toBe(0)
    const shard2 = await runCli(['check', '--shard', '2/2', '--out', 'shard-2', '--no-explain'], { cwd, env })
    expect(shard2.exitCode).toBe(1)
    const partial = JSON.parse(readFileSync(join(cwd, 'shard-2', 'latest', 'run.json'), 'utf8')) as RunResult
    expect(partial.shard).toEqual({ index: 2, count: 2 })
    expect(partial.scenarios.map((s) => s.name)).toEqual(['shard-beta', 'shard-gamma'])

    const merged = await runCli(['merge', 'shard-1', 'shard-2', '--out', 'merged'], { cwd, env })
    expect(merged.stderr).toBe('')
    expect(merged.exitCode).toBe(0)
    expect(merged.stdout).toMatch(/^Merged shard 1\/2, shard 2\/2: 3 scenarios \(shard-alpha, shard-beta, shard-gamma\)/)

    const gated = await runCli(['check', '--run', 'merged', '--json', '--no-explain'], { cwd, env })
    const whole = await runCli(['check', '--out', 'whole', '--json', '--no-explain'], { cwd, env })
    const fromShards = JSON.parse(gated.stdout) as CheckJson
    const unsharded = JSON.parse(whole.stdout) as CheckJson
    expect(verdicts(fromShards)).toEqual(verdicts(unsharded))
    expect(verdicts(fromShards)).toContain('shard-gamma peak-rss fail')
    expect(verdicts(fromShards).filter((v) => v.endsWith(' pass')).length).toBeGreaterThan(3)
    expect(fromShards.scenarios.map((s) => s.scenario)).toEqual(['shard-alpha', 'shard-beta', 'shard-gamma'])
    expect(gated.exitCode).toBe(1)
    expect(whole.exitCode).toBe(1)
  })
})
