/**
 * The stage-boundary handshake of the measuring pass: the worker waits at each boundary for the
 * parent's acknowledgement (the parent reads smaps there), and goes on by itself when none comes.
 * The worker is forked here directly, with the parent's side played by the test.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isParentMessage, type WorkerMessage, type WorkerSpec } from '../../src/scenario/protocol.js'
import { workerEntry } from '../../src/scenario/paths.js'
import { ensureBuilt, FIXTURES } from './helpers.js'

const dirs: string[] = []
const children: ChildProcess[] = []

beforeAll(() => ensureBuilt())
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/**
 * Runs native-blocks (setup + one work stage, exits right after it) in a worker. `ackAfterMs`:
 * acknowledge each boundary that long after it arrives (as a parent whose smaps read takes that
 * long), or never (null). Each message is stamped with when it arrived.
 */
async function runWorkerDirect(stageAckTimeoutMs: number, ackAfterMs: number | null): Promise<{ messages: (WorkerMessage & { receivedMs: number })[]; exitCode: number | null; stderr: string; ms: number; exitedMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'memgate-ack-'))
  dirs.push(dir)
  const spec: WorkerSpec = {
    module: join(FIXTURES, 'native-blocks.mjs'),
    params: { blocks: 1, mib: 1 },
    prepared: undefined,
    variant: null,
    pass: 'measure',
    repeat: 0,
    snapshots: 'none',
    runDir: dir,
    snapshotSubdir: 'snapshots',
    workDir: dir,
    progressIntervalMs: 250,
    stageAckTimeoutMs,
  }
  const child = fork(workerEntry(), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' })
  children.push(child)
  const messages: (WorkerMessage & { receivedMs: number })[] = []
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s))
  const t0 = performance.now()
  child.on('message', (m: WorkerMessage) => {
    messages.push({ ...m, receivedMs: performance.now() - t0 })
    if (m.t === 'ready') child.send({ t: 'start', spec })
    const seq = (m.t === 'stage-start' || m.t === 'stage-end') && ackAfterMs !== null ? m.ackSeq : undefined
    if (seq !== undefined) setTimeout(() => child.connected && child.send({ t: 'stage-ack', seq }), ackAfterMs!)
  })
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const exitedMs = performance.now() - t0
  return { messages, exitCode, stderr, ms: exitedMs, exitedMs }
}

describe('stage acknowledgements', () => {
  it('accepts only well-formed acknowledgements from the parent', () => {
    expect(isParentMessage({ t: 'stage-ack', seq: 3 })).toBe(true)
    expect(isParentMessage({ t: 'stage-ack' })).toBe(false)
    expect(isParentMessage({ t: 'stage-ack', seq: '3' })).toBe(false)
  })

  it('asks at every boundary, and after its last stage does not exit before the acknowledgement', async () => {
    const ACK_AFTER_MS = 300
    const { messages, exitCode, stderr, ms, exitedMs } = await runWorkerDirect(20_000, ACK_AFTER_MS)
    expect(exitCode).toBe(0)
    const boundaries = messages.filter((m) => m.t === 'stage-start' || m.t === 'stage-end')
    expect(boundaries.map((m) => `${m.t}:${m.name}:${m.ackSeq}`)).toEqual(['stage-start:setup:0', 'stage-end:setup:1', 'stage-start:keep:2', 'stage-end:keep:3'])
    // 'keep' is the last stage: without the wait, 'done' and the exit follow its end at once.
    const lastEnd = boundaries.at(-1)!
    const done = messages.at(-1)!
    expect(done.t).toBe('done')
    expect(done.receivedMs - lastEnd.receivedMs).toBeGreaterThanOrEqual(ACK_AFTER_MS - 5)
    expect(exitedMs - lastEnd.receivedMs).toBeGreaterThanOrEqual(ACK_AFTER_MS - 5)
    expect(stderr).not.toContain('no acknowledgement')
    // Nowhere near a timeout: each wait ended with the ack.
    expect(ms).toBeLessThan(15_000)
  }, 60_000)

  it('goes on after the timeout when the parent never acknowledges (a stuck parent cannot hang it)', async () => {
    const { messages, exitCode, stderr } = await runWorkerDirect(100, null)
    expect(exitCode).toBe(0)
    expect(messages.at(-1)?.t).toBe('done')
    expect(stderr).toContain("memgate worker: no acknowledgement of stage 'setup' start from the runner within 100 ms; going on")
    expect(stderr).toContain("memgate worker: no acknowledgement of stage 'keep' end from the runner within 100 ms; going on")
  }, 60_000)
})
