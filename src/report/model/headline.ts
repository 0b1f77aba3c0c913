/**
 * The headline figures of a run, the ones a lead reads first and the before/after table compares:
 * steady and peak RSS, startup time, throughput, CPU per operation, latency, confidence and CER. Each says which
 * scenario it comes from, because "the" figure of a suite is a choice and the reader should see it.
 */
import type { ScenarioFigures } from './figures.js'
import type { ScenarioRole } from './role.js'
import type { Spread } from './spread.js'

/** Headline figures, in table order. */
export const HEADLINE_KEYS = ['rss', 'peakRss', 'startup', 'throughput', 'cpuPerOp', 'p50Latency', 'p95Latency', 'confidence', 'cer'] as const
export type HeadlineKey = (typeof HEADLINE_KEYS)[number]

/** How a headline figure is written. */
export type HeadlineUnit = 'bytes' | 'ms' | 'perSec' | 'score' | 'ratio'

/** One headline figure. */
export interface HeadlineFigure {
  key: HeadlineKey
  unit: HeadlineUnit
  /** `lower`: a fall is an improvement (memory, time); `higher`: a rise is. */
  better: 'lower' | 'higher'
  /** Median over the repeats; null when no scenario gives it. */
  value: number | null
  spread: Spread | null
  /** The scenario it comes from. */
  scenario: string | null
}

export type Headline = Record<HeadlineKey, HeadlineFigure>

const UNITS: Readonly<Record<HeadlineKey, [HeadlineUnit, 'lower' | 'higher']>> = {
  rss: ['bytes', 'lower'],
  peakRss: ['bytes', 'lower'],
  startup: ['ms', 'lower'],
  throughput: ['perSec', 'higher'],
  cpuPerOp: ['ms', 'lower'],
  p50Latency: ['ms', 'lower'],
  p95Latency: ['ms', 'lower'],
  confidence: ['score', 'higher'],
  cer: ['ratio', 'lower'],
}

type Pick = { scenario: ScenarioFigures; spread: Spread | null; value?: number | null } | null

/** The first scenario of `role` (or, failing that, any) for which `read` gives a figure. */
function fromRole(scenarios: readonly ScenarioFigures[], role: ScenarioRole, read: (s: ScenarioFigures) => Spread | null): Pick {
  const ordered = [...scenarios.filter((s) => s.role === role), ...scenarios.filter((s) => s.role !== role)]
  for (const s of ordered) {
    const spread = read(s)
    if (spread) return { scenario: s, spread }
  }
  return null
}

/** The scenario where `read` is largest (the service's worst case). */
function largest(scenarios: readonly ScenarioFigures[], read: (s: ScenarioFigures) => Spread | null): Pick {
  let best: Pick = null
  for (const s of scenarios) {
    const spread = read(s)
    if (spread && (!best || spread.median > (best.spread?.median ?? -Infinity))) best = { scenario: s, spread }
  }
  return best
}

const confidenceOf = (s: ScenarioFigures): Spread | null => s.metrics.meanConfidence ?? s.metrics.confidence ?? null

/** The headline of a run's scenarios. */
export function headlineOf(scenarios: readonly ScenarioFigures[]): Headline {
  const load = fromRole(scenarios, 'load', (s) => s.throughput)
  const picks: Record<HeadlineKey, Pick> = {
    rss: fromRole(scenarios, 'load', (s) => s.steadyRss),
    peakRss: largest(scenarios, (s) => s.peakRss),
    startup: fromRole(scenarios, 'startup', (s) => s.startupMs),
    throughput: load,
    // CPU time per operation of the load scenario: what a page costs, whatever the neighbours do.
    cpuPerOp: fromRole(scenarios, 'load', (s) => s.cpuPerOp),
    // Latency from the same scenario as throughput, so the two describe one workload.
    p50Latency: load?.scenario.latencyMs ? { scenario: load.scenario, spread: null, value: load.scenario.latencyMs.p50 } : null,
    p95Latency: load?.scenario.p95LatencyMs ? { scenario: load.scenario, spread: load.scenario.p95LatencyMs } : null,
    confidence: fromRole(scenarios, 'precision', confidenceOf),
    cer: fromRole(scenarios, 'precision', (s) => s.metrics.cer ?? null),
  }
  const out = {} as Headline
  for (const [key, pick] of Object.entries(picks) as [HeadlineKey, Pick][]) {
    const [unit, better] = UNITS[key]
    out[key] = { key, unit, better, value: pick ? (pick.value ?? pick.spread?.median ?? null) : null, spread: pick?.spread ?? null, scenario: pick?.scenario.name ?? null }
  }
  return out
}
