/** `memgate snapshot PID` on a real child: files that `memgate inspect` and `memgate diff` read. */
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ownListeningSockets } from '../../src/snapshot/remote/proc.js'
import { runCli } from '../helpers/cli.js'
import { fixture, killAll, startNode, tempDir } from './remote-helpers.js'

// --inspect-port=0: SIGUSR1 binds a free port, so test files running in parallel never collide on 9229.
const NODE_ARGS = ['--inspect-port=0']

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => (tmp = await tempDir()))
afterEach(killAll)
afterAll(() => tmp.cleanup())

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
