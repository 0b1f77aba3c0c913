/**
 * Remote snapshots of real child processes: two snapshots of a child with a planted leak diff to
 * the planted class and its retainer path; the inspector memgate opened is closed again; one that
 * was already open is reused and left open; the CLI writes a file `inspect` and `diff` read.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { diffSnapshotFiles } from '../../src/snapshot/index.js'
import { captureRemoteSnapshot, openRemoteSnapshotSession, SNAPSHOT_MEMORY_FACTOR, type RemoteCaptureProgress } from '../../src/snapshot/remote/index.js'
import { ownListeningSockets } from '../../src/snapshot/remote/proc.js'
import { runCli } from '../helpers/cli.js'
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

  it('separate captures each close the inspector; their diff still names the planted class by totals', async () => {
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
    // V8 renumbers objects when an inspector session ends: counts by class hold, "new" by id does not.
    const planted = diff.classes.find((c) => c.className === 'PlantedLeak')
    expect(planted).toMatchObject({ netCount: 20000, countAfter: 20000 })
    expect(planted!.retainers!.clusters[0]!.path.text).toBe('Map (global /  leakRegistry) → table → PlantedLeak')
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

describe('memgate snapshot', () => {
  it('writes snapshots that memgate inspect and memgate diff read, one line per file', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: NODE_ARGS })
    await target.command('grow 5000')
    const a = await runCli(['snapshot', String(target.pid), '--out', 'cli.heapsnapshot'], { cwd: tmp.dir })
    expect(a.stderr).toBe('')
    expect(a.exitCode).toBe(0)
    expect(a.stdout).toMatch(new RegExp(`^Wrote cli\\.heapsnapshot \\(\\d+(\\.\\d+)? MiB\\) from process ${target.pid} in \\d+(\\.\\d+)? (ms|s)\\n$`))
    const inspect = await runCli(['inspect', 'cli.heapsnapshot', '--top', '50'], { cwd: tmp.dir })
    expect(inspect.exitCode).toBe(0)
    expect(inspect.stdout).toMatch(/PlantedLeak\s+object\s+5,000/)

    const two = await runCli(['snapshot', String(target.pid), '--out', 'pair.heapsnapshot', '--count', '2', '--interval', '0', '--json'], { cwd: tmp.dir })
    expect(two.exitCode).toBe(0)
    const report = JSON.parse(two.stdout) as { snapshots: { path: string }[] }
    expect(report).toMatchObject({ schemaVersion: 1, kind: 'memgate.snapshot.remote', pid: target.pid, inspectorWasOpen: false, inspectorClosed: true })
    expect(report.snapshots.map((s) => s.path)).toEqual([join(tmp.dir, 'pair-1.heapsnapshot'), join(tmp.dir, 'pair-2.heapsnapshot')])
    const diff = await runCli(['diff', 'pair-1.heapsnapshot', 'pair-2.heapsnapshot', '--json'], { cwd: tmp.dir })
    expect(diff.exitCode).toBe(0)
    // One session, one numbering: nothing of the 5,000 planted objects looks new or freed.
    const classes = (JSON.parse(diff.stdout) as { classes: { className: string }[] }).classes
    expect(classes.find((c) => c.className === 'PlantedLeak')).toBeUndefined()
    expect(await ownListeningSockets(target.pid)).toEqual([])
  })
})
