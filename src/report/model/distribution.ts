/**
 * Where the memory goes: the layers of RSS at start, from the `startup` stages of a scenario (the
 * built-in `startup`: base → runtime → models), then the working set the first work adds on top.
 * Each layer is a stage's after-GC RSS minus the layer below; the first is absolute (a bare Node
 * process and the harness). This replaces the Phase 3 report's estimates ("models ~200 MB,
 * runtime ~100 MB") with measured layers.
 */
import { completedMeasuringRepeats, WORK_STAGE_KINDS } from '../../run/figures.js'
import { median } from '../../common/stats.js'
import { medianRssCategories, type RssCategoryRow } from '../../run/composition.js'
import type { RepeatResult } from '../../run/schema.js'
import type { ScenarioFigures } from './figures.js'

/** One layer of the distribution. */
export interface DistributionLayer {
  /** The startup stage's name (`base`, `runtime`, `models`, ...) or `working-set`. */
  name: string
  kind: 'stage' | 'working-set'
  /** Median over repeats. May be negative when a stage gave memory back. */
  bytes: number
}

/** The distribution of one scenario's memory. */
export interface Distribution {
  scenario: string
  layers: DistributionLayer[]
  /** Sum of the layers: the peak the layers explain. */
  totalBytes: number
  repeats: number
  /**
   * Measured components: where RSS lives (smaps categories, median over repeats) at the end of the
   * last startup stage, next to the layers. Absent when the run recorded no categories there.
   */
  measured?: { stage: string; rssBytes: number; categories: RssCategoryRow[]; repeats: number }
}

/** The layers of one repeat, or null when it has no startup stage with figures. */
function layersOf(r: RepeatResult): DistributionLayer[] | null {
  const layers: DistributionLayer[] = []
  let top = 0
  let lastStartup = -1
  r.stages.forEach((s, i) => {
    if (s.kind !== 'startup' || s.after?.rssBytes == null) return
    layers.push({ name: s.name, kind: 'stage', bytes: s.after.rssBytes - top })
    top = s.after.rssBytes
    lastStartup = i
  })
  if (layers.length === 0) return null
  const peaks = r.stages.slice(lastStartup + 1).filter((s) => WORK_STAGE_KINDS.has(s.kind) && s.peakRssBytes !== null)
  if (peaks.length) layers.push({ name: 'working-set', kind: 'working-set', bytes: Math.max(0, Math.max(...peaks.map((s) => s.peakRssBytes!)) - top) })
  return layers
}

/**
 * The distribution from the first scenario with startup stages (the `startup` role first), as
 * medians per layer over its completed measuring repeats; null when no scenario has them.
 */
export function distributionOf(scenarios: readonly ScenarioFigures[], repeatsOf: (name: string) => readonly RepeatResult[]): Distribution | null {
  const ordered = [...scenarios.filter((s) => s.role === 'startup'), ...scenarios.filter((s) => s.role !== 'startup')]
  for (const s of ordered) {
    const completed = completedMeasuringRepeats(repeatsOf(s.name))
    const per = completed
      .map(layersOf)
      .filter((l): l is DistributionLayer[] => l !== null)
    const proto = per[0]
    if (!proto) continue
    // Repeats of one scenario have the same stages; a layer missing from a repeat is left out of its median.
    const layers = proto.map((l) => ({ ...l, bytes: median(per.map((p) => p.find((q) => q.name === l.name)?.bytes).filter((b): b is number => b !== undefined)) }))
    const measured = measuredAtStart(completed)
    return { scenario: s.name, layers, totalBytes: layers.reduce((a, l) => a + l.bytes, 0), repeats: per.length, ...(measured ? { measured } : {}) }
  }
  return null
}

/** Median RSS categories at the end of the last startup stage, or null when none were recorded. */
function measuredAtStart(repeats: readonly RepeatResult[]): Distribution['measured'] | null {
  const stage = repeats[0]?.stages.filter((s) => s.kind === 'startup').at(-1)?.name
  if (stage === undefined) return null
  const records = repeats.map((r) => r.stages.find((s) => s.name === stage)?.rssCategories?.after).filter((a): a is NonNullable<typeof a> => a != null)
  if (records.length === 0) return null
  return { stage, rssBytes: median(records.map((r) => r.rssBytes)), categories: medianRssCategories(records), repeats: records.length }
}
