/**
 * Draws chart specs to PNG with Chart.js on `@napi-rs/canvas` (no browser, no DOM). Fonts are the
 * DejaVu files shipped in `dejavu-fonts-ttf`, registered by path, so a chart looks the same on
 * every machine whatever fonts the system has. Both libraries load on first use: importing the
 * report module costs nothing until a chart is drawn.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ChartSpec } from './spec.js'

/** Pixels drawn per CSS pixel: sharp on high-density screens and in print. @default 2 */
export const PIXEL_RATIO = 2

/** The font family every chart uses. */
export const CHART_FONT = 'DejaVu Sans'

type Libraries = { Chart: typeof import('chart.js').Chart; createCanvas: typeof import('@napi-rs/canvas').createCanvas }
let libraries: Promise<Libraries> | null = null

async function load(): Promise<Libraries> {
  const [chartjs, canvas, { reportPlugin }] = await Promise.all([import('chart.js'), import('@napi-rs/canvas'), import('./plugins.js')])
  const fonts = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')
  canvas.GlobalFonts.registerFromPath(join(fonts, 'DejaVuSans.ttf'), CHART_FONT)
  canvas.GlobalFonts.registerFromPath(join(fonts, 'DejaVuSans-Bold.ttf'), CHART_FONT)
  const { Chart } = chartjs
  Chart.register(
    chartjs.LineController,
    chartjs.BarController,
    chartjs.LineElement,
    chartjs.PointElement,
    chartjs.BarElement,
    chartjs.LinearScale,
    chartjs.CategoryScale,
    chartjs.Legend,
    chartjs.Title,
    chartjs.Filler,
    reportPlugin,
  )
  Chart.defaults.font.family = CHART_FONT
  Chart.defaults.font.size = 12
  Chart.defaults.color = '#374151'
  return { Chart, createCanvas: canvas.createCanvas }
}

/** Draws `spec` and returns the PNG bytes (width and height × {@link PIXEL_RATIO}). */
export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  libraries ??= load()
  const { Chart, createCanvas } = await libraries
  // Without a DOM, Chart.js takes the CSS size from the canvas and scales it by the pixel ratio.
  const canvas = createCanvas(spec.width, spec.height)
  const ctx = canvas.getContext('2d')
  const config = { ...spec.config, options: { ...spec.config.options, responsive: false, animation: false as const, devicePixelRatio: PIXEL_RATIO } }
  const chart = new Chart(ctx as unknown as ConstructorParameters<typeof Chart>[0], config)
  try {
    return canvas.toBuffer('image/png')
  } finally {
    chart.destroy()
  }
}
