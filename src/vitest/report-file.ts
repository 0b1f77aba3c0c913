/**
 * The reporter's outputs as pure functions: the versioned JSON report, JUnit with per-test
 * figures as `<properties>`, and the one-line summary.
 */
import { formatBytes } from '../common/index.js'
import { xmlEscape } from '../baseline/index.js'
import type { TestMemoryFigures } from './figures.js'

/**
 * 2: `figures.gc` added; `retainedHeapBytes` and `retainedRssBytes` are null for tests read
 * without a forced GC (1 had them for every test); each leak check has `cpuMs` and `timings`.
 */
export const VITEST_REPORT_SCHEMA_VERSION = 2

/** One test in the report. */
export interface ReportedTest {
  key: string
  file: string
  name: string
  state: 'passed' | 'failed' | 'skipped' | 'pending'
  /** Null for tests that did not run or ran without memgate's hooks. */
  figures: TestMemoryFigures | null
}

/** The JSON report (`memgate.vitest`). */
export interface VitestMemoryReport {
  schemaVersion: number
  kind: 'memgate.vitest'
  createdAt: string
  platform: string
  node: string
  /** This report covers one shard only (no `--merge-reports`). */
  shard: { index: number; count: number } | null
  mergedFromBlobs: boolean
  summary: {
    tests: number
    measured: number
    limitFailures: number
    leakChecks: number
    leaksFound: number
    baseline: { pass: number; fail: number; inconclusive: number }
  }
  tests: ReportedTest[]
}

export function buildReport(tests: ReportedTest[], shard: VitestMemoryReport['shard'], mergedFromBlobs: boolean): VitestMemoryReport {
  const measured = tests.flatMap((t) => (t.figures ? [t.figures] : []))
  const verdicts = measured.flatMap((f) => f.baseline)
  const checks = measured.flatMap((f) => f.leakChecks)
  return {
    schemaVersion: VITEST_REPORT_SCHEMA_VERSION,
    kind: 'memgate.vitest',
    createdAt: new Date().toISOString(),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    shard,
    mergedFromBlobs,
    summary: {
      tests: tests.length,
      measured: measured.length,
      limitFailures: measured.filter((f) => f.exceeded.length > 0).length,
      leakChecks: checks.length,
      leaksFound: checks.filter((c) => c.leaked).length,
      baseline: {
        pass: verdicts.filter((v) => v.kind === 'pass').length,
        fail: verdicts.filter((v) => v.kind === 'fail').length,
        inconclusive: verdicts.filter((v) => v.kind === 'inconclusive').length,
      },
    },
    tests,
  }
}

/** `memgate.*` properties of one test, in bytes and ms. */
export function junitProperties(f: TestMemoryFigures): [string, string | number][] {
  const props: [string, string | number][] = [
    ['memgate.peakRssBytes', f.peakRssBytes ?? ''],
    ['memgate.peakRssIncreaseBytes', f.peakRssIncreaseBytes ?? ''],
    ['memgate.gc', f.gc],
    ['memgate.retainedHeapBytes', f.retainedHeapBytes ?? ''],
    ['memgate.retainedRssBytes', f.retainedRssBytes ?? ''],
    ['memgate.heapUsedBytes', f.heapUsedBytes],
  ]
  if (f.limits.peakRssBytes !== undefined) props.push(['memgate.limit.peakRssBytes', f.limits.peakRssBytes])
  if (f.limits.retainedBytes !== undefined) props.push(['memgate.limit.retainedBytes', f.limits.retainedBytes])
  if (f.limits.retainedRssBytes !== undefined) props.push(['memgate.limit.retainedRssBytes', f.limits.retainedRssBytes])
  f.leakChecks.forEach((c, i) => props.push([`memgate.leakCheck.${i}.growthBytes`, c.growthBytes]))
  for (const v of f.baseline) props.push([`memgate.baseline.${v.metric}`, v.kind])
  return props
}

/** JUnit XML: one `<testsuite>` per file, per-test figures as `<properties>`. */
export function renderVitestJunit(report: VitestMemoryReport): string {
  const byFile = new Map<string, ReportedTest[]>()
  for (const t of report.tests) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t])
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="memgate vitest memory" tests="${report.tests.length}">`]
  for (const [file, tests] of byFile) {
    const failures = tests.filter((t) => t.state === 'failed').length
    out.push(`  <testsuite name="${xmlEscape(file)}" tests="${tests.length}" failures="${failures}">`)
    for (const t of tests) {
      const time = t.figures ? (t.figures.durationMs / 1000).toFixed(3) : '0'
      out.push(`    <testcase classname="${xmlEscape(file)}" name="${xmlEscape(t.name)}" time="${time}">`)
      if (t.figures) {
        out.push('      <properties>')
        for (const [name, value] of junitProperties(t.figures)) out.push(`        <property name="${xmlEscape(name)}" value="${xmlEscape(String(value))}"/>`)
        out.push('      </properties>')
        const reasons = [...t.figures.exceeded, ...t.figures.baseline.filter((v) => v.kind === 'fail').map((v) => v.message)]
        if (reasons.length > 0) out.push(`      <failure message="${xmlEscape(reasons.join('; '))}"/>`)
      }
      if (t.state === 'skipped') out.push('      <skipped/>')
      out.push('    </testcase>')
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>', '')
  return out.join('\n')
}

/** One line: the heaviest tests by peak RSS and by retained heap, and the baseline verdicts. */
export function summaryLine(report: VitestMemoryReport, top: number, outputFile: string): string {
  const measured = report.tests.filter((t): t is ReportedTest & { figures: TestMemoryFigures } => t.figures !== null)
  if (measured.length === 0) return `memgate: no test measured (is the setup file loaded?); report ${outputFile}`
  const byPeak = [...measured].filter((t) => t.figures.peakRssIncreaseBytes !== null).sort((a, b) => b.figures.peakRssIncreaseBytes! - a.figures.peakRssIncreaseBytes!).slice(0, top)
  const byRetained = measured.filter((t) => t.figures.retainedHeapBytes !== null).sort((a, b) => b.figures.retainedHeapBytes! - a.figures.retainedHeapBytes!).slice(0, top)
  const parts = [`memgate: ${measured.length} tests measured`]
  if (top > 0 && byPeak.length > 0) parts.push(`heaviest peak (over start): ${byPeak.map((t) => `${t.name} ${formatBytes(t.figures.peakRssIncreaseBytes, true)} (peak ${formatBytes(t.figures.peakRssBytes)})`).join(', ')}`)
  if (top > 0 && byRetained.length > 0) parts.push(`most retained: ${byRetained.map((t) => `${t.name} ${formatBytes(t.figures.retainedHeapBytes, true)}`).join(', ')}`)
  const unsettled = measured.length - measured.filter((t) => t.figures.gc === 'settled').length
  if (unsettled > 0) parts.push(`${unsettled} without retained figures (no limit or baseline asked for a GC)`)
  const s = report.summary
  if (s.limitFailures > 0) parts.push(`${s.limitFailures} over a limit`)
  if (s.leakChecks > 0) parts.push(`${s.leaksFound} of ${s.leakChecks} leak checks leaked`)
  const b = s.baseline
  if (b.pass + b.fail + b.inconclusive > 0) parts.push(`baseline: ${b.fail} fail, ${b.inconclusive} inconclusive, ${b.pass} pass`)
  parts.push(`report ${outputFile}`)
  return parts.join('; ')
}
