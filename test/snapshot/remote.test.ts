/**
 * Remote snapshots of real child processes: two snapshots of a child with a planted leak diff to
 * the planted class and its retainer path; the inspector memgate opened is closed again; one that
 * was already open is reused and left open. The CLI is in remote-cli.test.ts.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { diffSnapshotFiles } from '../../src/snapshot/index.js'
import { captureRemoteSnapshot, openRemoteSnapshotSession, SNAPSHOT_MEMORY_FACTOR, type RemoteCaptureProgress } from '../../src/snapshot/remote/index.js'
import { ownListeningSockets } from '../../src/snapshot/remote/proc.js'
import { fixture, killAll, startNode, tempDir } from './remote-helpers.js'

// --inspect-port=0: SIGUSR1 binds a free port, so test files running in parallel never collide on 9229.
const NODE_ARGS = ['--inspect-port=0']

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => (tmp = await tempDir()))
afterEach(killAll)
afterAll(() => tmp.cleanup())

describe('captureRemoteSnapshot', () => {
  it('two snapshots of one session diff to exactly the planted objects and their retainer path; the inspector is closed afterwards', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: NODE_ARGS })
    const before = join(tmp.dir, 'leak-before.heapsnapshot')
    const after = join(tmp.dir, 'leak-after.heapsnapshot')
    const progress: RemoteCaptureProgress['phase'][] = []
    const session = await openRemoteSnapshotSession({ pid: target.pid, onProgress: (p) => progress.push(p.phase) })
    try {
      const first = await session.take(before)
      expect(first.path).toBe(before)
      expect(first.sizeBytes).toBeGreaterThan(1_000_000)
      expect(first.memory).toMatchObject({ fits: true, factor: SNAPSHOT_MEMORY_FACTOR })
      expect(first.memory.heapUsedBytes).toBeGreaterThan(0)
      expect(await target.command('grow 20000')).toBe('grown 20000')
      await session.take(after)
    } finally {
      expect(await session.close()).toEqual({ inspectorClosed: true })
    }
    expect(session.inspectorWasOpen).toBe(false)
    expect(new Set(progress)).toEqual(new Set(['connected', 'building', 'writing']))
    expect(await ownListeningSockets(target.pid)).toEqual([])
    // The target carries on as before.
    expect(await target.command('grow 1')).toBe('grown 20001')

    const diff = await diffSnapshotFiles(before, after, { top: 10, retainers: 2 })
    const planted = diff.classes.find((c) => c.className === 'PlantedLeak')
    expect(planted).toMatchObject({ nodeType: 'object', addedCount: 20000, removedCount: 0, netCount: 20000 })
    expect(diff.classes.slice(0, 3).map((c) => c.className)).toContain('PlantedLeak')
    expect(planted!.retainers!.clusters[0]).toMatchObject({ count: planted!.retainers!.examined, path: { text: 'Map (global /  leakRegistry) → table → PlantedLeak' } })
    expect((await readdir(tmp.dir)).filter((f) => f.includes('.tmp-'))).toEqual([])
  })

  it('separate captures each close the inspector; their diff gets the planted class right by totals only', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: NODE_ARGS })
    const a = join(tmp.dir, 'separate-a.heapsnapshot')
    const b = join(tmp.dir, 'separate-b.heapsnapshot')
    const first = await captureRemoteSnapshot({ pid: target.pid, outFile: a })
    expect(first).toMatchObject({ path: a, pid: target.pid, inspectorWasOpen: false, inspectorClosed: true })
    expect(await ownListeningSockets(target.pid)).toEqual([])
    await target.command('grow 20000')
    expect(await captureRemoteSnapshot({ pid: target.pid, outFile: b })).toMatchObject({ inspectorClosed: true })
    expect(await ownListeningSockets(target.pid)).toEqual([])
    const diff = await diffSnapshotFiles(a, b, { top: 5, retainers: 1 })
    // V8 renumbers objects when an inspector session ends: counts by class hold, "new" by id does
    // not (which ids collide is chance), hence openRemoteSnapshotSession and `--count`.
    const planted = diff.classes.find((c) => c.className === 'PlantedLeak')
    expect(planted).toMatchObject({ netCount: 20000, countAfter: 20000 })
    expect(diff.classes.slice(0, 3).map((c) => c.className)).toContain('PlantedLeak')
  })

  it('reuses an inspector that was already open and leaves it open', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: ['--inspect=127.0.0.1:0'] })
    const [open] = await ownListeningSockets(target.pid)
    expect(open).toBeDefined()
    const result = await captureRemoteSnapshot({ pid: target.pid, outFile: join(tmp.dir, 'already-open.heapsnapshot') })
    expect(result).toMatchObject({ inspectorWasOpen: true, inspectorClosed: true, port: open!.port })
    expect((await ownListeningSockets(target.pid)).map((s) => s.port)).toEqual([open!.port])
  })
})
