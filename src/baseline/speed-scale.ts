/**
 * CPU time per operation at equal host speed. A core's speed moves on a shared runner (boost
 * clocks, a busy sibling hyper-thread): a clean check here read +9.3% CPU per operation against a
 * baseline measured minutes before, with nothing else running. Each measuring repeat times a fixed
 * workload at both ends (src/scenario/speed-reference.ts); dividing a repeat's CPU per operation
 * by its reference gives the code's cost in units of the host's speed at that moment, which the
 * rule compares. Values are then shown at the baseline's speed: each is multiplied by the
 * baseline's median reference, so a figure still reads in ms.
 */
import { median } from '../common/stats.js'
import { speedReferenceOf, type FigureRepeat } from '../run/figures.js'
import type { RepeatResult } from '../run/schema.js'
import type { MetricSummary } from './baseline-file.js'
import { readingsOf, type MetricSpec } from './metrics/catalogue.js'

/** The speed references of a series of repeats, aligned with their values. */
export interface SpeedReferences {
  workload: string
  /** Per repeat: the median CPU ms of its reference bursts. */
  cpuMs: number[]
}

/**
 * The speed reference of each repeat, in order, or null unless every repeat timed the same
 * workload: a series scaled in part would mix two scales.
 */
export function speedReferencesOf(repeats: readonly FigureRepeat[]): SpeedReferences | null {
  const figures = repeats.map(speedReferenceOf)
  const first = figures[0]
  if (!first || figures.some((f) => f === null || f.workload !== first.workload)) return null
  // Rounded to the microsecond the bursts were recorded in: a median of two is a float's sum.
  return { workload: first.workload, cpuMs: figures.map((f) => Math.round(f!.cpuMs * 1000) / 1000) }
}

/** Run and baseline values at the baseline's host speed, or why they cannot be scaled. */
export type EqualSpeed =
  | {
      ok: true
      run: number[]
      baseline: number[]
      /** How much slower the host ran for the run than for the baseline, by the references' medians (+0.08 = 8% slower). */
      hostSlower: number
    }
  | { ok: false; reason: string }

/**
 * Scales `metric`'s values of the run's `completed` repeats and of the baseline's `summary` to the
 * baseline's median host speed (see the file comment).
 */
export function atEqualHostSpeed(metric: MetricSpec, completed: readonly RepeatResult[], summary: MetricSummary | undefined): EqualSpeed {
  const base = summary?.speedReference
  if (!summary || !base) return { ok: false, reason: 'the baseline has no speed reference (older than this memgate); update it to compare at equal host speed' }
  if (base.cpuMs.length !== summary.values.length) return { ok: false, reason: 'the baseline\'s speed references do not match its values' }
  const pairs = readingsOf(metric, completed)
  const run = speedReferencesOf(pairs.map((p) => p.repeat))
  if (!run) return { ok: false, reason: 'a repeat of this run timed no speed reference' }
  if (run.workload !== base.workload) return { ok: false, reason: `the speed reference changed (${base.workload} → ${run.workload}); update the baseline` }
  const unit = median(base.cpuMs)
  return {
    ok: true,
    run: pairs.map((p, i) => (p.value * unit) / run.cpuMs[i]!),
    baseline: summary.values.map((v, i) => (v * unit) / base.cpuMs[i]!),
    hostSlower: median(run.cpuMs) / unit - 1,
  }
}
