/**
 * Validation of precision, load, stress and stability, each with a status and its figures. The
 * status is the gate's verdicts on the scenarios of that area (a crash first); an area no scenario
 * covers says so rather than being left out, so a reader sees what was not validated.
 */
import type { Verdict } from '../../baseline/verdict.js'
import type { ScenarioFigures } from './figures.js'
import type { ScenarioRole } from './role.js'
import type { Spread } from './spread.js'

/** The validation areas, in report order. */
export const VALIDATION_AREAS = ['precision', 'load', 'stress', 'stability'] as const satisfies readonly ScenarioRole[]
export type ValidationArea = (typeof VALIDATION_AREAS)[number]

/**
 * `measured`: figures but no budget to judge them; `not-run`: no scenario of the area in the run;
 * `crashed`: a measuring repeat did not complete.
 */
export type CheckStatus = 'pass' | 'fail' | 'inconclusive' | 'crashed' | 'measured' | 'not-run'

/** Figures a validation area shows (labels are localised by key). */
export const FIGURE_KEYS = [
  'documents',
  'cer',
  'cerClean',
  'cerDegraded',
  'confidence',
  'fieldAccuracy',
  'throughput',
  'p50Latency',
  'p95Latency',
  'p99Latency',
  'ops',
  'errors',
  'peakRss',
  'steadyRss',
  'cycles',
  'drift',
  'fluctuation',
  'released',
  'threads',
  'swap',
] as const
export type FigureKey = (typeof FIGURE_KEYS)[number]

/** How a figure is written. */
export type FigureUnit = 'bytes' | 'ms' | 'perSec' | 'score' | 'ratio' | 'count'

/** One figure of an area. */
export interface ValidationFigure {
  key: FigureKey
  /** For per-field accuracy, the field name (`total`); the label then names it. */
  detail?: string
  unit: FigureUnit
  value: number | null
  spread: Spread | null
}

/** One validation area. */
export interface ValidationItem {
  area: ValidationArea
  status: CheckStatus
  scenarios: string[]
  figures: ValidationFigure[]
}

/**
 * Verdict categories that speak to an area: precision is judged on accuracy (a precision run's
 * memory figures are reported under memory, not as a precision failure); the others on everything.
 */
const AREA_CATEGORIES: Readonly<Record<ValidationArea, readonly Verdict['category'][] | null>> = { precision: ['accuracy', 'target'], load: null, stress: null, stability: null }

/** Status of one scenario from its repeats and verdicts (of `categories`, or all). */
export function scenarioStatus(s: ScenarioFigures, verdicts: readonly Verdict[], categories: readonly Verdict['category'][] | null = null): CheckStatus {
  if (s.failures.length > 0) return 'crashed'
  const own = verdicts.filter((v) => v.scenario === s.name && (categories === null || categories.includes(v.category)))
  if (own.some((v) => v.kind === 'fail')) return 'fail'
  if (own.some((v) => v.kind === 'inconclusive')) return 'inconclusive'
  return own.some((v) => v.kind === 'pass') ? 'pass' : 'measured'
}

/** Worst status first: what an area with several scenarios shows. */
const SEVERITY: readonly CheckStatus[] = ['crashed', 'fail', 'inconclusive', 'pass', 'measured', 'not-run']

const fig = (key: FigureKey, unit: FigureUnit, spread: Spread | null | undefined, detail?: string): ValidationFigure => ({ key, unit, value: spread?.median ?? null, spread: spread ?? null, ...(detail ? { detail } : {}) })
const plain = (key: FigureKey, unit: FigureUnit, value: number | null | undefined): ValidationFigure => ({ key, unit, value: value ?? null, spread: null })

function figuresFor(area: ValidationArea, s: ScenarioFigures): ValidationFigure[] {
  const m = s.metrics
  switch (area) {
    case 'precision': {
      const fields = Object.keys(m)
        .filter((k) => k.startsWith('field.'))
        .map((k) => fig('fieldAccuracy', 'ratio', m[k], k.slice('field.'.length)))
      return [
        fig('documents', 'count', m.documents),
        fig('cer', 'ratio', m.cer),
        fig('cerClean', 'ratio', m.cerClean),
        fig('cerDegraded', 'ratio', m.cerDegraded),
        fig('confidence', 'score', m.meanConfidence ?? m.confidence),
        fig('fieldAccuracy', 'ratio', m.fieldAccuracy),
        ...fields,
      ].filter((f) => f.value !== null)
    }
    case 'load':
      return [
        plain('ops', 'count', s.ops?.count),
        plain('errors', 'count', s.ops?.errors),
        fig('throughput', 'perSec', s.throughput),
        plain('p50Latency', 'ms', s.latencyMs?.p50),
        fig('p95Latency', 'ms', s.p95LatencyMs),
        plain('p99Latency', 'ms', s.latencyMs?.p99),
        fig('confidence', 'score', m.meanConfidence ?? m.confidence),
        fig('peakRss', 'bytes', s.peakRss),
        fig('steadyRss', 'bytes', s.steadyRss),
      ].filter((f) => f.value !== null)
    case 'stress': {
      const peak = s.peakRss?.median ?? null
      const idle = s.stages.filter((st) => st.kind === 'idle').at(-1)?.rssAfterBytes ?? null
      return [
        plain('ops', 'count', s.ops?.count),
        plain('errors', 'count', s.ops?.errors),
        fig('p95Latency', 'ms', s.p95LatencyMs),
        fig('peakRss', 'bytes', s.peakRss),
        // What the quiet period gave back: the peak minus the RSS after it.
        plain('released', 'bytes', peak !== null && idle !== null ? peak - idle : null),
        fig('threads', 'count', s.threads),
      ].filter((f) => f.value !== null)
    }
    case 'stability':
      return [
        plain('cycles', 'count', s.cycleRssBytes.length || null),
        fig('drift', 'ratio', s.drift),
        fig('fluctuation', 'bytes', s.fluctuation),
        fig('peakRss', 'bytes', s.peakRss),
        fig('steadyRss', 'bytes', s.steadyRss),
        fig('swap', 'bytes', s.swap),
        fig('threads', 'count', s.threads),
      ].filter((f) => f.value !== null)
  }
}

/** The four validation areas of a run. */
export function validationOf(scenarios: readonly ScenarioFigures[], verdicts: readonly Verdict[]): ValidationItem[] {
  return VALIDATION_AREAS.map((area) => {
    const own = scenarios.filter((s) => s.role === area)
    if (own.length === 0) return { area, status: 'not-run', scenarios: [], figures: [] }
    const statuses = own.map((s) => scenarioStatus(s, verdicts, AREA_CATEGORIES[area]))
    const status = SEVERITY.find((st) => statuses.includes(st)) ?? 'measured'
    return { area, status, scenarios: own.map((s) => s.name), figures: own.flatMap((s) => figuresFor(area, s)) }
  })
}
