/** `memgate snapshot PID` on a real child: files that `memgate inspect` and `memgate diff` read. */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isAlive, ownListeningSockets } from '../../src/snapshot/remote/proc.js'
import { main } from '../../src/cli/main.js'
import { runCli } from '../helpers/cli.js'
import { fixture, killAll, repo, startNode, tempDir } from './remote-helpers.js'

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

  it('SIGINT mid-snapshot: the temporary file is removed, the inspector closed, the target left running, exit 130', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: NODE_ARGS })
    expect(await target.command('fill 10')).toMatch(/^filled \d+$/) // ~10 MiB of small objects: a snapshot that takes a while
    const dir = join(tmp.dir, 'interrupted')
    await mkdir(dir)
    // A real CLI process, signalled as Ctrl-C signals it (bin/memgate.js's handling, on the sources).
    const cli = spawn(process.execPath, ['--import', 'tsx', 'test/snapshot/fixtures/memgate-cli.ts', 'snapshot', String(target.pid), '--out', join(dir, 'heap.heapsnapshot')], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = once(cli, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    let stderr = ''
    cli.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    try {
      // Mid-snapshot: the temporary file has received chunks.
      const deadline = Date.now() + 30_000
      for (;;) {
        const sizes = await Promise.all((await readdir(dir)).map(async (name) => (await stat(join(dir, name)).catch(() => null))?.size ?? 0))
        if (sizes.some((size) => size > 0)) break
        if (cli.exitCode !== null || Date.now() > deadline) throw new Error(`no snapshot chunks were written; stderr: ${stderr}`)
        await new Promise((r) => setTimeout(r, 5))
      }
      cli.kill('SIGINT')
      const [code] = await exited
      expect(code, stderr).toBe(130)
      expect(stderr).toMatch(new RegExp(`^memgate: interrupted; the snapshot file was removed\\. Process ${target.pid} is finishing the snapshot it began`, 'm'))
      expect(stderr).toMatch(new RegExp(`^memgate: INTERRUPTED: Interrupted: the capture from process ${target.pid} was abandoned; no file was written\\.$`, 'm'))
      expect(await readdir(dir)).toEqual([]) // neither the snapshot nor its temporary file
      expect(await ownListeningSockets(target.pid)).toEqual([]) // the inspector memgate opened is closed
      expect(await isAlive(target.pid)).toBe(true)
      expect(await target.command('grow 1')).toBe('grown 1') // and still answers
    } finally {
      cli.kill('SIGKILL')
      if (cli.exitCode === null && cli.signalCode === null) await exited
    }
  }, 60_000)

  it('SIGINT during --sampling: sampling stops at once, no profile is written, the inspector is closed, exit 130', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: NODE_ARGS })
    const stop = new AbortController()
    let stdout = ''
    let stderr = ''
    const started = Date.now()
    const run = main({
      argv: ['snapshot', String(target.pid), '--sampling', '60', '--out', 'never.heapprofile'],
      cwd: tmp.dir,
      env: { ...process.env },
      signal: stop.signal,
      stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
      stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    })
    // Once its inspector listens, sampling is under way (or about to be): then Ctrl-C.
    while ((await ownListeningSockets(target.pid)).length === 0) await new Promise((r) => setTimeout(r, 20))
    await new Promise((r) => setTimeout(r, 200))
    stop.abort('SIGINT')
    expect(await run).toBe(130)
    expect(Date.now() - started).toBeLessThan(30_000) // not the 60 s asked for
    expect(stdout).toBe('')
    expect(stderr).toBe(`memgate: INTERRUPTED: Interrupted: sampling in process ${target.pid} was stopped; no profile was written.\n`)
    expect(await readdir(tmp.dir)).not.toContain('never.heapprofile')
    expect(await ownListeningSockets(target.pid)).toEqual([])
    expect(await target.command('grow 1')).toBe('grown 1')
  }, 60_000)
})
