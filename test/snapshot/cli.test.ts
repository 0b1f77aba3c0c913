/** `memgate inspect` and `memgate diff`, driven in-process on synthetic snapshots with known contents. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { progressPrinter } from '../../src/cli/format.js'
import { diffReportSchema, inspectReportSchema } from '../../src/snapshot/index.js'
import { runCli } from '../helpers/cli.js'
import { buildSnapshot, plantedHeap, tempDir } from './helpers/synthetic.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
  await tmp.file('a.heapsnapshot', buildSnapshot(plantedHeap(2)))
  await tmp.file('b.heapsnapshot', buildSnapshot(plantedHeap(4)))
  await tmp.file('garbage.heapsnapshot', 'this is not json')
})
afterAll(() => tmp.cleanup())

describe('memgate inspect', () => {
  it('prints totals and classes by retained size', async () => {
    const { exitCode, stdout, stderr } = await runCli(['inspect', 'b.heapsnapshot'], { cwd: tmp.dir })
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    expect(stdout).toBe(
      [
        'Snapshot  b.heapsnapshot (932 B)',
        'Heap      10 objects, 10 references, 280 B (280 B reachable, 0 unreachable objects)',
        '',
        'Class        Type       Count  Self size  Retained',
        '-----------  ---------  -----  ---------  --------',
        'global       object         1       40 B     280 B',
        'Map          object         1       32 B     240 B',
        '(array)      array          1       48 B     208 B',
        'Planted      object         4      160 B     160 B',
        '(synthetic)  synthetic      3        0 B       0 B',
        '',
      ].join('\n'),
    )
  })

  it('--top limits the rows and says so; --json prints the versioned report', async () => {
    const top = await runCli(['inspect', 'b.heapsnapshot', '--top', '2'], { cwd: tmp.dir })
    expect(top.stdout.split('\n').slice(3)).toEqual([
      'Class   Type    Count  Self size  Retained',
      '------  ------  -----  ---------  --------',
      'global  object      1       40 B     280 B',
      'Map     object      1       32 B     240 B',
      '(2 of 5 classes; --top to show more)',
      '',
    ])
    const json = await runCli(['inspect', 'b.heapsnapshot', '--json', '--top', '1'], { cwd: tmp.dir })
    expect(json.exitCode).toBe(0)
    const report = inspectReportSchema.parse(JSON.parse(json.stdout))
    expect(report).toMatchObject({
      schemaVersion: 1,
      kind: 'memgate.snapshot.inspect',
      snapshot: { path: `${tmp.dir}/b.heapsnapshot`, fileSizeBytes: 932, nodeCount: 10, edgeCount: 10, totalSelfSizeBytes: 280 },
      reachableSizeBytes: 280,
      unreachableCount: 0,
      classCount: 5,
      classes: [{ className: 'global', nodeType: 'object', count: 1, selfSizeBytes: 40, retainedSizeBytes: 280 }],
    })
  })
})

describe('memgate diff', () => {
  it('prints totals, growth by class and retainer paths', async () => {
    const { exitCode, stdout, stderr } = await runCli(['diff', 'a.heapsnapshot', 'b.heapsnapshot'], { cwd: tmp.dir })
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    expect(stdout).toBe(
      [
        '        Snapshot         File  Objects   Heap',
        '------  --------------  -----  -------  -----',
        'before  a.heapsnapshot  873 B        8  184 B',
        'after   b.heapsnapshot  932 B       10  280 B',
        '',
        'New objects    2 (80 B)',
        'Freed objects  0 (0 B)',
        'Net change     +2 objects (+96 B)',
        '',
        'Class    Type    New  Freed  Net count  Net size  Count after  Size after',
        '-------  ------  ---  -----  ---------  --------  -----------  ----------',
        'Planted  object    2      0         +2     +80 B            4       160 B',
        '(array)  array     0      0          0     +16 B            1        48 B',
        '',
        'Retainer paths of new objects (shortest path from a GC root; share of the objects examined):',
        '',
        'Planted  +2 new, 2 examined',
        '  100%  Map (global leakyCache) → table → Planted  (e.g. @1005)',
        '',
      ].join('\n'),
    )
  })

  it('--retainers 0 leaves paths out; --json validates against the schema', async () => {
    const none = await runCli(['diff', 'a.heapsnapshot', 'b.heapsnapshot', '--retainers', '0'], { cwd: tmp.dir })
    expect(none.stdout).not.toContain('Retainer paths')
    const json = await runCli(['diff', 'a.heapsnapshot', 'b.heapsnapshot', '--json'], { cwd: tmp.dir })
    const report = diffReportSchema.parse(JSON.parse(json.stdout))
    expect(report).toMatchObject({ schemaVersion: 1, kind: 'memgate.snapshot.diff', addedCount: 2, addedSizeBytes: 80, removedCount: 0, classCount: 2 })
    expect(report.classes[0]!.retainers!.clusters[0]!.path.steps.map((s) => s.className)).toEqual(['global', 'Map', '(array)', 'Planted'])
  })

  it('a snapshot against itself shows no change', async () => {
    const { exitCode, stdout } = await runCli(['diff', 'a.heapsnapshot', 'a.heapsnapshot'], { cwd: tmp.dir })
    expect(exitCode).toBe(0)
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('No objects were added or freed between the snapshots.')
  })
})

describe('errors', () => {
  it('a missing snapshot is exit 2 with SNAPSHOT_NOT_FOUND', async () => {
    const { exitCode, stdout, stderr } = await runCli(['diff', 'a.heapsnapshot', 'missing.heapsnapshot'], { cwd: tmp.dir })
    expect(exitCode).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      `memgate: SNAPSHOT_NOT_FOUND: Heap snapshot not found: ${tmp.dir}/missing.heapsnapshot. Check the path (relative paths are resolved from the current directory).\n`,
    )
  })

  it('a file that is not a snapshot is exit 2 with SNAPSHOT_INVALID and the byte offset', async () => {
    const { exitCode, stderr } = await runCli(['inspect', 'garbage.heapsnapshot'], { cwd: tmp.dir })
    expect(exitCode).toBe(2)
    expect(stderr).toMatch(
      new RegExp(`^memgate: SNAPSHOT_INVALID: Invalid heap snapshot ${tmp.dir}/garbage\\.heapsnapshot at byte 0: expected '\\{' .* but found 't'\\. Expected a V8 \\.heapsnapshot file`),
    )
  })

  it('bad counts are usage errors', async () => {
    const top = await runCli(['inspect', 'a.heapsnapshot', '--top', '0'], { cwd: tmp.dir })
    expect(top.exitCode).toBe(2)
    expect(top.stderr).toBe("memgate: Expected a positive integer for --top but received 0\nRun 'memgate --help' for usage.\n")
    const retainers = await runCli(['diff', 'a.heapsnapshot', 'b.heapsnapshot', '--retainers', '1.5'], { cwd: tmp.dir })
    expect(retainers.exitCode).toBe(2)
    expect(retainers.stderr).toContain('Expected a non-negative integer for --retainers but received 1.5')
  })
})

describe('progress', () => {
  const capture = (isTTY: boolean) => {
    let text = ''
    return { stream: { isTTY, write: (s: string) => ((text += s), true) }, text: () => text }
  }

  it('shows a live percentage for big files on a terminal, and clears it', () => {
    const out = capture(true)
    const p = progressPrinter(out.stream)
    p.update('big.heapsnapshot', 50 * 1024 * 1024, 100 * 1024 * 1024)
    p.update('big.heapsnapshot', 50 * 1024 * 1024 + 1, 100 * 1024 * 1024)
    p.done()
    expect(out.text()).toBe('\rreading big.heapsnapshot: 50% of 100 MiB\u001b[K\r\u001b[K')
  })

  it('stays quiet when stderr is not a terminal or the file is small', () => {
    const pipe = capture(false)
    progressPrinter(pipe.stream).update('big', 1, 100 * 1024 * 1024)
    const small = capture(true)
    progressPrinter(small.stream).update('small', 1, 1024 * 1024)
    expect(pipe.text() + small.text()).toBe('')
  })
})
