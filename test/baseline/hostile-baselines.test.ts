/** Issue 17: baseline files that must be refused, not judged: negative values, another scenario's file. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { summarizeBaseline } from '../../src/baseline/baseline-file.js'
import { readBaselineFile, writeBaseline } from '../../src/baseline/store.js'
import { InputError } from '../../src/common/errors.js'
import { runCli } from '../helpers/cli.js'
import { makeRun, makeScenario, peaks, tempDir, writeRunDir } from '../fixtures/gate/runs.js'

const CONFIG = { budgets: { peakRss: '500 MiB', regression: { peakRss: '+5%', retainedRss: false } } }

/** A project with a config and a valid baseline of `scenario`; returns its directory and the baseline file. */
async function project(scenario = 'load'): Promise<{ cwd: string; file: string }> {
  const cwd = tempDir('memgate-hostile-baseline-')
  writeFileSync(join(cwd, 'memgate.config.json'), JSON.stringify(CONFIG))
  const base = makeScenario(scenario, peaks(400, 402, 398, 401, 399))
  const file = await writeBaseline(join(cwd, 'baselines'), summarizeBaseline(makeRun([base]), base, null))
  return { cwd, file }
}

const edit = (file: string, change: (b: Record<string, any>) => void): void => {
  const b = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>
  change(b)
  writeFileSync(file, JSON.stringify(b))
}

describe('baselines that are refused', () => {
  it('negative peak RSS values: BASELINE_INVALID (exit 2), not an inconclusive verdict', async () => {
    const { cwd, file } = await project()
    edit(file, (b) => {
      b.metrics.peakRss.values = [-400, -402, -398]
      b.metrics.peakRss.median = -400
    })
    const error = await readBaselineFile(file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).code).toBe('BASELINE_INVALID')
    expect((error as Error).message).toContain('is not valid at metrics.peakRss.values.0: -400 is negative, which no measurement of peakRss can be')
    const r = await runCli(['check', '--run', writeRunDir(makeRun([makeScenario('load', peaks(401, 403, 400))]))], { cwd, env: {} })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^memgate: BASELINE_INVALID: Baseline .*load\.linux-x64\.node20\.json is not valid at metrics\.peakRss\.values\.0/)
  })

  it('a negative drift is a measurement (memory can shrink) and is kept', async () => {
    const { file } = await project()
    edit(file, (b) => {
      b.metrics.drift = { unit: 'ratio', values: [-0.01, -0.02], median: -0.015, mad: 0.005 }
    })
    expect((await readBaselineFile(file))?.metrics.drift?.median).toBe(-0.015)
  })

  it("a file whose scenario field names another scenario is refused, naming both", async () => {
    const { cwd, file } = await project('startup')
    // The user copies startup's baseline over load's.
    const loadFile = join(cwd, 'baselines', 'load.linux-x64.node20.json')
    renameSync(file, loadFile)
    const r = await runCli(['check', '--run', writeRunDir(makeRun([makeScenario('load', peaks(401, 403, 400))]))], { cwd, env: {} })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toBe(
      `memgate: BASELINE_INVALID: Baseline ${loadFile} is the baseline of scenario 'startup', but its file name says load.linux-x64.node20.json; its content belongs in startup.linux-x64.node20.json. Restore the file from git or rewrite it with \`memgate baseline update\`.\n`,
    )
  })

  it('a file of another platform or Node major under this one’s name is refused too', async () => {
    const { file } = await project()
    edit(file, (b) => {
      b.nodeMajor = 18
    })
    await expect(readBaselineFile(file)).rejects.toThrow(/was measured on linux-x64 with Node 18, but its file name says load\.linux-x64\.node20\.json/)
  })
})
