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
    expect(vs?.classes.length).toBeGreaterThan(0)
    console.info(`vs baseline (top 25 stored): ${vs?.classes.map((c) => `${c.className} +${c.countDelta} (${c.selfDeltaBytes} B)`).join(', ')}`)
    // LeakyRecord's objects are tiny (their 1 MiB buffers are off-heap): only a baseline that lists
    // it one by one (not in the top 25 by self size) lets the diff name it.
    baseline.composition = { stage: 'cycle-2', heap: heapCompositionOf(a!.snapshot, a!.classes, 10_000) }
    const leaky = heapVsBaseline(b, found, 50)?.classes.find((c) => c.className === 'LeakyRecord')
    expect(leaky?.countDelta).toBe(12)
  }, 120_000)
})
