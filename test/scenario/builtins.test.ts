/**
 * The built-in scenarios: every one loads and declares what gates and reports rely on; `load`
 * runs for real on two generated pages (the one OCR run in this suite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SUITE } from '../../src/config/index.js'
import { builtinScenarioNames, loadScenarios, stagesOf } from '../../src/scenario/harness.js'
import { ensureBuilt, readRunJson, runFixture, removeTempOuts } from './helpers.js'

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

describe('built-in scenarios', () => {
  it('include the default suite and the generic SQLite scenario, and no helper module', async () => {
    const names = await builtinScenarioNames()
    expect(names).toEqual(['leak-check', 'load', 'precision', 'service-data', 'service-load', 'service-soak', 'service-stress', 'sqlite-store', 'stability', 'startup', 'stress'])
    for (const name of DEFAULT_SUITE) expect(names).toContain(name)
  })

  it('declare the stages gates read', async () => {
    const loaded = new Map((await loadScenarios(await builtinScenarioNames())).map((l) => [l.scenario.name, l.scenario]))
    const stages = (name: string, params: Record<string, unknown> = {}) => {
      const s = loaded.get(name)!
      const defaults = Object.fromEntries(Object.entries(s.params ?? {}).map(([k, v]) => [k, v.default]))
      return stagesOf(s, { ...defaults, ...params } as never).map((st) => `${st.name}:${st.kind}`)
    }
    // The memory distribution: one startup layer per stage.
    expect(stages('startup')).toEqual(['base:startup', 'runtime:startup', 'models:startup', 'first-page:work'])
    // Drift needs one cycle stage per cycle.
    expect(stages('stability', { cycles: 3 })).toEqual(['cycle-1:cycle', 'cycle-2:cycle', 'cycle-3:cycle'])
    expect(stages('leak-check')).toEqual(['warmup:cycle', 'cycle-1:cycle', 'cycle-2:cycle'])
    expect(loaded.get('leak-check')).toMatchObject({ snapshots: 'stages', leakCheck: { baseline: { stage: 'warmup' }, target: { stage: 'cycle-1' }, final: { stage: 'cycle-2' } } })
    expect(stages('stress')).toEqual(['concurrent:work', 'large:work', 'many-lines:work', 'bursts:work', 'cooldown:idle'])
    expect(stages('precision')).toEqual(['recognize:work'])
    expect(stages('load')).toEqual(['recognize:work'])
    // Corpora are made in the runner's process, never in the measured worker.
    for (const name of ['startup', 'load', 'stress', 'stability', 'precision', 'leak-check']) expect(typeof loaded.get(name)?.prepare).toBe('function')
  })

  it('runs load on two generated pages and records the engine settings', async () => {
    const outcome = await runFixture(['load'], { variant: 'lean', params: [{ scenario: 'load', key: 'pages', value: '2' }], intervalMs: 50, timeoutMs: 300_000 })
    const repeat = readRunJson(outcome.file).scenarios[0]!.repeats[0]!
    expect(repeat.state).toBe('completed')
    expect(repeat.loader).toBe('node')
    expect(repeat.settings.engine).toMatchObject({ profile: 'lean', sharpConcurrency: 1, onnxruntimeVersion: expect.stringMatching(/^\d+\./) })
    const recognize = repeat.stages.find((s) => s.name === 'recognize')!
    expect(recognize.ops).toMatchObject({ count: 2, errors: 0, errorMessages: [] })
    expect(recognize.metrics.pagesOk).toBe(2)
    expect(recognize.metrics.meanConfidence).toBeGreaterThan(0.5)
    expect(recognize.metrics.linesPerPage).toBeGreaterThan(5)
    // Models live in setup: the setup stage's RSS growth is far above a bare worker's.
    const setup = repeat.stages.find((s) => s.name === 'setup')!
    expect(setup.after!.rssBytes! - setup.before!.rssBytes!).toBeGreaterThan(20 * 1048576)
  })
})
