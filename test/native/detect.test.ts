import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MemgateError } from '../../src/common/errors.js'
import { detectHeaptrack } from '../../src/native/index.js'
import { runReal, tempDir } from './helpers.js'

describe('detectHeaptrack', () => {
  const dirs: Array<{ remove(): Promise<void> }> = []
  afterAll(async () => Promise.all(dirs.map((d) => d.remove())))

  it.runIf(runReal)('finds heaptrack and heaptrack_print on PATH and reads the version', async () => {
    const tools = await detectHeaptrack()
    expect(tools.heaptrack).toMatch(/\/heaptrack$/)
    expect(tools.heaptrackPrint).toMatch(/\/heaptrack_print$/)
    expect(tools.version).toMatch(/^1\.\d+(\.\d+)?$/)
  })

  it('says how to install heaptrack when it is missing', async () => {
    const error = await detectHeaptrack({ path: '/nonexistent-memgate' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MemgateError)
    expect((error as MemgateError).code).toBe('PROBE_UNAVAILABLE')
    expect((error as MemgateError).message).toBe(
      'Native allocation profiling needs heaptrack, but `heaptrack` and `heaptrack_print` are not on PATH (searched 1 directories). Install it with `apt-get install heaptrack` (Debian/Ubuntu; the package is also named heaptrack on Fedora and Arch), or run without the native pass.',
    )
  })

  it('names the one tool that is missing', async () => {
    const dir = await tempDir('detect')
    dirs.push(dir)
    await writeFile(join(dir.path, 'heaptrack'), '#!/bin/sh\n')
    await chmod(join(dir.path, 'heaptrack'), 0o755)
    await expect(detectHeaptrack({ path: dir.path })).rejects.toThrow(/but `heaptrack_print` is not on PATH .* `apt-get install heaptrack`/)
  })
})
