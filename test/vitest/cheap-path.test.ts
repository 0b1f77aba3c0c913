/**
 * The per-test hooks' two paths, in this very file (opted in with `useMemgate()`, no plugin): a
 * test without a retained limit or baseline is read without any forced GC and gets peak RSS only;
 * a test with a retained limit is read after a settled GC and gets retained figures.
 */
import { afterAll, expect, test, type TestContext } from 'vitest'
import { memoryLimits, useMemgate, type TestMemoryFigures } from '../../src/vitest/index.js'

useMemgate()

const MiB = 1024 * 1024
const figures: Record<string, () => TestMemoryFigures | undefined> = {}
const keep = (name: string, task: TestContext['task']) => (figures[name] = () => task.meta.memgate?.figures)

test('no limit: peak RSS without a forced GC', ({ task }) => {
  keep('quick', task)
  const scratch = Buffer.alloc(48 * MiB, 1)
  expect(scratch[scratch.length - 1]).toBe(1)
})

test('a retained limit: readings after a settled GC', { ...memoryLimits({ retained: '64 MB' }) }, ({ task }) => {
  keep('settled', task)
  expect(Array.from({ length: 1000 }, (_, i) => i).length).toBe(1000)
})

// After every test's afterEach: the figures are in the tasks' meta by then.
afterAll(() => {
  const quick = figures.quick?.()
  expect(quick).toMatchObject({ gc: 'none', retainedHeapBytes: null, retainedRssBytes: null, peakReset: true })
  expect(quick!.peakRssIncreaseBytes).toBeGreaterThan(40 * MiB)
  const settled = figures.settled?.()
  expect(settled).toMatchObject({ gc: 'settled', limits: { retainedBytes: 64e6 }, exceeded: [] })
  expect(settled!.retainedHeapBytes).toBeTypeOf('number')
  expect(settled!.retainedRssBytes).toBeTypeOf('number')
})
