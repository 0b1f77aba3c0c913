/**
 * Against a baseline's heap composition, the class that holds the growth is named first, not the
 * type of its bytes: real snapshots of a child process planting bench:gate's three shapes
 * (test/check/fixtures/holders.mjs), parsed as the gate parses them.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { heapCompositionOf, type BaselineFile, type BaselineLookup } from '../../src/baseline/baseline-file.js'
import { heapVsBaseline } from '../../src/baseline/explain-rss.js'
import { heapClassRowsOf } from '../../src/check/heap-composition.js'
import type { HeapClassRow } from '../../src/run/composition.js'

const run = promisify(execFile)
const MiB = 1024 * 1024
const fixture = join(import.meta.dirname, 'fixtures', 'holders.mjs')

/** Chunks (64 KiB each), cached responses, leaked 1 KiB log lines. */
const shapes = {
  base: [32, 500, 0],
  retain: [160, 500, 0],
  cache: [32, 10_000, 0],
  leak: [32, 500, 8000],
} as const

let dir = ''
const rows: Record<string, HeapClassRow[]> = {}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memgate-held-'))
  await Promise.all(
    Object.entries(shapes).map(async ([name, counts]) => {
      const file = join(dir, `${name}.heapsnapshot`)
      await run(process.execPath, [fixture, file, ...counts.map(String)])
      rows[name] = await heapClassRowsOf(file)
    }),
  )
}, 120_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

const baselineWith = (heap: NonNullable<BaselineFile['composition']>['heap']): BaselineLookup =>
  ({ state: 'found', file: 'b.json', baseline: { composition: { stage: 'cycle-3', heap } } as BaselineFile })

describe('heap composition vs baseline, by held size', () => {
  const planted = [
    ['retain', 'ReferenceChunk', 128 * 64 * 1024],
    ['cache', 'CachedResponse', 9500 * 250],
    ['leak', 'LeakedRequestLog', 8000 * 1024],
  ] as const

  it.each(planted)('%s: names %s first, holding the planted bytes', (variant, className, plantedBytes) => {
    const found = baselineWith(heapCompositionOf('base.heapsnapshot', rows.base!))
    const vs = heapVsBaseline({ stage: 'cycle-3', classes: rows[variant]! }, found)
    expect(vs?.basis).toBe('held')
    const first = vs!.classes[0]!
    expect(first.className).toBe(className)
    expect(first.heldDeltaBytes).toBeGreaterThan(plantedBytes)
    // The data type its bytes are (backing stores, strings) grew little or not at all once held.
    const dataTypes = vs!.classes.filter((c) => c.className.startsWith('(') || c.className.startsWith('system /'))
    for (const d of dataTypes) expect(d.heldDeltaBytes!).toBeLessThan(first.heldDeltaBytes! / 4)
    console.info(`${variant}: ${vs!.classes.map((c) => `${c.className} +${c.countDelta} (held ${(c.heldDeltaBytes! / MiB).toFixed(2)} MiB, self ${(c.selfDeltaBytes / MiB).toFixed(2)} MiB)`).join(', ')}`)
  })

  it('keeps the baseline a few KB and lists the holders, not only the largest self sizes', () => {
    const heap = heapCompositionOf('base.heapsnapshot', rows.base!)
    expect(JSON.stringify(heap).length).toBeLessThan(4096)
    expect(heap.classes.map((c) => c.className)).toContain('ReferenceChunk')
    expect(heap.rest.maxHeldBytes).toBeLessThanOrEqual(Math.min(...heap.classes.map((c) => c.heldBytes!)))
  })

  it.each(planted)('%s against an old baseline (self sizes only): still compares, by self size', (variant, className) => {
    const heap = heapCompositionOf('base.heapsnapshot', rows.base!)
    const old = { ...heap, classes: heap.classes.map(({ heldBytes: _, ...c }) => c), rest: { classes: heap.rest.classes, count: heap.rest.count, selfBytes: heap.rest.selfBytes } }
    const vs = heapVsBaseline({ stage: 'cycle-3', classes: rows[variant]! }, baselineWith(old))
    expect(vs?.basis).toBe('self')
    expect(vs!.classes.length).toBeGreaterThan(0)
    expect(vs!.classes.every((c) => c.heldDeltaBytes === undefined && c.selfDeltaBytes > 0)).toBe(true)
    // What self sizes name first: the bytes' type, the reason for held sizes.
    expect(vs!.classes[0]!.className).not.toBe(className)
  })
})
