/**
 * A chart as data: a Chart.js configuration plus what the report needs around it (a file name, a
 * title, alt text with the key figures). Specs are pure; `render.ts` draws them.
 */
import type { ChartConfiguration, ChartType } from 'chart.js'

/** One vertical marker on a timeline (a stage boundary). */
export interface StageMarker {
  /** Position on the x axis, in the axis' unit (seconds since the repeat started). */
  x: number
  label: string
  /** Setup and teardown: labelled only where the work stages' labels leave room. */
  minor?: boolean
}

/** Options of the report's own Chart.js plugin (`charts/plugins.ts`). */
export interface ReportPluginOptions {
  /** Dashed vertical lines with a label at the top. */
  markers?: StageMarker[]
  /** Write each bar segment's value inside it, formatted by this function (when the segment is wide enough). */
  segmentLabels?: (value: number) => string
}

/** One chart. */
export interface ChartSpec {
  /** Stable id, also the file's base name: `timeline-load`. */
  id: string
  /** PNG file name written next to the Markdown report. */
  file: string
  title: string
  /** Alternative text: what the chart shows, with its key figures, for screen readers and Markdown viewers. */
  alt: string
  /** CSS pixels; the PNG is drawn at twice this for sharp print. */
  width: number
  height: number
  config: ChartConfiguration
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** The report's own drawing: stage markers and segment labels (`charts/plugins.ts`). */
    report?: ReportPluginOptions
  }
}
