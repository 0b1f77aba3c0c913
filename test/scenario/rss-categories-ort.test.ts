/**
 * Real native growth, attributed: ONNX Runtime's CPU arena on vs off (bench/gate/ocr-arena.ts, the
 * lean profile, a few pages). The arena keeps freed tensor blocks, so with it on the RSS at the end
 * of the last cycle is higher, and the categories must put the arena's growth in malloc memory (ONNX
 * Runtime allocates through glibc malloc), and the V8 heap category must follow V8's own heapTotal.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeCategoryDeltas, diffCategoryRows, medianRssCategories } from '../../src/run/composition.js'
import type { ScenarioResult } from '../../src/run/schema.js'
import { ensureBuilt, removeTempOuts, ROOT, runFixture } from './helpers.js'

const MiB = 1024 * 1024
const SCENARIO = join(ROOT, 'bench', 'gate', 'ocr-arena.ts')
const haveModels = existsSync(join(ROOT, 'models', 'manifest.json'))

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

function endOfLastCycle(s: ScenarioResult | undefined) {
  const records = (s?.repeats ?? []).filter((r) => r.pass === 'measure' && r.state === 'completed').map((r) => r.stages.find((x) => x.name === 'cycle-2')?.rssCategories?.after).filter((a): a is NonNullable<typeof a> => a != null)
  return medianRssCategories(records)
}

describe.runIf(process.platform === 'linux' && haveModels && process.env.MEMGATE_SKIP_ENGINE !== '1')('RSS categories with ONNX Runtime’s CPU arena on vs off', () => {
  it('attributes the arena’s growth to malloc; the V8 heap category follows heapTotal', async () => {
    const common = { repeat: 1, variant: 'lean', params: [{ scenario: 'gate-ocr', key: 'pages', value: '3' }, { scenario: 'gate-ocr', key: 'widthPx', value: '1240' }], timeoutMs: 240_000 }
    const t0 = performance.now()
    const off = await runFixture([SCENARIO], common)
    const t1 = performance.now()
    const on = await runFixture([SCENARIO], { ...common, env: { GATE_ORT_ARENA: '1' } })
    console.info(`wall time of the runs (contention shows here): arena off ${((t1 - t0) / 1000).toFixed(1)} s, on ${((performance.now() - t1) / 1000).toFixed(1)} s`)
    // Failed repeats by their failure message, so a failure says why.
    const failures = (o: typeof off) => (o.run.scenarios[0]?.repeats ?? []).filter((r) => r.state !== 'completed').map((r) => `${r.pass} #${r.index} ${r.state}: ${r.failure?.message} (after ${((r.endedAtMs - r.startedAtMs) / 1000).toFixed(0)} s; stderr: ${r.failure?.stderrTail.slice(-300) ?? ''})`)
    expect([...failures(off), ...failures(on)]).toEqual([])
    const deltas = diffCategoryRows(endOfLastCycle(off.run.scenarios[0]), endOfLastCycle(on.run.scenarios[0]))
    const line = describeCategoryDeltas(deltas)
    console.info(`arena on vs off, end of cycle-2: ${line}`)
    const malloc = deltas.filter((d) => d.kind === 'malloc').reduce((n, d) => n + d.deltaBytes, 0)
    // The arena's kept blocks: large malloc blocks (measured +23…28 MiB on 3 pages up to 1240 px).
    expect(malloc).toBeGreaterThan(12 * MiB)
    expect(deltas.find((d) => d.kind !== 'v8-heap')?.kind).toBe('malloc')
    // V8's committed heap differs between the two runs too (GC sizing: heapTotal 51 vs 21 MiB
    // measured); the V8 category follows heapTotal, not the arena, in both runs.
    for (const o of [off, on]) {
      const st = o.run.scenarios[0]?.repeats[0]?.stages.find((x) => x.name === 'cycle-2')
      const v8 = st?.rssCategories?.after?.categories.find((c) => c.kind === 'v8-heap')?.rssBytes ?? 0
      expect(Math.abs(v8 - (st?.after?.heapTotalBytes ?? 0))).toBeLessThan(24 * MiB)
    }
  }, 600_000)
})
