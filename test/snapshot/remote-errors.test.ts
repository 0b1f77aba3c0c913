/**
 * Remote capture failures on real processes: each is a typed RemoteSnapshotError with a clear
 * message and the right exit code, comes within a bounded time, and leaves no file and no target
 * harmed (a target that would die of SIGUSR1 is never sent it).
 */
import { readdir } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { exitCodeFor } from '../../src/common/errors.js'
import { captureRemoteSnapshot, RemoteSnapshotError, sampleRemoteAllocations } from '../../src/snapshot/remote/index.js'
import { isAlive, ownListeningSockets } from '../../src/snapshot/remote/proc.js'
import { runCli } from '../helpers/cli.js'
import { fixture, killAll, startNode, startProcess, tempDir } from './remote-helpers.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
let server: Server | undefined
beforeAll(async () => (tmp = await tempDir()))
afterEach(async () => {
  await killAll()
  await new Promise((r) => (server ? server.close(r) : r(undefined)))
  server = undefined
})
afterAll(() => tmp.cleanup())

/** Runs `fn`, expects a RemoteSnapshotError, returns it. */
async function failure(fn: () => Promise<unknown>): Promise<RemoteSnapshotError> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(RemoteSnapshotError)
  return error as RemoteSnapshotError
}

const out = (name: string) => join(tmp.dir, name)

describe('remote capture errors', () => {
  it('no such process: INPUT_NOT_FOUND, exit 2', async () => {
    const e = await failure(() => captureRemoteSnapshot({ pid: 4_000_000, outFile: out('none.heapsnapshot') }))
    expect(e).toMatchObject({ reason: 'no-such-process', code: 'INPUT_NOT_FOUND', pid: 4_000_000 })
    expect(e.message).toBe("No process with PID 4000000. Check the PID (e.g. with 'pgrep -af node').")
    expect(exitCodeFor(e)).toBe(2)
  })

  it('not a Node process (sleep): clear message through the CLI, exit 2, the process untouched', async () => {
    const sleep = await startProcess('sleep', ['30'])
    const { exitCode, stdout, stderr } = await runCli(['snapshot', String(sleep.pid)], { cwd: tmp.dir })
    expect(exitCode).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(new RegExp(`^memgate: INPUT_UNSUPPORTED_FORMAT: Process ${sleep.pid} is not a Node.js process \\(/\\S*sleep: sleep 30\\)\\. memgate snapshot reads JavaScript heaps through the Node.js inspector; for other processes use 'memgate watch'\\.\\n$`))
    expect(await isAlive(sleep.pid)).toBe(true)
  })

  it('--disable-sigusr1 (SIGUSR1 not handled): refused at once, nothing sent, the target lives', async () => {
    // Node 20 lacks the flag; the fixture then restores SIGUSR1's default action, the state the flag leaves.
    const hasFlag = process.allowedNodeEnvironmentFlags.has('--disable-sigusr1')
    const target = await startNode(fixture('remote-target.mjs'), hasFlag ? { nodeArgs: ['--disable-sigusr1'] } : { env: { REMOTE_TARGET_SIGUSR1: 'default' } })
    const started = Date.now()
    const e = await failure(() => captureRemoteSnapshot({ pid: target.pid, outFile: out('disabled.heapsnapshot') }))
    expect(Date.now() - started).toBeLessThan(3000)
    expect(e).toMatchObject({ reason: 'inspector-unavailable', code: 'PROBE_UNAVAILABLE' })
    expect(e.message).toMatch(/does not handle SIGUSR1 .* started with --disable-sigusr1\. Nothing was sent\./)
    expect(exitCodeFor(e)).toBe(2)
    expect(await target.command('grow 1')).toBe('grown 1')
  })

  it('SIGUSR1 taken by the app: no inspector within the timeout, a clear error in bounded time', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: ['--inspect-port=0'], env: { REMOTE_TARGET_SIGUSR1: 'own' } })
    const started = Date.now()
    const e = await failure(() => captureRemoteSnapshot({ pid: target.pid, outFile: out('own.heapsnapshot'), timeoutMs: 1500 }))
    expect(Date.now() - started).toBeLessThan(5000)
    expect(e).toMatchObject({ reason: 'inspector-unavailable', code: 'PROBE_UNAVAILABLE' })
    expect(e.message).toMatch(/^Sent SIGUSR1 to process \d+, but no inspector opened within 1\.5 s\. The process may handle SIGUSR1 itself/)
    expect(await target.nextLine()).toBe('own SIGUSR1 handler')
    expect(await ownListeningSockets(target.pid)).toEqual([])
  })

  it('inspector port taken by another process: refused before signalling, naming the holder', async () => {
    server = createServer()
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: [`--inspect-port=${port}`] })
    const e = await failure(() => captureRemoteSnapshot({ pid: target.pid, outFile: out('taken.heapsnapshot') }))
    expect(e).toMatchObject({ reason: 'port-taken', code: 'PROBE_UNAVAILABLE' })
    expect(e.message).toContain(`inspector port taken: ${port} is already in use by process ${process.pid}`)
    expect(exitCodeFor(e)).toBe(2)
    expect(await target.command('grow 1')).toBe('grown 1')
  })

  it('not enough memory for the estimate: refused (INPUT_TOO_LARGE, exit 2), no file, inspector closed; force overrides', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: ['--inspect-port=0'] })
    const e = await failure(() => captureRemoteSnapshot({ pid: target.pid, outFile: out('big.heapsnapshot'), memoryFactor: 1e9 }))
    expect(e).toMatchObject({ reason: 'insufficient-memory', code: 'INPUT_TOO_LARGE' })
    expect(e.message).toMatch(/^Refusing to snapshot process \d+: a heap of .+ used is estimated to raise its RSS by up to .+ \(1000000000× the used heap, measured\), but the host has .+ available \(MemAvailable\)\. .*pass --force to take the risk\.$/)
    expect(exitCodeFor(e)).toBe(2)
    expect((await readdir(tmp.dir)).filter((f) => f.startsWith('big'))).toEqual([])
    expect(await target.command('grow 1'), target.stderr()).toBe('grown 1')
    expect(await ownListeningSockets(target.pid)).toEqual([])
    const forced = await captureRemoteSnapshot({ pid: target.pid, outFile: out('big.heapsnapshot'), memoryFactor: 1e9, force: true })
    expect(forced.memory.fits).toBe(false)
    expect(forced.sizeBytes).toBeGreaterThan(0)
  })

  it('target killed mid-snapshot: TARGET_CRASHED (exit 3) and no partial or temporary file', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: ['--inspect-port=0'] })
    expect(await target.command('fill 15')).toMatch(/^filled \d+$/)
    const dir = join(tmp.dir, 'killed')
    let killed = false
    const e = await failure(() =>
      captureRemoteSnapshot({
        pid: target.pid,
        outFile: join(dir, 'killed.heapsnapshot'),
        onProgress: (p) => {
          if (p.phase === 'writing' && !killed) {
            killed = true
            target.child.kill('SIGKILL')
          }
        },
      }),
    )
    expect(killed).toBe(true)
    expect(e).toMatchObject({ reason: 'target-exited', code: 'TARGET_CRASHED' })
    expect(e.message).toMatch(/^Process \d+ exited while taking the snapshot; no file was written\./)
    expect(exitCodeFor(e)).toBe(3)
    expect(await readdir(dir)).toEqual([])
  })

  it('sampling a target that dies: TARGET_CRASHED and no profile', async () => {
    const target = await startNode(fixture('remote-target.mjs'), { nodeArgs: ['--inspect-port=0'] })
    setTimeout(() => target.child.kill('SIGKILL'), 700)
    const e = await failure(() => sampleRemoteAllocations({ pid: target.pid, outFile: out('died.heapprofile'), durationMs: 5000 }))
    expect(e).toMatchObject({ reason: 'target-exited', code: 'TARGET_CRASHED' })
    expect((await readdir(tmp.dir)).filter((f) => f.startsWith('died'))).toEqual([])
  })
})
