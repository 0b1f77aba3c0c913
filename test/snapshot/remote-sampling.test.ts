/** Remote allocation sampling (`memgate snapshot PID --sampling SECONDS`) on a real child. */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sampleRemoteAllocations } from '../../src/snapshot/remote/index.js'
import { ownListeningSockets } from '../../src/snapshot/remote/proc.js'
import { runCli } from '../helpers/cli.js'
import { fixture, killAll, startNode, tempDir } from './remote-helpers.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => (tmp = await tempDir()))
afterEach(killAll)
afterAll(() => tmp.cleanup())

describe('sampleRemoteAllocations', () => {
  it('finds the site of memory allocated and kept during the sampling, saves a .heapprofile, closes the inspector', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: ['--inspect-port=0'] })
    const sampling = sampleRemoteAllocations({ pid: target.pid, outFile: join(tmp.dir, 'grow.heapprofile'), durationMs: 1500, samplingIntervalBytes: 16 * 1024 })
    await new Promise((r) => setTimeout(r, 600))
    expect(await target.command('grow 50000')).toBe('grown 50000')
    const result = await sampling
    expect(result).toMatchObject({ pid: target.pid, inspectorWasOpen: false, inspectorClosed: true, samplingIntervalBytes: 16 * 1024 })
    // The planted objects come from `grow` and the PlantedLeak constructor; the Map's own table from the builtin `set`.
    const planted = result.sites.slice(0, 4).find((s) => /remote-target\.mjs$/.test(s.url))
    expect(['grow', 'PlantedLeak']).toContain(planted?.functionName)
    expect(planted!.liveBytes).toBeGreaterThan(500_000)
    const profile = JSON.parse(await readFile(result.path, 'utf8')) as { head: { children: unknown[] }; samples: unknown[] }
    expect(profile.head.children.length).toBeGreaterThan(0)
    expect(result.sizeBytes).toBeGreaterThan(0)
    expect(await ownListeningSockets(target.pid)).toEqual([])
  })

  it('memgate snapshot PID --sampling prints the top sites and one final line with the file', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: ['--inspect-port=0'] })
    const run = runCli(['snapshot', String(target.pid), '--sampling', '1.5', '--top', '3', '--out', 'cli.heapprofile'], { cwd: tmp.dir })
    await new Promise((r) => setTimeout(r, 700))
    await target.command('grow 50000')
    const { exitCode, stdout, stderr } = await run
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(new RegExp(`^Allocations still live after 1\\.\\d+ s of sampling in process ${target.pid}: .+ \\(estimated\\)$`))
    expect(lines[2]).toMatch(/^\s*Live\s+Samples\s+Function\s+Where$/)
    expect(lines.slice(4, 7).join('\n')).toMatch(/(grow|PlantedLeak)\s+file:\/\/.*remote-target\.mjs:\d+/)
    expect(lines.at(-1)).toMatch(/^Wrote cli\.heapprofile \(\d+(\.\d+)? KiB\)$/)
  })
})
