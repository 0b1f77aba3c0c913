/**
 * Dogfood: `memgate diff` of a snapshot pair stays under a peak-RSS budget, measured by
 * memgate/vitest's per-test VmHWM (reset before the test). The pair is written by a child Node
 * process (a plain heap, then 20,000 planted objects), so the figures are of the diff alone.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { diffSnapshotFiles } from '../../../src/snapshot/index.js'
import { memoryLimits, useMemgate } from '../../../src/vitest/index.js'

useMemgate()

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memgate-dogfood-diff-'))
  const script = `
    const { writeHeapSnapshot } = require('node:v8')
    class Planted { constructor(i) { this.i = i; this.label = 'planted-' + i } }
    writeHeapSnapshot(process.argv[1] + '/before.heapsnapshot')
    globalThis.plantedCache = new Map()
    for (let i = 0; i < 20000; i++) globalThis.plantedCache.set(i, new Planted(i))
    writeHeapSnapshot(process.argv[1] + '/after.heapsnapshot')`
  execFileSync(process.execPath, ['-e', script, dir])
}, 60_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

test('diffing the snapshot pair peaks under 600 MB of worker RSS', memoryLimits({ peakRss: '600 MB' }), async () => {
  const diff = await diffSnapshotFiles(join(dir, 'before.heapsnapshot'), join(dir, 'after.heapsnapshot'), { top: 5, retainers: 1 })
  const planted = diff.classes.find((c) => c.className === 'Planted')
  expect(planted?.addedCount).toBe(20000)
  expect(planted?.retainers?.clusters[0]?.path.text).toMatch(/plantedCache/)
})
