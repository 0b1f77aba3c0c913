import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { MiB } from '../../src/common/units.js'
import { samplePid } from '../../src/probe/sample-pid.js'
import { parsePsRssLine, samplePidPs } from '../../src/probe/sample-ps.js'
import { startNodeChild, type NodeChild } from './fixtures/node-child.js'

/** Allocates and fills 96 MiB on "alloc"; prints a line after each step. */
const ALLOCATOR = `
let keep = null;
onCommand('alloc', () => { keep = Buffer.alloc(96 * 1024 * 1024, 7); console.log('allocated'); });
console.log('ready');
`

describe('samplePid on a child process', () => {
  let child: NodeChild

  beforeAll(async () => {
    child = await startNodeChild(ALLOCATOR)
    expect(await child.nextLine()).toBe('ready')
  })
  afterAll(async () => {
    await child.kill()
  })

  it('sees the child allocate 96 MiB, with V8 figures null from outside', async () => {
    const before = await samplePid(child.pid, { smapsMinIntervalMs: 0 })
    child.send('alloc')
    expect(await child.nextLine()).toBe('allocated')
    const after = await samplePid(child.pid, { smapsMinIntervalMs: 0 })
    expect(before?.pid).toBe(child.pid)
    const rssDelta = after!.rssBytes! - before!.rssBytes!
    expect(rssDelta).toBeGreaterThan(88 * MiB)
    expect(rssDelta).toBeLessThan(112 * MiB)
    expect(after!.privateBytes! - before!.privateBytes!).toBeGreaterThan(88 * MiB)
    expect(after!.pssBytes!).toBeLessThanOrEqual(after!.rssBytes!)
    expect(after!.peakRssBytes!).toBeGreaterThanOrEqual(after!.rssBytes!)
    expect(after!.swapBytes).toBeTypeOf('number')
    expect(after!.threads!).toBeGreaterThanOrEqual(2) // main + libuv/V8 helpers
    // Filling 96 MiB and starting Node take CPU; ticks are 10 ms, so the sum is > 0.
    expect(after!.cpuUserMs! + after!.cpuSystemMs!).toBeGreaterThan(0)
    expect(after!.cpuUserMs! + after!.cpuSystemMs!).toBeGreaterThanOrEqual(before!.cpuUserMs! + before!.cpuSystemMs!)
    for (const key of ['heapUsedBytes', 'heapTotalBytes', 'externalBytes', 'arrayBuffersBytes', 'heapSpaces', 'eventLoopDelayP99Ms'] as const) {
      expect(after![key], key).toBeNull()
    }
  })

  it('throttles smaps_rollup reads per process by default', async () => {
    expect((await samplePid(child.pid, { smapsMinIntervalMs: 0 }))?.pssBytes).toBeTypeOf('number')
    const next = await samplePid(child.pid)
    expect(next?.pssBytes).toBeNull()
    expect(next?.rssBytes).toBeTypeOf('number')
  })

  it('matches what ps reports (the non-Linux fallback) within a few percent', async () => {
    const [viaProc, viaPs] = [await samplePid(child.pid), await samplePidPs(child.pid)]
    expect(viaPs?.pid).toBe(child.pid)
    expect(Math.abs(viaPs!.rssBytes! - viaProc!.rssBytes!)).toBeLessThan(4 * MiB)
    expect(viaPs!.threads).toBeNull()
    expect(viaPs!.cpuUserMs).toBeNull()
  })

  it('returns null once the child has exited, from /proc and from ps', async () => {
    await child.kill()
    expect(await samplePid(child.pid)).toBeNull()
    expect(await samplePidPs(child.pid)).toBeNull()
  })
})

describe('samplePid edge cases', () => {
  it('samples this very process like any other, with RSS close to process.memoryUsage()', async () => {
    const s = await samplePid(process.pid)
    expect(Math.abs(s!.rssBytes! - process.memoryUsage.rss())).toBeLessThan(16 * MiB)
    expect(s!.heapUsedBytes).toBeNull()
  })

  it('returns null for a zombie: exited but not reaped by its parent', async () => {
    // sh starts `sleep 0` in the background, then becomes `sleep 3`, which never reaps it.
    const sh = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 3'], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const [line] = (await once(createInterface({ input: sh.stdout }), 'line')) as [string]
      const zombiePid = Number(line)
      // Wait until the kernel lists it as a zombie, then check that samplePid calls it gone.
      let state = ''
      for (let i = 0; i < 100 && state !== 'Z'; i++) {
        state = (await readFile(`/proc/${zombiePid}/stat`, 'latin1')).replace(/^.*\) /s, '')[0] ?? ''
        if (state !== 'Z') await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(state).toBe('Z')
      expect(await samplePid(zombiePid)).toBeNull()
      expect(await samplePidPs(zombiePid)).toBeNull()
    } finally {
      sh.kill('SIGKILL')
    }
  })

  it.each([0, -5, 1.5, Number.NaN])('rejects pid %s with a ConfigError', async (pid) => {
    await expect(samplePid(pid)).rejects.toThrow(ConfigError)
  })
})

describe('parsePsRssLine', () => {
  it('reads KiB into bytes and the state letters', () => {
    expect(parsePsRssLine('  3964 Ss\n')).toEqual({ rssBytes: 3964 * 1024, state: 'Ss' })
    expect(parsePsRssLine('')).toBeNull()
    expect(parsePsRssLine('RSS STAT\n')).toBeNull()
  })
})
