/** What chart builders need: the words and the number format of the report's language. */
import type { Formatter } from '../format.js'
import { LOCALE_TAGS } from '../format.js'
import type { Messages } from '../locales/index.js'

export interface ChartContext {
  m: Messages
  f: Formatter
}

export const MiB = 1024 * 1024

/** Width of every chart in CSS pixels: the HTML report's text column. */
export const CHART_WIDTH = 980

/** Options every chart shares: Chart.js's locale for default number formats, no animation, a titled layout. */
export function baseOptions(c: ChartContext, title: string) {
  return {
    locale: LOCALE_TAGS[c.f.lang],
    animation: false as const,
    responsive: false,
    layout: { padding: { top: 4, right: 12, bottom: 4, left: 4 } },
    plugins: {
      title: { display: true, text: title, align: 'start' as const, font: { size: 14, weight: 'bold' as const }, color: '#111827', padding: { top: 4, bottom: 8 } },
      legend: { position: 'top' as const, align: 'end' as const, labels: { boxWidth: 12, boxHeight: 12 } },
    },
  }
}

/** A file-name-safe form of a scenario or stage name. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'chart'
}
