/** Rules about service targets: how fast workers grow per request, and where to recycle them. */
import type { Recommendation } from '../recommendation.js'
import { requestsToBudget, serviceFiguresOf } from '../service.js'
import { MiB, type RecommendationRule } from './context.js'

/** Growth below this per 100 requests is within what GC and allocator noise move a worker. */
const GROWTH_MIN_BYTES_PER_100 = 0.5 * MiB
/** Gunicorn's advice, measured: recycle a worker at 80% of the requests it takes to reach its budget. */
const MAX_REQUESTS_SHARE = 0.8

/**
 * A worker that grows per request reaches its memory budget after ~N requests: set
 * `--max-requests` near N·0.8. The budget is `workerPeakRss` when set, else `peakRss` (one
 * process's peak); without either the growth is still reported.
 */
export const workerGrowth: RecommendationRule = ({ after }) =>
  after.scenarios.flatMap((s): Recommendation[] => {
    const r = s.representative
    const figures = r ? serviceFiguresOf(r) : null
    const growth = figures?.growthBytesPer100 ?? null
    if (!figures || growth === null || growth < GROWTH_MIN_BYTES_PER_100) return []
    const verdict = ['workerPeakRss', 'peakRss'].map((metric) => after.verdicts.find((v) => v.scenario === s.name && v.metric === metric && v.limit !== null)).find((v) => v !== undefined)
    const budget = verdict?.limit ?? null
    const n = budget !== null && figures.workerStartRssBytes !== null ? requestsToBudget(figures.workerStartRssBytes, growth, budget) : null
    return [
      {
        id: 'worker-growth',
        severity: verdict?.kind === 'fail' ? 'high' : 'medium',
        scenario: s.name,
        growthBytesPer100: growth,
        budgetBytes: budget,
        requestsToBudget: n === null ? null : Math.round(n),
        maxRequests: n === null ? null : Math.max(1, Math.round(n * MAX_REQUESTS_SHARE)),
        recycles: figures.recycles,
      },
    ]
  })
