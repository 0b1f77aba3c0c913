/**
 * A localised report as a document of blocks: the words and figures are decided once, here, and
 * the Markdown and HTML renderers only lay them out (STYLE.md §8). Text may carry two inline
 * marks, `**strong**` and `` `code` ``; renderers escape everything else.
 */
import type { ChartSpec } from '../charts/spec.js'
import type { Lang } from '../input.js'

/** How a block or a cell is coloured. */
export type Tone = 'pass' | 'fail' | 'warn' | 'info' | 'neutral'

/** One key figure on the first screen. */
export interface Kpi {
  label: string
  value: string
  /** The change or the budget under the figure, e.g. `-28.4% vs before`. */
  note: string | null
  tone: Tone
}

/** A table column. */
export interface Column {
  header: string
  /** @default 'left' */
  align?: 'left' | 'right' | 'center'
}

export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'callout'; tone: Tone; title: string; text: string }
  | { type: 'kpis'; items: Kpi[] }
  | { type: 'table'; columns: Column[]; rows: string[][] }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'chart'; chart: ChartSpec }

/** One section, with a stable id (the HTML anchor; tests look sections up by it). */
export interface Section {
  id: SectionId
  title: string
  blocks: Block[]
}

/** Section ids, in report order. */
export const SECTION_IDS = ['summary', 'metrics', 'rating', 'settings', 'validation', 'distribution', 'comparison', 'timeline', 'leaks', 'native', 'indicators', 'recommendations', 'conclusion', 'method'] as const
export type SectionId = (typeof SECTION_IDS)[number]

/** The whole document. */
export interface Doc {
  lang: Lang
  title: string
  /** Lines under the title: run id, date, profile, machine. */
  subtitle: string[]
  sections: Section[]
  /** Last line: who wrote it from what. */
  footer: string
}

/** Every chart of a document, in order of appearance. */
export function chartsOf(doc: Doc): ChartSpec[] {
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : [])))
}
