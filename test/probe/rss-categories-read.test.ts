/**
 * `readRssCategories` on real Node children: each grows one part of its memory on command, and
 * the parent (this test) reads the child's smaps before and after. The child only allocates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { MiB } from '../../src/common/units.js'
import { describeRssDiff, diffRssCategories } from '../../src/probe/rss-categories-diff.js'
import { readRssCategories, type RssCategories } from '../../src/probe/rss-categories-read.js'
import type { RssHints } from '../../src/probe/rss-categories.js'
import { startNodeChild, type NodeChild } from './fixtures/node-child.js'
import { readCategoriesMatchingVmRss } from './fixtures/vm-rss-bracket.js'

/** Child side: prints its own V8 figures as hints on "hints". */
const HINTS = `
const v8 = require('node:v8');
onCommand('hints', () => {
  const mu = process.memoryUsage();
  const v8HeapBytes = v8.getHeapSpaceStatistics().reduce((s, x) => s + x.space_size, 0);
  console.log(JSON.stringify({ v8HeapBytes, arrayBuffersBytes: mu.arrayBuffers, externalBytes: mu.external }));
});
`

async function hintsOf(child: NodeChild): Promise<RssHints> {
  child.send('hints')
  return JSON.parse(await child.nextLine()) as RssHints
}

async function step(child: NodeChild, command: string, reply: string): Promise<void> {
  child.send(command)
  expect(await child.nextLine()).toBe(reply)
}

function category(r: RssCategories, name: string): number {
  return r.categories.find((c) => c.name === name)?.rssBytes ?? 0
}

/** The categories sum to the RSS and PSS they split; read again, they match VmRSS within 2%. */
async function expectSumsToVmRss(r: RssCategories, hints?: RssHints): Promise<void> {
  expect(r.categories.reduce((s, c) => s + c.rssBytes, 0)).toBe(r.rssBytes)
  expect(r.categories.reduce((s, c) => s + c.pssBytes, 0)).toBe(r.pssBytes)
  await readCategoriesMatchingVmRss(r.pid, hints)
}

const BUFFER_CHILD = `${HINTS}
  let keep = null;
  onCommand('alloc', () => { keep = Buffer.allocUnsafeSlow(96 * 1024 * 1024); keep.fill(7); console.log('allocated'); });
  console.log('ready');`

const HEAP_CHILD = `${HINTS}
  const keep = [];
  onCommand('grow', () => { for (let i = 0; i < 300_000; i++) keep.push({ i, s: 'item' + i, a: [i, i + 1] }); console.log('grown'); });
  console.log('ready');`

/** Each worker thread (4 MiB stack) recurses until V8's stack limit, touching most of its stack. */
const WORKERS = 4
const THREADS_CHILD = `
  const { Worker } = require('node:worker_threads');
  let done = 0;
  onCommand('spawn', () => {
    for (let i = 0; i < ${WORKERS}; i++) {
      const w = new Worker("function deep(n) { return n === 0 ? 0 : 1 + deep(n - 1) + 0 * Math.random() } try { deep(1e7) } catch {} require('node:worker_threads').parentPort.postMessage('deep'); setInterval(() => {}, 1e6)", { eval: true });
      w.on('message', () => { if (++done === ${WORKERS}) console.log('deep'); });
    }
  });
  console.log('ready');`

// The children start together: under a loaded CI machine, startup is most of this file's time.
let bufferChild: NodeChild
let heapChild: NodeChild
let threadsChild: NodeChild
beforeAll(async () => {
  ;[bufferChild, heapChild, threadsChild] = await Promise.all([startNodeChild(BUFFER_CHILD), startNodeChild(HEAP_CHILD), startNodeChild(THREADS_CHILD)])
  for (const child of [bufferChild, heapChild, threadsChild]) expect(await child.nextLine()).toBe('ready')
})
afterAll(async () => {
  await Promise.all([bufferChild, heapChild, threadsChild].map((child) => child?.kill()))
})

describe('a child that allocates a 96 MiB Buffer.allocUnsafeSlow', () => {
  it('lands in malloc mmap blocks (glibc serves it with its own mmap), or ArrayBuffers with hints', async () => {
    const child = bufferChild
    const before = (await readRssCategories(child.pid))!
    const beforeWithHints = (await readRssCategories(child.pid, await hintsOf(child)))!
    await step(child, 'alloc', 'allocated')
    const after = (await readRssCategories(child.pid))!
    const afterWithHints = (await readRssCategories(child.pid, await hintsOf(child)))!

    const deltas = diffRssCategories(before, after)
    expect(deltas[0]?.name).toBe('malloc mmap blocks')
    expect(deltas[0]?.rssDeltaBytes).toBeGreaterThan(95 * MiB)
    expect(deltas[0]?.rssDeltaBytes).toBeLessThan(98 * MiB)
    expect(describeRssDiff(deltas)).toMatch(/^malloc mmap blocks \+9[67]\.\d MiB.*V8 heap [-+±]0\.\d MiB$/)

    const hinted = diffRssCategories(beforeWithHints, afterWithHints)
    expect(hinted[0]).toMatchObject({ name: 'ArrayBuffers/external', kind: 'array-buffers' })
    expect(hinted[0]?.rssDeltaBytes).toBeGreaterThan(95 * MiB)
    expect(afterWithHints.categories.find((c) => c.kind === 'array-buffers')?.basis).toBe('hint')
    await expectSumsToVmRss(after)
    await expectSumsToVmRss(afterWithHints, await hintsOf(child))
  })
})

describe('a child that grows its JS heap', () => {
  it('grows the V8 heap category, matching V8 own committed size', async () => {
    const child = heapChild
    const before = (await readRssCategories(child.pid))!
    await step(child, 'grow', 'grown')
    const hints = await hintsOf(child)
    const after = (await readRssCategories(child.pid, hints))!
    const deltas = diffRssCategories(before, after)
    const figures = `${describeRssDiff(deltas, { limit: 5 })}; V8 heap ${category(after, 'V8 heap')} B resident, ${hints.v8HeapBytes} B committed`
    expect(deltas[0]?.name, figures).toBe('V8 heap')
    expect(deltas[0]?.rssDeltaBytes, figures).toBeGreaterThan(30 * MiB)
    // Found by address, not by the hint, yet within 25% of the heap V8 reports: resident pages are
    // committed ones, give or take pages freed by a GC that V8's background unmapper has not yet
    // returned (late on a loaded machine) and committed pages not yet touched.
    const v8Rss = category(after, 'V8 heap')
    expect(Math.abs(v8Rss - hints.v8HeapBytes!) / hints.v8HeapBytes!, figures).toBeLessThan(0.25)
    expect(describeRssDiff(deltas)).toMatch(/^V8 heap \+\d+\.\d MiB/)
    await expectSumsToVmRss(after, hints)
  })
})

describe('a child with many threads', () => {
  it('puts the touched thread stacks in the stacks category', async () => {
    const child = threadsChild
    const before = (await readRssCategories(child.pid))!
    await step(child, 'spawn', 'deep')
    const after = (await readRssCategories(child.pid))!
    const stacks = diffRssCategories(before, after).find((d) => d.name === 'thread stacks')!
    // ~3.8 MiB touched per worker (4 MiB stacks less V8's safety margin); little else is stack-shaped.
    expect(stacks.rssDeltaBytes).toBeGreaterThan(WORKERS * 3 * MiB)
    expect(stacks.rssDeltaBytes).toBeLessThan(WORKERS * 4.2 * MiB)
    expect(stacks.kind).toBe('stacks')
    await expectSumsToVmRss(after)
  })
})

describe('readRssCategories', () => {
  it('reads this very process, naming nearly all of its RSS', async () => {
    const r = (await readRssCategories(process.pid))!
    expect(r.pid).toBe(process.pid)
    expect(r.atMs).toBeGreaterThan(Date.now() - 60_000)
    expect(r.readMs).toBeGreaterThan(0)
    expect(r.mappingCount).toBeGreaterThan(50)
    expect(category(r, 'node')).toBeGreaterThan(10 * MiB) // node's code
    expect(category(r, 'V8 heap')).toBeGreaterThan(4 * MiB)
    expect(category(r, 'other anonymous') / r.rssBytes).toBeLessThan(0.1)
    await expectSumsToVmRss(r)
  })

  it('returns null for a process that is gone, and rejects a bad pid', async () => {
    const child = await startNodeChild('console.log("ready")')
    expect(await child.nextLine()).toBe('ready')
    await child.kill()
    expect(await readRssCategories(child.pid)).toBeNull()
    await expect(readRssCategories(0)).rejects.toThrow(ConfigError)
  })
})
