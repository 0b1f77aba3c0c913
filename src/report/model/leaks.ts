/**
 * Leak suspects and growing classes, with the retainer paths the Phase 3 report lacked. Two
 * sources: a scenario's leak check (objects allocated in the target cycle and alive at the final
 * snapshot, analysed by the runner) and the gate's explanation of a failing memory budget (classes
 * that grew between snapshots).
 */
import type { Verdict } from '../../baseline/verdict.js'
import type { ScenarioFigures } from './figures.js'

/** Classes listed per source, largest first. */
export const TOP_LEAK_CLASSES = 5

/** One class of suspects or of growth. */
export interface LeakClass {
  scenario: string
  source: 'leak-check' | 'growth'
  name: string
  /** Objects (suspects) or net new objects (growth). */
  count: number
  sizeBytes: number
  /** Retainer paths from a GC root, most common first (at most 2). */
  retainers: string[]
}

/** Leak findings of a run. */
export interface LeakFindings {
  /** Scenarios whose leak check ran, with their suspect totals. */
  checks: { scenario: string; count: number; sizeBytes: number }[]
  classes: LeakClass[]
  /** Why an analysis could not run, per scenario. */
  notes: { scenario: string; note: string }[]
}

/** The leak findings of `scenarios`, with growth from the failing memory verdicts' explanations. */
export function leaksOf(scenarios: readonly ScenarioFigures[], verdicts: readonly Verdict[]): LeakFindings {
  const checks: LeakFindings['checks'] = []
  const classes: LeakClass[] = []
  const notes: LeakFindings['notes'] = []
  for (const s of scenarios) {
    const lc = s.analysis?.leakCheck
    if (lc) {
      checks.push({ scenario: s.name, count: lc.count, sizeBytes: lc.sizeBytes })
      for (const c of [...lc.classes].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, TOP_LEAK_CLASSES)) {
        classes.push({ scenario: s.name, source: 'leak-check', name: c.name, count: c.count, sizeBytes: c.sizeBytes, retainers: c.retainers.slice(0, 2).map((r) => r.path) })
      }
    }
    for (const note of s.analysis?.notes ?? []) notes.push({ scenario: s.name, note })
  }
  const seen = new Set<string>()
  for (const v of verdicts) {
    if (v.kind !== 'fail' || v.explanation?.heap?.state !== 'ok') continue
    // Several failing rules of one scenario share one explanation: list its classes once.
    if (seen.has(v.scenario)) continue
    seen.add(v.scenario)
    for (const c of v.explanation.heap.classes.slice(0, TOP_LEAK_CLASSES)) {
      classes.push({ scenario: v.scenario, source: 'growth', name: c.className, count: c.netCount, sizeBytes: c.netSizeBytes, retainers: c.retainerPath ? [c.retainerPath] : [] })
    }
  }
  return { checks, classes, notes }
}
