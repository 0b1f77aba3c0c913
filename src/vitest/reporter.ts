/**
 * The memgate reporter (vitest Reporter API v4): reads each test's `meta().memgate.figures`
 * (recorded in the worker, carried through `--merge-reports` blobs), writes the JSON report and
 * the JUnit file, prints one summary line, and appends to the per-test baseline when asked.
 * It never fails the run itself: limits and baseline increases already failed their tests.
 */
import { isAbsolute, relative, resolve } from 'node:path'
import type { Reporter, TestModule, Vitest } from 'vitest/node'
import { writeFileAtomic, writeJsonAtomic } from '../common/index.js'
import { appendToBaseline, readVitestBaseline, writeVitestBaseline } from './baseline-store.js'
import type { ResolvedPluginOptions } from './options.js'
import { buildReport, renderVitestJunit, summaryLine, type ReportedTest } from './report-file.js'

/** Where the reporter writes. Paths resolved against the vitest root. */
export type MemgateReporterOptions = Pick<ResolvedPluginOptions, 'outputFile' | 'junitFile' | 'baselineFile' | 'updateBaseline' | 'baselineRuns' | 'summaryTop'>

export class MemgateReporter implements Reporter {
  private vitest: Vitest | undefined
  constructor(private readonly options: MemgateReporterOptions) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const config = this.vitest?.config
    const root = config?.root ?? process.cwd()
    const merged = Boolean(config?.mergeReports)
    const shard = !merged && config?.shard ? { index: config.shard.index, count: config.shard.count } : null
    const tests: ReportedTest[] = []
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const figures = t.meta().memgate?.figures ?? null
        tests.push({ key: figures?.key ?? `${m.relativeModuleId} > ${t.fullName}`, file: m.relativeModuleId, name: t.fullName, state: t.result().state, figures })
      }
    }
    tests.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    const report = buildReport(tests, shard, merged)
    const suffix = shard ? `.shard-${shard.index}-of-${shard.count}` : ''
    const withSuffix = (p: string) => p.replace(/(\.[^./]+)?$/, (ext) => `${suffix}${ext}`)
    const outputFile = resolve(root, withSuffix(this.options.outputFile))
    await writeJsonAtomic(outputFile, report)
    if (this.options.junitFile) await writeFileAtomic(resolve(root, withSuffix(this.options.junitFile)), renderVitestJunit(report))
    const shown = isAbsolute(this.options.outputFile) ? outputFile : relative(root, outputFile)
    const lines = [summaryLine(report, this.options.summaryTop, shown)]
    if (this.options.updateBaseline && this.options.baselineFile) {
      if (shard) {
        lines.push('memgate: baseline not updated from one shard; update it from the --merge-reports run')
      } else {
        const path = resolve(root, this.options.baselineFile)
        const measured = tests.flatMap((t) => (t.figures && t.state === 'passed' ? [t.figures] : []))
        const previous = (() => {
          try {
            return readVitestBaseline(path)
          } catch {
            return null
          }
        })()
        await writeVitestBaseline(path, appendToBaseline(previous, measured, this.options.baselineRuns))
        lines.push(`memgate: baseline ${relative(root, path)} updated with ${measured.length} tests`)
      }
    }
    const logger = this.vitest?.logger
    for (const line of lines) (logger ? logger.log(line) : process.stdout.write(`${line}\n`))
  }
}
