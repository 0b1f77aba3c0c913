import { readdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemgateError } from '../../src/common/errors.js'
import { captureHeapSnapshot, collectGarbage } from '../../src/snapshot/index.js'
import { tempDir } from './helpers/synthetic.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
})
afterAll(() => tmp.cleanup())

describe('collectGarbage', () => {
  it('runs a full GC without --expose-gc (vitest workers do not have it)', async () => {
    const ref = (() => new WeakRef({ payload: new Array(10_000).fill(1) }))()
    // WeakRef targets are kept until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0))
    await collectGarbage()
    expect(ref.deref()).toBeUndefined()
  })
})

describe('captureHeapSnapshot', () => {
  it('fails with SNAPSHOT_WRITE_FAILED, and no file left behind, when the path cannot be written', async () => {
    const blocker = await tmp.file('not-a-dir', 'x')
    const error = await captureHeapSnapshot(`${blocker}/out.heapsnapshot`, { gc: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MemgateError)
    expect((error as MemgateError).code).toBe('SNAPSHOT_WRITE_FAILED')
    expect((error as Error).message).toMatch(/^Could not write the heap snapshot .*\/not-a-dir\/out\.heapsnapshot: (ENOTDIR|EEXIST)\b.*Check that the directory is writable/)
    expect((error as Error).cause).toBeInstanceOf(Error)
    expect(await readdir(tmp.dir)).toEqual(['not-a-dir'])
  })
})
