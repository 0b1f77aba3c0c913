/**
 * The snapshot pass: figures come from measuring processes that take no snapshot; snapshots and
 * the leak check come from one separate process, and the run says which pass produced what.
 */
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, readRunJson, runFixture, removeTempOuts } from './helpers.js'

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

describe('snapshot pass', () => {
  it('takes snapshots only in a separate pass and finds the planted leak', async () => {
    const outcome = await runFixture(['leaky.mjs'], { params: [{ scenario: null, key: 'ops', value: '4' }] })
    expect(outcome.failedRepeats).toBe(0)
    const scenario = readRunJson(outcome.file).scenarios[0]!
    expect(scenario.repeats.map((r) => r.pass)).toEqual(['measure', 'snapshot'])
    const [measure, snapshot] = scenario.repeats
    // The measuring pass has no snapshot anywhere.
    expect(measure!.stages.every((s) => s.snapshots.before === undefined && s.snapshots.after === undefined)).toBe(true)
    // Only the measuring pass times the host's speed reference (its CPU figures are the ones judged).
    expect(measure!.speedReference?.cpuMs.length).toBeGreaterThan(0)
    expect(snapshot!.speedReference).toBeUndefined()
    // The snapshot pass has a snapshot before and after every stage, as files in the run
    // directory; a stage's before is the previous stage's after (only the harness ran between).
    const files = snapshot!.stages.map((s) => [s.snapshots.before?.file, s.snapshots.after?.file])
    expect(files).toEqual([
      ['snapshots/leaky/warmup-before.heapsnapshot', 'snapshots/leaky/warmup-after.heapsnapshot'],
      ['snapshots/leaky/warmup-after.heapsnapshot', 'snapshots/leaky/cycle-1-after.heapsnapshot'],
      ['snapshots/leaky/cycle-1-after.heapsnapshot', 'snapshots/leaky/cycle-2-after.heapsnapshot'],
    ])
    for (const stage of snapshot!.stages) expect(statSync(join(outcome.dir, stage.snapshots.after!.file)).size).toBe(stage.snapshots.after!.sizeBytes)
    // Each cycle retains 4 × 1 MiB: the leak check names the class and what holds it.
    const leak = scenario.analysis?.leakCheck
    expect(leak?.files).toEqual(['snapshots/leaky/warmup-after.heapsnapshot', 'snapshots/leaky/cycle-1-after.heapsnapshot', 'snapshots/leaky/cycle-2-after.heapsnapshot'])
    const record = leak?.classes.find((c) => c.name === 'LeakyRecord')
    expect(record?.count).toBe(4)
    expect(record?.retainers[0]?.path).toMatch(/retained/)
    expect(existsSync(join(outcome.dir, 'run.json'))).toBe(true)
  })

  it('skips the snapshot pass with --snapshots none even when the scenario asks for one', async () => {
    const outcome = await runFixture(['leaky.mjs'], { snapshots: 'none', params: [{ scenario: null, key: 'ops', value: '1' }] })
    const scenario = outcome.run.scenarios[0]!
    expect(scenario.repeats.map((r) => r.pass)).toEqual(['measure'])
    expect(scenario.analysis).toBeNull()
  })
})
