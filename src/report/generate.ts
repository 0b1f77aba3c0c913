/**
 * From input to files: compute the report, compose the document, draw its charts, render the
 * formats. Returns the files' names and contents and writes nothing: the caller (the CLI) writes
 * them atomically where it wants.
 */
import { renderChartPng } from './charts/render.js'
import { chartsOf, composeReport, type Doc } from './compose/index.js'
import type { ReportFormat, ReportInput } from './input.js'
import { buildReport, type Report } from './model/report.js'
import { renderHtml } from './render/html.js'
import { renderMarkdown } from './render/markdown.js'

/** A file of the report, relative to the output directory. */
export interface ReportFile {
  name: string
  data: string | Uint8Array
}

/** What {@link generateReport} produces. */
export interface GeneratedReport {
  report: Report
  doc: Doc
  /** `report.md` and its PNG charts, and/or `report.html` (charts embedded), in that order. */
  files: ReportFile[]
}

/** File names of the formats. */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = { md: 'report.md', html: 'report.html' }

/**
 * Generates the report of `input` in `formats`.
 * @example const { files } = await generateReport({ lang: 'es', run: { run, dir, verdicts }, before: null }, ['md', 'html'])
 */
export async function generateReport(input: ReportInput, formats: readonly ReportFormat[]): Promise<GeneratedReport> {
  const report = buildReport(input)
  const doc = composeReport(report)
  const charts = [...new Map(chartsOf(doc).map((c) => [c.id, c])).values()]
  const images = new Map<string, Uint8Array>()
  // One at a time: each chart holds a full canvas, and drawing is CPU-bound anyway.
  for (const chart of charts) images.set(chart.id, await renderChartPng(chart))
  const files: ReportFile[] = []
  if (formats.includes('md')) {
    files.push({ name: REPORT_FILES.md, data: renderMarkdown(doc) })
    for (const chart of charts) files.push({ name: chart.file, data: images.get(chart.id)! })
  }
  if (formats.includes('html')) files.push({ name: REPORT_FILES.html, data: renderHtml(doc, images) })
  return { report, doc, files }
}
