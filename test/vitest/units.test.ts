/** memgate/vitest's pure parts: options, the baseline comparison, the baseline file, the outputs. */
import { describe, expect, test } from 'vitest'
import { appendToBaseline, buildReport, compareWithBaseline, renderVitestJunit, resolvePluginOptions, summaryLine, type ReportedTest, type TestMemoryFigures } from '../../src/vitest/index.js'
import { DEFAULT_INCREASE, resolveLimits, DEFAULT_LEAK } from '../../src/vitest/options.js'

const MiB = 1024 * 1024

describe('options', () => {
  test('sizes are parsed once, defaults filled, unknown keys rejected', () => {
    const r = resolvePluginOptions({ peakRss: '300 MB', retained: '2 MiB', leak: { iterations: 20 } })
    expect(r.worker.defaults).toEqual({ peakRssBytes: 300e6, retainedBytes: 2 * MiB, leak: { ...DEFAULT_LEAK, iterations: 20 }, baseline: true })
    expect(r.outputFile).toBe('reports/vitest-memory.json')
    expect(() => resolvePluginOptions({ peakRSS: '1 GB' } as never)).toThrow(/Unknown option memgate\(\)\.peakRSS/)
    expect(() => resolvePluginOptions({ retained: '2 parsecs' })).toThrow(/memgate\(\)\.retained/)
    expect(resolvePluginOptions({}, { MEMGATE_UPDATE_BASELINE: '1' }).updateBaseline).toBe(true)
    expect(r.worker.gcEveryTest).toBe(false)
    expect(resolvePluginOptions({ gcEveryTest: true }).worker.gcEveryTest).toBe(true)
    expect(() => resolvePluginOptions({ gcEveryTest: 'yes' } as never)).toThrow('Expected true or false for memgate().gcEveryTest but received yes (string)')
  })

  test('a test overrides the project defaults field by field', () => {
    const base = resolvePluginOptions({ peakRss: '300 MB', retained: '2 MB' }).worker.defaults
    expect(resolveLimits({ retained: '8 MB', leak: { heap: '1 MB' } }, base, 't')).toMatchObject({ peakRssBytes: 300e6, retainedBytes: 8e6, leak: { heapBytes: 1e6, iterations: 50 } })
    expect(() => resolveLimits({ peak: '1 GB' } as never, base, "meta.memgate of 'x'")).toThrow(/meta\.memgate of 'x'\.peak/)
  })
})

describe('compareWithBaseline', () => {
  const floor = DEFAULT_INCREASE.minPeakRssBytes
  test('a clear increase fails, noise is inconclusive, a small change passes', () => {
    const base = [100 * MiB, 101 * MiB, 99 * MiB, 100 * MiB]
    expect(compareWithBaseline('peakRssBytes', 140 * MiB, base, DEFAULT_INCREASE, floor).kind).toBe('fail')
    expect(compareWithBaseline('peakRssBytes', 101 * MiB, base, DEFAULT_INCREASE, floor).kind).toBe('pass')
    const noisy = [80 * MiB, 100 * MiB, 120 * MiB, 90 * MiB, 110 * MiB]
    expect(compareWithBaseline('peakRssBytes', 125 * MiB, noisy, DEFAULT_INCREASE, floor).kind).toBe('inconclusive')
  })

  test('fewer than three baseline values give no verdict; increases under the floor never fail', () => {
    expect(compareWithBaseline('peakRssBytes', 500 * MiB, [100 * MiB, 100 * MiB], DEFAULT_INCREASE, floor)).toMatchObject({ kind: 'inconclusive', baselineRuns: 2 })
    expect(compareWithBaseline('retainedHeapBytes', 200_000, [0, 0, 0, 0], DEFAULT_INCREASE, DEFAULT_INCREASE.minRetainedBytes).kind).toBe('pass')
  })
})

const figures = (key: string, peak: number, retained: number): TestMemoryFigures => ({
  key,
  gc: 'settled',
  peakRssBytes: peak,
  peakReset: true,
  peakRssIncreaseBytes: peak - 80 * MiB,
  retainedHeapBytes: retained,
  retainedRssBytes: 0,
  heapUsedBytes: 10 * MiB,
  durationMs: 12,
  limits: { peakRssBytes: 200e6 },
  exceeded: [],
  leakChecks: [],
  baseline: [],
})

describe('outputs', () => {
  const tests: ReportedTest[] = [
    { key: 'a.test.ts > small <one>', file: 'a.test.ts', name: 'small <one>', state: 'passed', figures: figures('a.test.ts > small <one>', 90 * MiB, 1000) },
    { key: 'a.test.ts > big', file: 'a.test.ts', name: 'big', state: 'passed', figures: figures('a.test.ts > big', 300 * MiB, 5 * MiB) },
    { key: 'b.test.ts > skipped', file: 'b.test.ts', name: 'skipped', state: 'skipped', figures: null },
  ]
  const report = buildReport(tests, null, false)

  test('JSON summary, JUnit properties (escaped), one summary line', () => {
    expect(report.summary).toMatchObject({ tests: 3, measured: 2, limitFailures: 0 })
    const xml = renderVitestJunit(report)
    expect(xml).toContain('name="small &lt;one&gt;"')
    expect(xml).toContain(`<property name="memgate.peakRssBytes" value="${300 * MiB}"/>`)
    expect(xml).toContain('<property name="memgate.limit.peakRssBytes" value="200000000"/>')
    const line = summaryLine(report, 1, 'out.json')
    expect(line).toBe('memgate: 2 tests measured; heaviest peak (over start): big +220 MiB (peak 300 MiB); most retained: big +5.00 MiB; report out.json')
  })

  test('a test read without a forced GC: no retained figures, said so in JUnit and the summary', () => {
    const quick: TestMemoryFigures = { ...figures('a.test.ts > quick', 120 * MiB, 0), gc: 'none', retainedHeapBytes: null, retainedRssBytes: null }
    const mixed = buildReport([...tests, { key: quick.key, file: 'a.test.ts', name: 'quick', state: 'passed', figures: quick }], null, false)
    expect(mixed.schemaVersion).toBe(2)
    const xml = renderVitestJunit(mixed)
    expect(xml).toMatch(/name="quick"[^>]*>\s*<properties>\s*<property name="memgate.peakRssBytes" value="\d+"\/>\s*<property name="memgate.peakRssIncreaseBytes" value="\d+"\/>\s*<property name="memgate.gc" value="none"\/>\s*<property name="memgate.retainedHeapBytes" value=""\/>/)
    expect(summaryLine(mixed, 1, 'out.json')).toBe('memgate: 3 tests measured; heaviest peak (over start): big +220 MiB (peak 300 MiB); most retained: big +5.00 MiB; 1 without retained figures (no limit or baseline asked for a GC); report out.json')
    const onlyQuick = buildReport([{ key: quick.key, file: 'a.test.ts', name: 'quick', state: 'passed', figures: quick }], null, false)
    expect(summaryLine(onlyQuick, 3, 'out.json')).toBe('memgate: 1 tests measured; heaviest peak (over start): quick +40.0 MiB (peak 120 MiB); 1 without retained figures (no limit or baseline asked for a GC); report out.json')
  })

  test('the baseline keeps the newest values per test and drops another platform', () => {
    let file = appendToBaseline(null, [{ key: 'k', peakRssBytes: 1, retainedHeapBytes: 10 }], 2)
    file = appendToBaseline(file, [{ key: 'k', peakRssBytes: 2, retainedHeapBytes: 20 }], 2)
    file = appendToBaseline(file, [{ key: 'k', peakRssBytes: 3, retainedHeapBytes: 30 }, { key: 'j', peakRssBytes: null, retainedHeapBytes: 5 }], 2)
    expect(file.tests).toEqual({ j: { peakRssBytes: [], retainedHeapBytes: [5] }, k: { peakRssBytes: [2, 3], retainedHeapBytes: [20, 30] } })
    // A run that read 'k' without a GC keeps its old retained values.
    expect(appendToBaseline(file, [{ key: 'k', peakRssBytes: 4, retainedHeapBytes: null }], 2).tests.k).toEqual({ peakRssBytes: [3, 4], retainedHeapBytes: [20, 30] })
    const foreign = { ...file, platform: 'darwin-arm64' }
    expect(appendToBaseline(foreign, [], 2).tests).toEqual({})
  })
})
