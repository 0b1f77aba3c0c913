/**
 * The goal of smaps attribution on the workload memgate was built for: in a Node process running
 * the OCR engine (ONNX Runtime, sharp, canvas), at least 90% of RSS falls in a named category,
 * not "other anonymous", at every stage (engine open, after a recognition, after close), and the
 * categories sum to VmRSS within 2% (read between two VmRSS reads: the process is live).
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MiB } from '../../src/common/units.js'
import type { RssCategories } from '../../src/probe/rss-categories-read.js'
import type { RssHints } from '../../src/probe/rss-categories.js'
import { readCategoriesMatchingVmRss } from './fixtures/vm-rss-bracket.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Child: each command does one stage, then prints its own V8 figures as hints. */
const OCR_CHILD = `
import v8 from 'node:v8'
import { createInterface } from 'node:readline'
import { openEngine } from '${ROOT}src/engine/index.ts'
import { renderPage } from '${ROOT}test/helpers/render-page.ts'
let engine
const hints = () => {
  const mu = process.memoryUsage()
  return JSON.stringify({ v8HeapBytes: v8.getHeapSpaceStatistics().reduce((s, x) => s + x.space_size, 0), arrayBuffersBytes: mu.arrayBuffers, externalBytes: mu.external })
}
const stages = {
  open: async () => { engine = await openEngine({ profile: 'lean' }) },
  run: async () => { await engine.recognize(renderPage(['Invoice No. INV-2024-0042', 'Date: 2024-03-15', 'Total due: 1,234.56 EUR'], { width: 640, height: 200, fontPx: 24 })) },
  close: async () => { await engine.close() },
}
createInterface({ input: process.stdin }).on('line', async (line) => { await stages[line](); console.log(hints()) })
console.log('ready')
`

describe('RSS categories of a process running the OCR engine', () => {
  let child: ReturnType<typeof spawn>
  let nextLine: () => Promise<string>

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', OCR_CHILD], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
    nextLine = async () => (await lines.next()).value as string
    expect(await nextLine()).toBe('ready')
  })
  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
  })

  async function stage(name: string): Promise<RssCategories> {
    child.stdin!.write(`${name}\n`)
    const hints = JSON.parse(await nextLine()) as RssHints
    return readCategoriesMatchingVmRss(child.pid!, hints)
  }

  it('names ≥ 90% of RSS at every stage, and the categories sum to VmRSS', async () => {
    for (const name of ['open', 'run', 'close']) {
      const r = await stage(name)
      const other = r.categories.filter((c) => c.kind === 'other-anon').reduce((s, c) => s + c.rssBytes, 0)
      const named = 1 - other / r.rssBytes
      expect(named, `${name}: ${(named * 100).toFixed(2)}% named`).toBeGreaterThanOrEqual(0.9)
      const rss = (n: string): number => r.categories.find((c) => c.name === n)?.rssBytes ?? 0
      expect(rss('libonnxruntime.so'), name).toBeGreaterThan(10 * MiB) // its code
      expect(rss('V8 heap'), name).toBeGreaterThan(10 * MiB)
      // Model weights and ORT's arena: in [heap], arenas or blocks of their own, by malloc's
      // moving mmap threshold (this child runs without lean's environment); [heap] + arenas alone
      // read 15 MiB once, the rest in malloc mmap blocks.
      const malloc = r.categories.filter((c) => c.kind === 'malloc').reduce((s, c) => s + c.rssBytes, 0)
      console.log(`${name}: ${(named * 100).toFixed(1)}% named; malloc ${(malloc / MiB).toFixed(1)} MiB (${['glibc malloc [heap]', 'glibc malloc arenas', 'malloc mmap blocks'].map((n) => `${n} ${(rss(n) / MiB).toFixed(1)}`).join(', ')})`)
      expect(malloc, name).toBeGreaterThan(20 * MiB)
    }
  })
})
