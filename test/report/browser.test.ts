/**
 * The HTML report in a real browser: headless Chromium (the system's, else the one
 * `@sparticuz/chromium` ships in its npm package; driven by playwright-core) opens it from disk with every network request refused, and the test checks
 * what a reader would: no console error, every chart drawn at a non-zero size, the key figures on
 * the page, the verdict and the timeline on the first screen, and a print layout. Screenshots and
 * a PDF go to test/report/__output__/ for a person to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateReport, type GeneratedReport } from '../../src/report/index.js'
import { formatterFor } from '../../src/report/format.js'
import { compareInput, removeTempDirs, singleInput, tempDir } from '../fixtures/report/judge.js'
import { makeSuiteRun } from '../fixtures/report/runs.js'
import { findChromium } from '../helpers/chromium.js'

const OUT = join(import.meta.dirname, '__output__')
/** The flags CI uses: no sandbox (containers), no GPU, and nothing that phones home. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync']
/** A laptop's first screen. */
const VIEWPORT = { width: 1280, height: 900 }

let browser: BrowserContext

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true })
  const found = await findChromium()
  browser = await chromium.launchPersistentContext(tempDir('memgate-chromium-'), { executablePath: found.executablePath, headless: true, args: [...new Set([...found.args, ...FLAGS])], viewport: VIEWPORT })
})

afterAll(async () => {
  await browser?.close()
  removeTempDirs()
})

interface Opened {
  errors: string[]
  external: string[]
  charts: { id: string; complete: boolean; naturalWidth: number; naturalHeight: number; width: number; height: number }[]
  text: string
}

/** Writes the report's HTML under __output__, opens it, and collects what the checks need. */
async function open(generated: GeneratedReport, name: string): Promise<Opened> {
  const html = generated.files.find((f) => f.name === 'report.html')!
  const file = join(OUT, `${name}.html`)
  writeFileSync(file, html.data)
  const page = await browser.newPage()
  const errors: string[] = []
  const external: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue()
    external.push(url)
    return route.abort()
  })
  await page.goto(`file://${file}`, { waitUntil: 'load' })
  const charts = await page.$$eval('figure.chart img', (imgs) =>
    imgs.map((i) => ({ id: i.closest('figure')?.getAttribute('data-chart') ?? '', complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight, width: i.clientWidth, height: i.clientHeight })),
  )
  const text = await page.innerText('body')
  // Browser-side code as a string: the project compiles without the DOM library.
  const firstScreen = (await page.evaluate(`(() => {
    const top = (sel) => document.querySelector(sel)?.getBoundingClientRect().top ?? Infinity
    return { callout: top('#summary .callout'), kpis: top('#summary .kpis'), chart: top('#summary figure.chart') }
  })()`)) as { callout: number; kpis: number; chart: number }
  expect(firstScreen.callout, 'verdict banner on the first screen').toBeLessThan(VIEWPORT.height)
  expect(firstScreen.kpis, 'key figures on the first screen').toBeLessThan(VIEWPORT.height)
  expect(firstScreen.chart, 'RSS timeline starts on the first screen').toBeLessThan(VIEWPORT.height)
  await page.screenshot({ path: join(OUT, `${name}-first-screen.png`) })
  await page.screenshot({ path: join(OUT, `${name}-full.png`), fullPage: true })
  await page.emulateMedia({ media: 'print' })
  expect(await page.evaluate(`getComputedStyle(document.querySelector('nav.toc')).display`)).toBe('none')
  const pdf = await page.pdf({ format: 'A4', printBackground: true })
  writeFileSync(join(OUT, `${name}.pdf`), pdf)
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  await page.close()
  return { errors, external, charts, text }
}

function expectCharts(opened: Opened, generated: GeneratedReport): void {
  const ids = [...new Set(generated.doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart.id] : []))))]
  expect(opened.charts.map((c) => c.id)).toEqual(ids)
  for (const c of opened.charts) {
    expect(c.complete, c.id).toBe(true)
    expect(c.naturalWidth, c.id).toBeGreaterThan(0)
    expect(c.naturalHeight, c.id).toBeGreaterThan(0)
    expect(c.width, c.id).toBeGreaterThan(0)
    expect(c.height, c.id).toBeGreaterThan(0)
  }
}

describe('HTML report in Chromium', () => {
  it('shows a five-repeat run: verdict, figures and every chart, with no error and no network', async () => {
    const run = makeSuiteRun({ repeats: 5, seed: 11, scenarios: ['startup', 'load', 'stability', 'precision', 'leak-check'] })
    const generated = await generateReport(await singleInput(run), ['html'])
    const opened = await open(generated, 'run')
    expect(opened.errors).toEqual([])
    expect(opened.external).toEqual([])
    expectCharts(opened, generated)
    expect(opened.charts.length).toBeGreaterThanOrEqual(6)
    const f = formatterFor('en')
    const h = generated.report.after.headline
    expect(opened.text).toContain(`All ${generated.report.after.verdicts.length} budgets hold`)
    expect(opened.text).toContain(f.bytes(h.peakRss.value))
    expect(opened.text).toContain(f.ms(h.startup.value))
    expect(opened.text).toContain(f.rate(h.throughput.value))
    expect(opened.text).toContain('OcrResult')
  })

  it('shows a comparison in Spanish with the biggest change up front', async () => {
    const input = await compareInput(makeSuiteRun({ repeats: 3, seed: 21, profile: 'default' }), makeSuiteRun({ repeats: 3, seed: 22 }), 'es')
    const generated = await generateReport(input, ['html'])
    const opened = await open(generated, 'compare-es')
    expect(opened.errors).toEqual([])
    expect(opened.external).toEqual([])
    expectCharts(opened, generated)
    expect(opened.text).toContain('Reporte de memoria: antes y después')
    expect(opened.text).toMatch(/Mayor cambio: RSS (estable|pico) \d+ MiB → \d+ MiB \(-2\d,\d%\)/)
  })
})
