/**
 * memgate/heapdump preloaded into a real app (`node --import tsx --import ./src/heapdump/index.ts`):
 * SIGUSR2 writes heapdump-<seconds>.<ms>.heapsnapshot atomically into MEMGATE_HEAPDUMP_DIR, the
 * RSS trigger writes exactly one snapshot when RSS first crosses MEMGATE_HEAPDUMP_RSS, and
 * writeSnapshot mirrors the heapdump module's API.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parseHeapSnapshot } from '../../src/snapshot/index.js'
import { rssThresholdFrom } from '../../src/heapdump/index.js'
import { fixture, killAll, repo, startNode, tempDir, type Target } from '../snapshot/remote-helpers.js'

const PRELOAD = ['--import', 'tsx', '--import', './src/heapdump/index.ts']
const HEAPDUMP_MODULE = join(repo, 'src/heapdump/index.ts')
const NAME = /^heapdump-\d{10}\.\d{3}\.heapsnapshot$/

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => (tmp = await tempDir('memgate-heapdump-')))
afterEach(killAll)
afterAll(() => tmp.cleanup())

async function startApp(dir: string, env: Record<string, string> = {}): Promise<Target> {
  return startNode(fixture('heapdump-app.mjs'), { nodeArgs: PRELOAD, env: { MEMGATE_HEAPDUMP_DIR: dir, HEAPDUMP_MODULE, ...env } })
}

/** Waits until `stderr()` holds `count` lines matching `re`. */
async function stderrLines(app: Target, re: RegExp, count = 1, timeoutMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const lines = app.stderr().split('\n').filter((l) => re.test(l))
    if (lines.length >= count || Date.now() > deadline) return lines
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('memgate/heapdump', () => {
  it('SIGUSR2 writes heapdump-<seconds>.<ms>.heapsnapshot into MEMGATE_HEAPDUMP_DIR, a valid snapshot, no temp file', async () => {
    const dir = join(tmp.dir, 'signal')
    const { mkdir } = await import('node:fs/promises')
    await mkdir(dir)
    const app = await startApp(dir)
    app.child.kill('SIGUSR2')
    const [line] = await stderrLines(app, /^memgate\/heapdump: SIGUSR2: wrote /)
    expect(line).toMatch(new RegExp(`^memgate/heapdump: SIGUSR2: wrote ${dir}/heapdump-\\d{10}\\.\\d{3}\\.heapsnapshot$`))
    const files = await readdir(dir)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(NAME)
    const graph = await parseHeapSnapshot(join(dir, files[0]!))
    expect(graph.nodeCount).toBeGreaterThan(10_000)
    // The app keeps running and a second signal writes a second file.
    expect(await app.command('alloc 1')).toMatch(/^allocated \d+$/)
    app.child.kill('SIGUSR2')
    await stderrLines(app, /SIGUSR2: wrote/, 2)
    expect((await readdir(dir)).filter((f) => NAME.test(f))).toHaveLength(2)
  })

  it('MEMGATE_HEAPDUMP_RSS writes one snapshot the first time RSS crosses the threshold', async () => {
    const dir = join(tmp.dir, 'rss')
    const { mkdir } = await import('node:fs/promises')
    await mkdir(dir)
    const app = await startApp(dir, { MEMGATE_HEAPDUMP_RSS: '400MB', MEMGATE_HEAPDUMP_INTERVAL_MS: '100' })
    await new Promise((r) => setTimeout(r, 400))
    expect(await readdir(dir)).toEqual([])
    const rss = Number((await app.command('alloc 420')).split(' ')[1])
    expect(rss).toBeGreaterThan(400e6)
    const lines = await stderrLines(app, /^memgate\/heapdump: RSS /)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^memgate/heapdump: RSS \\d+ MiB crossed MEMGATE_HEAPDUMP_RSS=400MB: wrote ${dir}/heapdump-\\d{10}\\.\\d{3}\\.heapsnapshot$`))
    // Only the first crossing: more growth writes nothing more.
    await app.command('alloc 50')
    await new Promise((r) => setTimeout(r, 500))
    const files = await readdir(dir)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(NAME)
  })

  it('writeSnapshot([filename], [callback]) mirrors heapdump: callback(err, filename)', async () => {
    const dir = join(tmp.dir, 'api')
    const { mkdir } = await import('node:fs/promises')
    await mkdir(dir)
    const app = await startApp(dir, { NODE_HEAPDUMP_OPTIONS: 'nosignal' })
    expect(await app.command('api')).toMatch(new RegExp(`^api ${dir}/heapdump-\\d{10}\\.\\d{3}\\.heapsnapshot$`))
    expect(await app.command(`api-named ${join(dir, 'named.heapsnapshot')}`)).toBe(`api ${join(dir, 'named.heapsnapshot')}`)
    expect(await app.command(`api-named ${join(dir, 'missing-dir', 'x.heapsnapshot')}`)).toMatch(/^api error ENOENT/)
    expect((await readdir(dir)).sort()).toEqual([expect.stringMatching(NAME), 'named.heapsnapshot'].sort())
  })

  it('parses MEMGATE_HEAPDUMP_RSS sizes simply', () => {
    expect(rssThresholdFrom({ MEMGATE_HEAPDUMP_RSS: '800MB' })).toBe(800e6)
    expect(rssThresholdFrom({ MEMGATE_HEAPDUMP_RSS: '1.5GiB' })).toBe(1.5 * 1024 ** 3)
    expect(rssThresholdFrom({ MEMGATE_HEAPDUMP_RSS: '512MiB' })).toBe(512 * 1024 ** 2)
    expect(rssThresholdFrom({ MEMGATE_HEAPDUMP_RSS: '1000000' })).toBe(1e6)
    expect(rssThresholdFrom({})).toBeNull()
  })
})
