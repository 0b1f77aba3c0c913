/**
 * Recommendations are data: which rule fired and the figures that made it fire. The words are the
 * locale's, so the same finding reads the same in en, es and pt, and tests assert on figures.
 */
import type { MetricKey } from '../../baseline/metrics/catalogue.js'
import type { Verdict } from '../../baseline/verdict.js'
import type { FailureKind } from '../../run/schema.js'
import type { SettingChange } from './settings.js'

/** How urgent a recommendation is: `high` blocks the budgets, `low` is housekeeping. */
export type Severity = 'high' | 'medium' | 'low'

export type Recommendation =
  /**
   * A memory budget failed (one recommendation per metric, for the scenario furthest over it);
   * the stage that adds the most memory is where to look.
   */
  | { id: 'budget-failed'; severity: 'high'; scenario: string; metric: MetricKey; unit: NonNullable<Verdict['unit']>; value: number; limit: number; stage: string | null; stageBytes: number | null; alsoIn: string[] }
  /** A measuring repeat crashed, was killed or hung. */
  | { id: 'crash'; severity: 'high'; scenario: string; kind: FailureKind | null; stage: string | null; message: string }
  /** A stage's peak grew against the before run. */
  | { id: 'stage-regression'; severity: 'high'; scenario: string; stage: string; before: number; after: number; ratio: number }
  /** Settings differ between the runs: what they did to peak RSS and throughput together. */
  | { id: 'setting-effect'; severity: 'medium'; changes: SettingChange[]; peakDeltaBytes: number | null; peakRatio: number | null; throughputRatio: number | null; sole: boolean }
  /** ONNX Runtime's CPU arena is on and the peak stays far above the after-GC RSS. */
  | { id: 'arena-retained'; severity: 'medium'; scenario: string; retainedBytes: number; peakBytes: number }
  /** RSS grows from cycle to cycle. */
  | { id: 'drift'; severity: 'medium' | 'high'; scenario: string; drift: number; suspect: string | null; retainer: string | null }
  /** Degraded inputs read much worse than clean ones. */
  | { id: 'precision-degraded'; severity: 'medium'; scenario: string; cerClean: number; cerDegraded: number }
  /** The process swapped: figures understate its memory and latency suffers. */
  | { id: 'swap'; severity: 'medium'; scenario: string; swapBytes: number }
  /** ONNX Runtime picks its own thread count (one per core) or more threads than cores. */
  | { id: 'threads'; severity: 'low'; intraOpThreads: number; cpuCount: number }
  /** sharp's operation cache is on: memory held between requests for little gain in OCR. */
  | { id: 'sharp-cache'; severity: 'low'; cacheBytes: number }
  /** glibc without MALLOC_ARENA_MAX: one malloc arena per thread keeps freed memory. */
  | { id: 'malloc-arena'; severity: 'low'; libc: string }
  /**
   * Service workers grow per request: they reach the memory budget after ~`requestsToBudget`
   * requests, so `--max-requests` ≈ 80% of that (`maxRequests`). Null figures: no budget to reach.
   */
  | { id: 'worker-growth'; severity: 'medium' | 'high'; scenario: string; growthBytesPer100: number; budgetBytes: number | null; requestsToBudget: number | null; maxRequests: number | null; recycles: number }
  /** Too few repeats or too much spread for a verdict to mean much. */
  | { id: 'noise'; severity: 'low'; scenario: string; repeats: number; cv: number | null }

export type RecommendationId = Recommendation['id']

/** Every recommendation id (a locale test checks each has words). */
export const RECOMMENDATION_IDS = ['budget-failed', 'crash', 'stage-regression', 'setting-effect', 'arena-retained', 'drift', 'precision-degraded', 'swap', 'threads', 'sharp-cache', 'malloc-arena', 'noise', 'worker-growth'] as const satisfies readonly RecommendationId[]
