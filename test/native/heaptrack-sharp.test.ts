import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readNativeProfile, runUnderHeaptrack, type NativeProfile } from '../../src/native/index.js'
import { fixture, requireTools, runReal, tempDir } from './helpers.js'

const MB = 1e6
const LIBVIPS = /\/libvips-cpp\.so[\d.]*$/

/** Eight operations on one PNG with sharp's operation cache on and off, each under heaptrack. */
describe.runIf(runReal)('heaptrack on sharp: operation cache on vs off', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  const profiles = {} as Record<'on' | 'off', NativeProfile>

  beforeAll(async () => {
    dir = await tempDir('sharp')
    await Promise.all(
      (['on', 'off'] as const).map(async (cache) => {
        const dataFile = await runUnderHeaptrack({ command: process.execPath, args: [fixture('native-sharp/sharp-cache.mjs'), `cache-${cache}`], outDir: join(dir.path, cache), timeoutMs: 50_000, tools: requireTools() })
        profiles[cache] = await readNativeProfile(dataFile, { tools: requireTools() })
      }),
    )
  }, 60_000)
  afterAll(() => dir?.remove())

  const vips = (p: NativeProfile) => p.bySharedObject.find((g) => LIBVIPS.test(g.key))

  it('attributes image memory to libvips in both', () => {
    for (const p of [profiles.on, profiles.off]) expect(vips(p)?.peakBytes).toBeGreaterThan(5 * MB)
  })

  it('shows the cached pixels as still allocated in libvips only with the cache on', () => {
    const on = vips(profiles.on)?.leakedBytes ?? 0
    const off = vips(profiles.off)?.leakedBytes ?? 0
    expect(on).toBeGreaterThan(10 * MB)
    expect(off).toBeLessThan(1 * MB)
    // libvips' worker threads unwind no further than its allocator: the library names the frame.
    expect(profiles.on.byFrame[0]).toMatchObject({ kind: 'native' })
    expect(profiles.on.byFrame.find((g) => /^\[libvips-cpp\.so/.test(g.key))?.leakedBytes).toBeGreaterThan(10 * MB)
    console.info(`libvips leaked at exit: cache on ${(on / MB).toFixed(2)} MB, off ${(off / MB).toFixed(2)} MB; peak on ${((vips(profiles.on)?.peakBytes ?? 0) / MB).toFixed(2)} MB, off ${((vips(profiles.off)?.peakBytes ?? 0) / MB).toFixed(2)} MB`)
  })
})
