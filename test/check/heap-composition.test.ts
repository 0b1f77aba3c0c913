/** The heap part of a baseline's composition, from a real snapshot pass, and the diff against it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { heapCompositionOf, type BaselineLookup } from '../../src/baseline/baseline-file.js'
import { summarizeBaseline } from '../../src/baseline/baseline-file.js'
import { heapVsBaseline } from '../../src/baseline/explain-rss.js'
import { heapClassesAtEnd } from '../../src/check/heap-composition.js'
import { ensureBuilt, removeTempOuts, runFixture } from '../scenario/helpers.js'

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

describe('heap composition', () => {
  it('summarises the snapshot after the last work stage into a few KB, and diffs a run with 3× the planted records against it', async () => {
    const small = await runFixture(['leaky.mjs'], { params: [{ scenario: 'leaky', key: 'ops', value: '2' }] })
    const big = await runFixture(['leaky.mjs'], { params: [{ scenario: 'leaky', key: 'ops', value: '6' }] })
    const passOf = (o: typeof small) => o.run.scenarios[0]!.repeats.find((r) => r.pass === 'snapshot' && r.state === 'completed')!
    const a = await heapClassesAtEnd(passOf(small), small.dir)
    const b = await heapClassesAtEnd(passOf(big), big.dir)
    expect(a?.stage).toBe('cycle-2')
    expect(a?.classes.find((c) => c.className === 'LeakyRecord')?.count).toBe(6)
    const composition = heapCompositionOf(a!.snapshot, a!.classes)
    expect(JSON.stringify(composition).length).toBeLessThan(4096)
    const scenario = small.run.scenarios[0]!
    const baseline = summarizeBaseline(small.run, scenario, null)
    baseline.composition = { stage: 'cycle-2', heap: composition }
    const found: BaselineLookup = { state: 'found', file: 'b.json', baseline }
    const vs = heapVsBaseline(b, found)
    console.info(`vs baseline (top 25 stored): ${vs?.classes.map((c) => `${c.className} +${c.countDelta} (held ${c.heldDeltaBytes} B, self ${c.selfDeltaBytes} B)`).join(', ')}`)
    // LeakyRecord's objects are tiny, but they hold their 1 MiB buffers (off-heap backing stores):
    // by held size the top 25 list it, and the diff names it first with the 12 MiB it holds.
    expect(vs?.basis).toBe('held')
    expect(vs?.classes[0]).toMatchObject({ className: 'LeakyRecord', countDelta: 12 })
    expect(vs!.classes[0]!.heldDeltaBytes).toBeGreaterThanOrEqual(12 * 1048576)
  }, 120_000)
})
