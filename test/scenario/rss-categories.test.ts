/**
 * Where RSS lives, recorded per stage: the parent reads the worker's smaps at every stage
 * boundary of the measuring pass (never the snapshot pass) and records compact categories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { diffCategoryRows, describeCategoryDeltas } from '../../src/run/composition.js'
import { ensureBuilt, readRunJson, removeTempOuts, runFixture } from './helpers.js'

const MiB = 1024 * 1024

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

describe.runIf(process.platform === 'linux')('RSS categories per stage', () => {
  it('attributes kept Buffer.allocUnsafeSlow blocks to ArrayBuffers/external, not the V8 heap', async () => {
    const outcome = await runFixture(['native-blocks.mjs'], { params: [{ scenario: 'native-blocks', key: 'blocks', value: '8' }, { scenario: 'native-blocks', key: 'mib', value: '4' }] })
    expect(outcome.failedRepeats).toBe(0)
    // What the gate reads: run.json back through the schema.
    const run = readRunJson(outcome.file)
    const repeat = run.scenarios[0]?.repeats[0]
    // 'keep' is the fixture's last stage: the worker sends 'done' and exits right after it, so its
    // "after" read is there only because the worker waits for the parent's acknowledgement.
    expect(repeat?.stages.at(-1)?.name).toBe('keep')
    const keep = repeat?.stages.find((s) => s.name === 'keep')
    const before = keep?.rssCategories?.before
    const after = keep?.rssCategories?.after
    expect(before).toBeTruthy()
    expect(after).toBeTruthy()
    if (!repeat || !keep?.after || !before || !after) return
    // The read came after the stage's own end sample and finished while the worker still lived (+1: whole-ms clocks).
    expect(after.atMs).toBeGreaterThanOrEqual(keep.after.atMs)
    expect(after.atMs + after.readMs).toBeLessThanOrEqual(repeat.endedAtMs + 1)
    // The categories sum to the RSS they split (rows under 4 KiB are left out).
    const sum = after.categories.reduce((n, c) => n + c.rssBytes, 0)
    expect(Math.abs(sum - after.rssBytes) / after.rssBytes).toBeLessThan(0.02)
    const deltas = diffCategoryRows(before.categories, after.categories)
    const top = deltas[0]
    expect(top?.kind).toBe('array-buffers')
    expect(top?.deltaBytes).toBeGreaterThan(28 * MiB)
    expect(Math.abs(deltas.find((d) => d.kind === 'v8-heap')?.deltaBytes ?? 0)).toBeLessThan(8 * MiB)
    const line = describeCategoryDeltas(deltas)
    expect(line).toMatch(/^ArrayBuffers\/external \+3\d\.\d MiB/)
    expect(line).toMatch(/V8 heap/)
    console.info(`keep 8 × 4 MiB: ${line}; read ${after.readMs} ms at ${(after.rssBytes / MiB).toFixed(1)} MiB RSS`)
  }, 60_000)

  it('reads nothing in the snapshot pass', async () => {
    const outcome = await runFixture(['native-blocks.mjs'], { snapshots: 'stages', params: [{ scenario: 'native-blocks', key: 'blocks', value: '1' }] })
    const repeats = outcome.run.scenarios[0]?.repeats ?? []
    expect(repeats.find((r) => r.pass === 'measure')?.stages.every((s) => s.rssCategories !== undefined)).toBe(true)
    expect(repeats.find((r) => r.pass === 'snapshot')?.stages.some((s) => s.rssCategories !== undefined)).toBe(false)
  }, 60_000)
})
