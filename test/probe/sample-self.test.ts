import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { MiB } from '../../src/common/units.js'
import { startEventLoopMonitor, stopEventLoopMonitor } from '../../src/probe/event-loop.js'
import { readProcStatus } from '../../src/probe/proc-status.js'
import { sampleSelf, sampleSelfPortable } from '../../src/probe/sample-self.js'

/**
 * Keeps test allocations alive until the file ends: V8 frees ArrayBuffer memory on a background
 * thread, and a 64 MiB free landing between two reads of another test would skew its figures.
 */
const retained: Buffer[] = []

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('sampleSelf', () => {
  afterEach(() => stopEventLoopMonitor())

  it('fills every figure this process can give on Linux', () => {
    const s = sampleSelf({ smapsMinIntervalMs: 0 })
    expect(s.pid).toBe(process.pid)
    expect(Math.abs(s.atMs - Date.now())).toBeLessThan(1000)
    for (const key of ['rssBytes', 'peakRssBytes', 'swapBytes', 'threads', 'pssBytes', 'privateBytes', 'heapUsedBytes', 'heapTotalBytes', 'externalBytes', 'arrayBuffersBytes', 'cpuUserMs', 'cpuSystemMs'] as const) {
      expect(s[key], key).toBeTypeOf('number')
    }
    expect(s.peakRssBytes!).toBeGreaterThanOrEqual(s.rssBytes!)
    expect(s.pssBytes!).toBeLessThanOrEqual(s.rssBytes!) // shared pages count in part
    expect(s.heapUsedBytes!).toBeLessThanOrEqual(s.heapTotalBytes!)
    expect(s.heapSpaces?.old_space?.usedBytes).toBeGreaterThan(0)
    expect(s.eventLoopDelayP99Ms).toBeNull() // no monitor started
  })

  it('reads smaps_rollup (PSS, private) at most once per smapsMinIntervalMs, null in between', () => {
    const first = sampleSelf({ heapSpaces: false, smapsMinIntervalMs: 0 })
    const throttled = sampleSelf({ heapSpaces: false, smapsMinIntervalMs: 60_000 })
    const defaulted = sampleSelf({ heapSpaces: false }) // default 1000 ms
    expect(first.pssBytes).toBeTypeOf('number')
    expect(throttled.pssBytes).toBeNull()
    expect(throttled.privateBytes).toBeNull()
    expect(defaulted.pssBytes).toBeNull()
    expect(defaulted.rssBytes).toBeTypeOf('number') // everything else is still read
    expect(() => sampleSelf({ smapsMinIntervalMs: -1 })).toThrow(ConfigError)
  })

  it('leaves heap spaces out on request', () => {
    expect(sampleSelf({ heapSpaces: false }).heapSpaces).toBeNull()
  })

  it('sees RSS rise by about 64 MiB when this process fills a 64 MiB Buffer', () => {
    const before = sampleSelf({ heapSpaces: false, smapsMinIntervalMs: 0 })
    const big = Buffer.alloc(64 * MiB, 0x5a) // alloc + fill touches every page
    retained.push(big)
    const after = sampleSelf({ heapSpaces: false, smapsMinIntervalMs: 0 })
    expect(big[64 * MiB - 1]).toBe(0x5a)
    const rssDelta = after.rssBytes! - before.rssBytes!
    expect(rssDelta).toBeGreaterThan(56 * MiB)
    expect(rssDelta).toBeLessThan(80 * MiB)
    expect(after.privateBytes! - before.privateBytes!).toBeGreaterThan(56 * MiB)
    expect(after.arrayBuffersBytes! - before.arrayBuffersBytes!).toBeGreaterThanOrEqual(64 * MiB)
    expect(after.peakRssBytes!).toBeGreaterThanOrEqual(after.rssBytes!)
  })

  it('agrees with process.memoryUsage() and /proc/self/status on RSS', async () => {
    // Three tries: a background GC free between the reads is not the probe's error.
    let worstGapBytes = Number.POSITIVE_INFINITY
    for (let attempt = 0; attempt < 3 && worstGapBytes >= 8 * MiB; attempt++) {
      const s = sampleSelf({ heapSpaces: false })
      const fromNode = process.memoryUsage.rss()
      const status = await readProcStatus('self')
      expect(status!.pid).toBe(process.pid)
      worstGapBytes = Math.max(Math.abs(s.rssBytes! - fromNode), Math.abs(s.rssBytes! - status!.rssBytes!))
    }
    expect(worstGapBytes).toBeLessThan(8 * MiB)
  })

  it('counts more threads once worker threads start', async () => {
    const before = sampleSelf({ heapSpaces: false }).threads!
    const workers = [0, 1].map(() => new Worker('setInterval(() => {}, 1000)', { eval: true }))
    try {
      await Promise.all(workers.map((w) => once(w, 'online')))
      expect(sampleSelf({ heapSpaces: false }).threads!).toBeGreaterThanOrEqual(before + 2)
    } finally {
      await Promise.all(workers.map((w) => w.terminate()))
    }
  })

  it('reports event-loop delay p99 since the previous sample once a monitor runs', async () => {
    startEventLoopMonitor({ resolutionMs: 1 })
    await sleep(20)
    const blockedUntil = Date.now() + 60
    while (Date.now() < blockedUntil) {
      // block the loop for 60 ms
    }
    await sleep(20)
    const s = sampleSelf({ heapSpaces: false })
    expect(s.eventLoopDelayP99Ms!).toBeGreaterThan(40)
    expect(s.eventLoopDelayP99Ms!).toBeLessThan(5000)
    // The histogram was reset by that sample: nothing recorded since.
    expect(sampleSelf({ heapSpaces: false }).eventLoopDelayP99Ms).toBeNull()
    stopEventLoopMonitor()
    await sleep(5)
    expect(sampleSelf({ heapSpaces: false }).eventLoopDelayP99Ms).toBeNull()
  })

  it('has a portable variant (used off Linux) with RSS and lifetime peak, and null Linux-only figures', () => {
    const linux = sampleSelf({ heapSpaces: false })
    const portable = sampleSelfPortable({ heapSpaces: false })
    expect(Math.abs(portable.rssBytes! - linux.rssBytes!)).toBeLessThan(8 * MiB)
    expect(portable.peakRssBytes!).toBeGreaterThanOrEqual(portable.rssBytes! - MiB)
    expect(portable.threads).toBeNull()
    expect(portable.swapBytes).toBeNull()
    expect(portable.pssBytes).toBeNull()
    expect(portable.privateBytes).toBeNull()
    expect(portable.heapUsedBytes).toBeTypeOf('number')
  })
})
