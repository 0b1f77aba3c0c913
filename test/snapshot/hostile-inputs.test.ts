/**
 * Issue 17 on `memgate inspect` and `memgate diff`: the edge count of a diff's "before" side,
 * snapshots of two processes, special files and symlink loops as inputs, and what a bad count says.
 */
import { execFileSync } from 'node:child_process'
import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { diffReportSchema } from '../../src/snapshot/index.js'
import { parseHeapSnapshot } from '../../src/snapshot/parser/parse.js'
import { runCli } from '../helpers/cli.js'
import { buildSnapshot, plantedHeap, tempDir, type SynthNode } from './helpers/synthetic.js'

let tmp: Awaited<ReturnType<typeof tempDir>>

/** Ten loose nodes with ids 2001..2019, all of one type: another process gives the same ids to other objects. */
const loose = (type: string, name: string): SynthNode[] => Array.from({ length: 10 }, (_, k) => ({ type, name, id: 2001 + 2 * k, selfSize: 8 }))

beforeAll(async () => {
  tmp = await tempDir()
  await tmp.file('a.heapsnapshot', buildSnapshot(plantedHeap(2)))
  await tmp.file('b.heapsnapshot', buildSnapshot(plantedHeap(4)))
  await tmp.file('a-no-counts.heapsnapshot', buildSnapshot(plantedHeap(2), { omitCounts: true, spaced: true }))
  await tmp.file('proc1.heapsnapshot', buildSnapshot([...plantedHeap(2), ...loose('string', 'x')]))
  await tmp.file('proc2.heapsnapshot', buildSnapshot([...plantedHeap(4), ...loose('closure', 'f')]))
  const same = buildSnapshot(plantedHeap(2))
  await tmp.file('Heap.20261206.180000.111.0.001.heapsnapshot', same)
  await tmp.file('Heap.20261206.180100.222.0.001.heapsnapshot', buildSnapshot(plantedHeap(4)))
  await symlink('loop-b', join(tmp.dir, 'loop-a'))
  await symlink('loop-a', join(tmp.dir, 'loop-b'))
  execFileSync('mkfifo', [join(tmp.dir, 'fifo')])
})
afterAll(() => tmp.cleanup())

describe('diff --json: edge counts', () => {
  it('reports the "before" snapshot edge count as inspect does (it was 0: its edges are skipped)', async () => {
    const json = await runCli(['diff', 'a.heapsnapshot', 'b.heapsnapshot', '--json'], { cwd: tmp.dir })
    const report = diffReportSchema.parse(JSON.parse(json.stdout))
    const inspect = JSON.parse((await runCli(['inspect', 'a.heapsnapshot', '--json'], { cwd: tmp.dir })).stdout) as { snapshot: { edgeCount: number } }
    expect(inspect.snapshot.edgeCount).toBe(8)
    expect(report.before.edgeCount).toBe(inspect.snapshot.edgeCount)
    expect(report.after.edgeCount).toBe(10)
    expect(report.ids).toEqual({ comparable: true, sharedIds: 8, mismatchedIds: 0 })
    expect(report.warnings).toBeUndefined()
  })

  it('counts the skipped edges when the header does not declare them', async () => {
    const graph = await parseHeapSnapshot(join(tmp.dir, 'a-no-counts.heapsnapshot'), { skipEdges: true })
    expect(graph.edgeCount).toBe(0)
    expect(graph.fileEdgeCount).toBe(8)
  })
})

describe('diff of snapshots from two processes', () => {
  it('warns in the text and prints per-class counts and sizes, not New/Freed', async () => {
    const { exitCode, stdout, stderr } = await runCli(['diff', 'proc1.heapsnapshot', 'proc2.heapsnapshot'], { cwd: tmp.dir })
    expect(exitCode).toBe(0)
    expect(stderr).toBe('')
    expect(stdout).toMatch(/^WARNING: These snapshots look like they come from two different processes \(10 of the 18 object ids they share name objects of different classes\)\. /)
    expect(stdout).not.toMatch(/New objects|Freed|Retainer paths/)
    expect(stdout).toContain('Class      Type     Count before  Count after  Net count  Size before  Size after  Net size')
    expect(stdout).toMatch(/^\(closure\) +closure +0 +10 +\+10 +0 B +80 B +\+80 B$/m)
    expect(stdout).toMatch(/^\(string\) +string +10 +0 +-10 +80 B +0 B +-80 B$/m)
    expect(stdout).toMatch(/^Planted +object +2 +4 +\+2 +80 B +160 B +\+80 B$/m)
  })

  it('warns in the JSON (and on stderr) and keeps every row consistent', async () => {
    const { exitCode, stdout, stderr } = await runCli(['diff', 'proc1.heapsnapshot', 'proc2.heapsnapshot', '--json'], { cwd: tmp.dir })
    expect(exitCode).toBe(0)
    expect(stderr).toMatch(/^memgate diff: warning: These snapshots look like they come from two different processes/)
    const report = diffReportSchema.parse(JSON.parse(stdout))
    expect(report.ids).toEqual({ comparable: false, sharedIds: 18, mismatchedIds: 10 })
    expect(report.warnings?.[0]).toMatch(/two different processes/)
    for (const c of report.classes) {
      expect(c.addedCount - c.removedCount).toBe(c.netCount)
      expect(c.retainers).toBeUndefined()
    }
    expect(report.addedCount - report.removedCount).toBe(report.after.nodeCount - report.before.nodeCount)
  })

  it("also trusts Node's default file names: two process ids are two processes", async () => {
    const { stdout } = await runCli(['diff', 'Heap.20261206.180000.111.0.001.heapsnapshot', 'Heap.20261206.180100.222.0.001.heapsnapshot'], { cwd: tmp.dir })
    expect(stdout).toMatch(/^WARNING: .*\(their file names give process ids 111 and 222\)/)
  })

  it('two snapshots of one process are not flagged', async () => {
    const { stdout } = await runCli(['diff', 'a.heapsnapshot', 'b.heapsnapshot'], { cwd: tmp.dir })
    expect(stdout).not.toContain('WARNING')
    expect(stdout).toContain('New objects    2 (80 B)')
  })
})

describe('special files and bad counts', () => {
  it.each([
    ['loop-a', /^memgate: SNAPSHOT_INVALID: Cannot read heap snapshot .*\/loop-a: it is a symbolic link loop/],
    ['/dev/zero', /^memgate: SNAPSHOT_INVALID: Invalid heap snapshot \/dev\/zero at byte 0: this is a character device, not a regular file\./],
    ['fifo', /^memgate: SNAPSHOT_INVALID: Invalid heap snapshot .*\/fifo at byte 0: this is a named pipe \(FIFO\), not a regular file\./],
  ])('inspect %s: exit 2, says what the file is', async (file, message) => {
    const r = await runCli(['inspect', file], { cwd: tmp.dir })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/permissions|empty|internal error/)
    const d = await runCli(['diff', 'a.heapsnapshot', file], { cwd: tmp.dir })
    expect(d.exitCode).toBe(2)
  })

  it.each([
    [['inspect', 'a.heapsnapshot', '--top', 'abc'], "Expected a positive integer for --top but received 'abc'"],
    [['inspect', 'a.heapsnapshot', '--top=abc'], "Expected a positive integer for --top but received 'abc'"],
    [['inspect', 'a.heapsnapshot', '--top', 'Infinity'], 'Expected a positive integer for --top but received Infinity'],
    [['inspect', 'a.heapsnapshot', '--top', '1e300'], "Expected a positive integer for --top but received '1e300'"],
    [['diff', 'a.heapsnapshot', 'b.heapsnapshot', '--retainers', '-1'], 'Expected a non-negative integer for --retainers but received -1'],
  ])('%j says what was typed', async (argv, message) => {
    const r = await runCli(argv, { cwd: tmp.dir })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toBe(`memgate: ${message}\nRun 'memgate --help' for usage.\n`)
  })
})

describe('memgate snapshot with a PID that is not a number', () => {
  it("names what was typed, not 'NaN' (exit 2)", async () => {
    const { exitCode, stderr } = await runCli(['snapshot', 'abc'])
    expect(exitCode).toBe(2)
    expect(stderr).toMatch(/^memgate: Expected a process id \(a positive integer\) for PID but received 'abc'\n/)
  })
})
