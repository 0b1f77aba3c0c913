/**
 * Real V8 snapshots of a child process with planted objects (fixtures/plant.ts): exact counts,
 * the diff's growth, retainer paths, leak suspects, the CLI on them, and the memory bound.
 */
import { execFile } from 'node:child_process'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  classNameFor,
  diffReportSchema,
  diffSnapshotFiles,
  findLeakSuspectsInFiles,
  inspectReportSchema,
  inspectSnapshotFile,
  leakSuspectsReportSchema,
  parseHeapSnapshot,
  summarizeHeap,
  type CaptureResult,
} from '../../src/snapshot/index.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from './helpers/synthetic.js'

const run = promisify(execFile)
const repo = join(import.meta.dirname, '../..')
const MiB = 1024 * 1024

let tmp: Awaited<ReturnType<typeof tempDir>>
let captures: CaptureResult[]
let s1: string
let s2: string
let s3: string

beforeAll(async () => {
  tmp = await tempDir()
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/snapshot/fixtures/plant.ts', tmp.dir], { cwd: repo })
  captures = JSON.parse(stdout) as CaptureResult[]
  ;[s1, s2, s3] = captures.map((c) => c.path) as [string, string, string]
})
afterAll(() => tmp.cleanup())

/** Per-class count and self size straight from JSON.parse, independent of memgate's parser. */
async function countWithJsonParse(path: string): Promise<Map<string, { count: number; selfSizeBytes: number }>> {
  const s = JSON.parse(await readFile(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }
    nodes: number[]
    strings: string[]
  }
  const fields = s.snapshot.meta.node_fields
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number]
  const out = new Map<string, { count: number; selfSizeBytes: number }>()
  for (let i = 0; i < s.nodes.length; i += fields.length) {
    const nodeType = s.snapshot.meta.node_types[0][s.nodes[i + type]!]!
    const key = `${nodeType}:${classNameFor(nodeType, s.strings[s.nodes[i + name]!]!)}`
    const row = out.get(key) ?? { count: 0, selfSizeBytes: 0 }
    row.count++
    row.selfSizeBytes += s.nodes[i + size]!
    out.set(key, row)
  }
  return out
}

describe('captureHeapSnapshot', () => {
  it('writes complete, renamed snapshot files and reports their cost', async () => {
    expect(captures).toHaveLength(3)
    for (const c of captures) {
      expect((await stat(c.path)).size).toBe(c.sizeBytes)
      expect(c.durationMs).toBeGreaterThan(0)
      expect(c.rssBeforeBytes).toBeGreaterThan(10 * MiB)
      expect(c.rssAfterBytes).toBeGreaterThan(10 * MiB)
      const head = (await readFile(c.path)).subarray(0, 30).toString()
      expect(head).toBe('{"snapshot":{"meta":{"node_fie')
    }
    expect((await readdir(tmp.dir)).sort()).toEqual(['s1.heapsnapshot', 's2.heapsnapshot', 's3.heapsnapshot'])
  })
})

describe('on real snapshots', () => {
  it('counts every class exactly as a JSON.parse of the same file does', async () => {
    const expected = await countWithJsonParse(s2)
    const summary = summarizeHeap(await parseHeapSnapshot(s2))
    const actual = new Map(summary.classes.map((c) => [`${c.nodeType}:${c.className}`, { count: c.count, selfSizeBytes: c.selfSizeBytes }]))
    expect(actual).toEqual(expected)
    expect(expected.get('object:Planted')?.count).toBe(100_000)
    expect((await countWithJsonParse(s1)).get('object:Planted')).toBeUndefined()
  })

  it('inspect finds the planted objects with their retained sizes', async () => {
    const report = inspectReportSchema.parse(await inspectSnapshotFile(s2, { top: 1000 }))
    const planted = report.classes.find((c) => c.className === 'Planted')!
    expect(planted.count).toBe(100_000)
    expect(planted.retainedSizeBytes).toBeGreaterThanOrEqual(planted.selfSizeBytes)
    const buffers = report.classes.find((c) => c.className === 'system / JSArrayBufferData')!
    expect(buffers.selfSizeBytes).toBeGreaterThanOrEqual(20 * MiB)
    // The Map retains every Planted object and its hash table.
    const map = report.classes.find((c) => c.className === 'Map')!
    expect(map.retainedSizeBytes).toBeGreaterThan(planted.selfSizeBytes)
  })

  it('diff shows +100,000 Planted and 20 MiB of buffers, with the Map on the retainer path', async () => {
    const report = diffReportSchema.parse(await diffSnapshotFiles(s1, s2, { top: 10 }))
    const planted = report.classes.find((c) => c.className === 'Planted')!
    expect(planted).toMatchObject({ countBefore: 0, countAfter: 100_000, addedCount: 100_000, removedCount: 0, netCount: 100_000 })
    expect(planted.retainers!.examined).toBe(2000)
    expect(planted.retainers!.clusters[0]!.count).toBe(2000)
    expect(planted.retainers!.clusters[0]!.path.text).toBe('Map (global leakyCache) → table → Planted')
    const buffers = report.classes.find((c) => c.className === 'system / JSArrayBufferData')!
    expect(buffers.netSizeBytes).toBeGreaterThanOrEqual(20 * MiB)
    expect(buffers.retainers!.clusters[0]!.path.text).toMatch(/^Array \(global bufferHoard\) → \[\d+\] → Buffer → buffer → ArrayBuffer → backing_store → system \/ JSArrayBufferData$/)
    expect(report.classes[0]!.className).toBe('system / JSArrayBufferData')
    expect(report.classes.find((c) => c.className === 'Transient')).toMatchObject({ addedCount: 5000 })
  })

  it('leak suspects keep what survives into the third snapshot and drop the transients', async () => {
    const report = leakSuspectsReportSchema.parse(await findLeakSuspectsInFiles([s1, s2, s3], { top: 50 }))
    const planted = report.classes.find((c) => c.className === 'Planted')!
    expect(planted.count).toBe(100_000)
    expect(planted.retainers.clusters[0]!.path.text).toBe('Map (global leakyCache) → table → Planted')
    expect(report.classes.find((c) => c.className === 'Transient')).toBeUndefined()
    expect(report.classes[0]!.className).toBe('system / JSArrayBufferData')
    // The 20 planted 1 MiB buffers; V8 or the fixture's runtime may keep one small buffer of its
    // own between snapshots 1 and 2 (seen once in CI: 21 objects), so count the bytes, not the objects.
    expect(report.classes[0]!.count).toBeGreaterThanOrEqual(20)
    expect(report.classes[0]!.count).toBeLessThanOrEqual(22)
    expect(report.classes[0]!.sizeBytes).toBeGreaterThanOrEqual(20 * MiB)
    expect(report.classes[0]!.sizeBytes).toBeLessThan(20 * MiB + 256 * 1024)
  })

  it('the CLI prints the growth and the path', async () => {
    const diff = await runCli(['diff', s1, s2, '--top', '3', '--retainers', '1'], { cwd: tmp.dir })
    expect(diff.exitCode).toBe(0)
    expect(diff.stderr).toBe('')
    expect(diff.stdout).toMatch(/^Planted +object +100,000 +0 +\+100,000 +\+3\.81 MiB +100,000 +3\.81 MiB$/m)
    expect(diff.stdout).toContain('  100%  Map (global leakyCache) → table → Planted  (e.g. @')
    const inspect = await runCli(['inspect', 's2.heapsnapshot', '--json', '--top', '500'], { cwd: tmp.dir })
    expect(inspect.exitCode).toBe(0)
    const report = inspectReportSchema.parse(JSON.parse(inspect.stdout))
    expect(report.classes.find((c) => c.className === 'Planted')?.count).toBe(100_000)
  })

  it('stays within its memory bound: peak RSS growth ≤ 1.5 × file size + 24 MiB', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/snapshot/fixtures/parse-peak.ts', s2], { cwd: repo })
    const m = JSON.parse(stdout) as { fileSizeBytes: number; startRssBytes: number; peakRssBytes: number }
    expect(m.peakRssBytes - m.startRssBytes).toBeLessThanOrEqual(1.5 * m.fileSizeBytes + 24 * MiB)
  })
})
