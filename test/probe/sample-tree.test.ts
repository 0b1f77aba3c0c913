import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptySample } from '../../src/probe/empty-sample.js'
import { descendantsFromParents, listDescendants, sampleTree, sumSamples } from '../../src/probe/sample-tree.js'
import { listProcessesPs, parsePsPidList } from '../../src/probe/sample-ps.js'
import { startNodeChild, type NodeChild } from './fixtures/node-child.js'

/** A parent that starts two idle Node children and prints their PIDs. */
const PARENT = `
const { spawn } = require('node:child_process');
const kids = [0, 1].map(() => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }));
Promise.all(kids.map((k) => new Promise((r) => k.once('spawn', r)))).then(() => console.log(kids.map((k) => k.pid).join(',')));
`

describe('sampleTree on a parent with two children', () => {
  let parent: NodeChild
  let kids: number[]

  beforeAll(async () => {
    parent = await startNodeChild(PARENT)
    kids = (await parent.nextLine()).split(',').map(Number)
  })
  afterAll(async () => {
    killKids()
    await parent.kill()
  })

  /** The grandchildren are ours too: end them by PID so none outlives the test. */
  function killKids(): void {
    for (const pid of kids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }

  it('lists the three processes, root first, and sums them', async () => {
    const tree = await sampleTree(parent.pid, { smapsMinIntervalMs: 0 })
    expect(tree?.rootPid).toBe(parent.pid)
    const pids = tree!.processes.map((p) => p.pid)
    expect(pids[0]).toBe(parent.pid)
    expect(pids.slice(1).sort()).toEqual([...kids].sort())
    const sum = (key: 'rssBytes' | 'pssBytes' | 'privateBytes' | 'threads') =>
      tree!.processes.reduce((acc, p) => {
        expect(p[key], key).toBeTypeOf('number')
        return acc + p[key]!
      }, 0)
    expect(tree!.total.rssBytes).toBe(sum('rssBytes'))
    expect(tree!.total.pssBytes).toBe(sum('pssBytes'))
    expect(tree!.total.privateBytes).toBe(sum('privateBytes'))
    expect(tree!.total.threads).toBe(sum('threads'))
    expect(tree!.total.pid).toBe(parent.pid)
    expect(tree!.total.peakRssBytes).toBeNull() // a sum of peaks is not a peak
    expect(tree!.total.heapUsedBytes).toBeNull()
  })

  it('finds the same descendants through ps (the non-Linux path)', async () => {
    expect(descendantsFromParents(parent.pid, await listProcessesPs()).sort()).toEqual([...kids].sort())
    expect((await listDescendants(parent.pid)).sort()).toEqual([...kids].sort())
  })

  it('returns null once the root is gone', async () => {
    killKids()
    await parent.kill()
    expect(await sampleTree(parent.pid)).toBeNull()
  })
})

describe('descendantsFromParents', () => {
  it('walks breadth first and ignores unrelated processes and self-parented entries', () => {
    const entries = [
      { pid: 0, ppid: 0 },
      { pid: 10, ppid: 1 },
      { pid: 11, ppid: 10 },
      { pid: 12, ppid: 10 },
      { pid: 13, ppid: 11 },
      { pid: 20, ppid: 1 },
    ]
    expect(descendantsFromParents(10, entries)).toEqual([11, 12, 13])
    expect(descendantsFromParents(13, entries)).toEqual([])
  })

  it('terminates on a cycle (a PID reused while the listing was taken)', () => {
    expect(descendantsFromParents(1, [{ pid: 2, ppid: 1 }, { pid: 1, ppid: 2 }])).toEqual([2])
  })
})

describe('sumSamples', () => {
  it('sums what is known and leaves a figure null only when no process has it', () => {
    const a = emptySample(1, 0)
    const b = emptySample(2, 0)
    a.rssBytes = 100
    b.rssBytes = 50
    b.swapBytes = 7
    const total = sumSamples(1, 5, [a, b])
    expect(total).toMatchObject({ pid: 1, atMs: 5, rssBytes: 150, swapBytes: 7, pssBytes: null, cpuUserMs: null })
  })
})

describe('parsePsPidList', () => {
  it('reads pid/ppid pairs and skips anything else', () => {
    expect(parsePsPidList('    1     0\n  42    1\nPID PPID\n\n')).toEqual([
      { pid: 1, ppid: 0 },
      { pid: 42, ppid: 1 },
    ])
  })
})
