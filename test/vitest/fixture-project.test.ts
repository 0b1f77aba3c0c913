/**
 * memgate/vitest end to end: the fixture project run by child `vitest run`s, as a user would.
 * One full run (leak, clean, peak, baseline verdicts, JSON, JUnit, summary) and one sharded run
 * merged from blobs (the figures travel in task meta), which also records a baseline.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { VitestBaselineFile, VitestMemoryReport } from '../../src/vitest/index.js'
import { runFixture, type ChildRun } from './run-fixture.js'

// Child vitest runs: ~15 s each on a quiet 2-core machine, several times that under load.
const CHILD_TIMEOUT_MS = 400_000

const ALL_TESTS = ['clean async handler', 'clean handler', 'meta form', 'over its peak', 'planted leak', 'under its peak after the reset', 'within its limits']
const platform = `${process.platform}-${process.arch}`
const nodeMajor = Number(process.versions.node.split('.')[0])

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memgate-vitest-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const readReport = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as VitestMemoryReport
const byName = (r: VitestMemoryReport, name: string) => r.tests.find((t) => t.name === name)!

describe('a full run of the fixture project', () => {
  let run: ChildRun
  let report: VitestMemoryReport
  beforeAll(async () => {
    const baseline: VitestBaselineFile = {
      schemaVersion: 1,
      kind: 'memgate.vitest.baseline',
      platform,
      nodeMajor,
      updatedAt: new Date().toISOString(),
      tests: {
        // Far below any worker's real peak, with a tight spread: a clear increase.
        'tests/clean.test.ts > meta form': { peakRssBytes: [10e6, 10.1e6, 9.9e6], retainedHeapBytes: [0, 1000, -1000] },
        // Two values: no spread yet, so no verdict.
        'tests/clean.test.ts > clean async handler': { peakRssBytes: [80e6, 81e6], retainedHeapBytes: [0, 0] },
      },
    }
    await writeFile(join(dir, 'baseline.json'), JSON.stringify(baseline))
    run = await runFixture([], { MEMGATE_FIXTURE_OUT: join(dir, 'full'), MEMGATE_FIXTURE_BASELINE: join(dir, 'baseline.json') })
    report = await readReport(join(dir, 'full', 'memory.json'))
  }, CHILD_TIMEOUT_MS)

  test('a planted leak fails with the constructor and a retainer path', () => {
    expect(run.exitCode).toBe(1)
    expect(run.output).toMatch(/FAIL\s+tests\/leak\.test\.ts > planted leak/)
    expect(run.output).toMatch(/expected fn not to leak memory, but what stays after GC grew by \+\d.* per 50 calls \(rounds of 50 calls: /)
    expect(run.output).toMatch(/\+\d+ LeakyRequest \([^)]+\), held by .*→ LeakyRequest/)
    expect(byName(report, 'planted leak').figures!.leakChecks[0]).toMatchObject({ leaked: true, iterations: 50 })
  })

  test('a clean function of the same shape passes', () => {
    for (const name of ['clean handler', 'clean async handler']) {
      expect(byName(report, name).state).toBe('passed')
      expect(byName(report, name).figures!.leakChecks[0]!.leaked).toBe(false)
    }
  })

  test('a test over its peakRss fails with the figure and the limit; the next one is measured from a reset', () => {
    expect(run.output).toMatch(/over its peak\n.*memgate: peak RSS [\d.]+ MiB is over the limit of 143 MiB by [\d.]+ MiB/)
    expect(byName(report, 'over its peak').state).toBe('failed')
    const after = byName(report, 'under its peak after the reset')
    expect(after.state).toBe('passed')
    expect(after.figures!.peakReset).toBe(true)
    expect(after.figures!.peakRssBytes!).toBeLessThan(150e6)
  })

  test('the JSON report lists every test with its figures', () => {
    // Schema 2: retained figures may be null (tests read without a forced GC).
    expect(report).toMatchObject({ schemaVersion: 2, kind: 'memgate.vitest', shard: null, mergedFromBlobs: false })
    expect(report.tests.map((t) => t.name).sort()).toEqual(ALL_TESTS)
    for (const t of report.tests) {
      expect(t.figures, t.name).not.toBeNull()
      expect(t.figures!.peakRssBytes).toBeGreaterThan(0)
      // The project-wide `retained: '8 MB'` makes every test ask for settled readings.
      expect(t.figures!.gc, t.name).toBe('settled')
      expect(typeof t.figures!.retainedHeapBytes).toBe('number')
      expect(typeof t.figures!.retainedRssBytes).toBe('number')
    }
    expect(byName(report, 'within its limits').figures!.limits).toEqual({ peakRssBytes: 1e9, retainedBytes: 1e6 })
    expect(byName(report, 'meta form').figures!.limits).toEqual({ retainedBytes: 2e6 })
    // The project-wide default reaches tests without their own limit.
    expect(byName(report, 'clean handler').figures!.limits).toEqual({ retainedBytes: 8e6 })
  })

  test('the per-test baseline: a clear increase fails, too few values are inconclusive', () => {
    const meta = byName(report, 'meta form')
    expect(meta.state).toBe('failed')
    expect(meta.figures!.baseline.find((v) => v.metric === 'peakRssBytes')!.kind).toBe('fail')
    expect(meta.figures!.baseline.find((v) => v.metric === 'retainedHeapBytes')!.kind).toBe('pass')
    expect(run.output).toMatch(/peak RSS grew past its baseline: .* vs baseline median 9\.\d\d MiB/)
    const few = byName(report, 'clean async handler')
    expect(few.state).toBe('passed')
    expect(few.figures!.baseline.map((v) => v.kind)).toEqual(['inconclusive', 'inconclusive'])
  })

  test('JUnit carries the figures as properties; one summary line names the heaviest tests', async () => {
    const junit = await readFile(join(dir, 'full', 'memory.junit.xml'), 'utf8')
    expect(junit).toMatch(/<testcase classname="tests\/peak\.test\.ts" name="over its peak"[^>]*>\s*<properties>\s*<property name="memgate\.peakRssBytes" value="\d+"\/>/)
    expect(junit).toContain('<property name="memgate.limit.peakRssBytes" value="150000000"/>')
    expect(run.output).toMatch(/memgate: 7 tests measured; heaviest peak \(over start\): over its peak \+\d/)
    expect(run.output).toMatch(/1 of 3 leak checks leaked; baseline: 1 fail, 2 inconclusive, 1 pass/)
  })
})

describe('--shard 1/2 + --shard 2/2 + --merge-reports', () => {
  test('keeps every test figures, and the merged run records the baseline', async () => {
    const blobs = join(dir, 'blobs')
    const shards = await Promise.all(
      [1, 2].map((i) => runFixture([`--shard=${i}/2`, '--reporter=blob', `--outputFile=${join(blobs, `blob-${i}.json`)}`], { MEMGATE_FIXTURE_OUT: join(dir, `shard-${i}`) })),
    )
    for (const s of shards) expect(s.output).not.toMatch(/memgate: \d+ tests measured/)
    const baselinePath = join(dir, 'recorded-baseline.json')
    const merged = await runFixture(['--merge-reports', blobs], { MEMGATE_FIXTURE_OUT: join(dir, 'merged'), MEMGATE_FIXTURE_BASELINE: baselinePath, MEMGATE_UPDATE_BASELINE: '1' })
    expect(merged.output).toMatch(/memgate: 7 tests measured/)
    const report = await readReport(join(dir, 'merged', 'memory.json'))
    expect(report.mergedFromBlobs).toBe(true)
    expect(report.tests.map((t) => t.name).sort()).toEqual(ALL_TESTS)
    for (const t of report.tests) expect(t.figures?.peakRssBytes, t.name).toBeGreaterThan(0)
    expect(byName(report, 'planted leak').figures!.leakChecks[0]!.leaked).toBe(true)
    const baseline = JSON.parse(await readFile(baselinePath, 'utf8')) as VitestBaselineFile
    // Passed tests only: a failing test's figures are not a baseline.
    expect(Object.keys(baseline.tests).sort(), shards.map((s) => s.output).join('\n')).toEqual([
      'tests/clean.test.ts > clean async handler',
      'tests/clean.test.ts > clean handler',
      'tests/clean.test.ts > meta form',
      'tests/clean.test.ts > within its limits',
      'tests/peak.test.ts > under its peak after the reset',
    ])
  }, CHILD_TIMEOUT_MS)
})
