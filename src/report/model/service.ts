/**
 * Figures of a service target (a scenario that declared `service`), read from one repeat's tree:
 * workers seen, recycles, requests and failures, the tree's peak PSS, the largest worker, and how
 * fast a worker grows per request while it serves — the figure `--max-requests` is set from.
 */
import type { ProcessRecord, RepeatResult } from '../../run/schema.js'

/** A worker counts as serving from the first sample at this share of its own highest RSS: before it, it was still loading (models, caches). */
export const SERVING_SHARE = 0.8
/** Samples a worker needs while serving for its growth to be read. */
const MIN_SAMPLES = 4
/** Accepted requests a growth per request needs: fewer, and one slow page or GC moves it by hundreds of MiB. */
export const MIN_GROWTH_REQUESTS = 30

/** What a service repeat shows. Sizes in bytes. */
export interface ServiceFigures {
  /** Worker processes seen (recycled ones included). */
  workers: number
  recycles: number
  /** Responses over the stages that drove load, and those that were not 2xx, errors and timeouts. */
  requests: number
  non2xx: number
  errors: number
  timeouts: number
  peakPssBytes: number | null
  peakTreeRssBytes: number | null
  workerPeakRssBytes: number | null
  /** RSS of a worker when it starts serving (median over workers). */
  workerStartRssBytes: number | null
  /**
   * Growth of one worker per 100 requests it accepted (2xx: a 503 costs a worker next to nothing);
   * null with fewer than {@link MIN_GROWTH_REQUESTS} accepted requests or too few samples.
   */
  growthBytesPer100: number | null
}

/** The service figures of `repeat`, or null when it is not a service repeat. */
export function serviceFiguresOf(repeat: RepeatResult): ServiceFigures | null {
  if (!repeat.service || !repeat.processes) return null
  const workers = repeat.processes.filter((p) => p.role === 'worker')
  const loadStages = repeat.stages.filter((s) => s.http)
  const sum = (pick: (h: NonNullable<(typeof loadStages)[number]['http']>) => number) => loadStages.reduce((n, s) => n + pick(s.http!), 0)
  const requests = sum((h) => h.requests)
  const from = loadStages[0]?.startedAtMs ?? null
  const to = loadStages.at(-1)?.endedAtMs ?? null
  const fits = from !== null && to !== null ? workers.map((w) => servingFit(w, from, to)).filter((f): f is Fit => f !== null) : []
  return {
    workers: workers.length,
    recycles: (repeat.events ?? []).filter((e) => e.kind === 'recycle').length,
    requests,
    non2xx: sum((h) => h.non2xx),
    errors: sum((h) => h.errors),
    timeouts: sum((h) => h.timeouts),
    peakPssBytes: repeat.service.peakPssBytes,
    peakTreeRssBytes: repeat.service.peakTreeRssBytes,
    workerPeakRssBytes: max(workers.flatMap((w) => w.timeline.map((s) => Math.max(s.rssBytes ?? 0, s.peakRssBytes ?? 0)))),
    workerStartRssBytes: median(fits.map((f) => f.startBytes)),
    growthBytesPer100: growthPer100(fits, sum((h) => h.ok), from, to),
  }
}

/** One worker while it served: its RSS slope and how long it served, within the load window. */
interface Fit {
  slopeBytesPerMs: number
  servedMs: number
  startBytes: number
}

function servingFit(w: ProcessRecord, fromMs: number, toMs: number): Fit | null {
  const samples = w.timeline.filter((s) => s.rssBytes !== null)
  const top = max(samples.map((s) => s.rssBytes!))
  if (top === null) return null
  const serving = samples.findIndex((s) => s.rssBytes! >= SERVING_SHARE * top)
  const window = samples.slice(serving).filter((s) => s.atMs >= fromMs && s.atMs <= toMs)
  if (window.length < MIN_SAMPLES) return null
  const slope = leastSquaresSlope(window.map((s) => [s.atMs, s.rssBytes!]))
  const servedMs = window.at(-1)!.atMs - window[0]!.atMs
  return servedMs > 0 && slope !== null ? { slopeBytesPerMs: slope, servedMs, startBytes: window[0]!.rssBytes! } : null
}

/**
 * Bytes per 100 requests: the workers' RSS slope (weighted by the time each served) divided by
 * the requests one worker served per ms (requests over the time all workers served together).
 */
function growthPer100(fits: readonly Fit[], requests: number, from: number | null, to: number | null): number | null {
  if (fits.length === 0 || requests < MIN_GROWTH_REQUESTS || from === null || to === null) return null
  const served = fits.reduce((n, f) => n + f.servedMs, 0)
  if (served <= 0) return null
  const slope = fits.reduce((n, f) => n + f.slopeBytesPerMs * f.servedMs, 0) / served
  // Requests per worker-ms over the whole load window (every worker that served shares it).
  const perWorkerMs = requests / Math.max(served, to - from)
  return perWorkerMs > 0 ? (slope / perWorkerMs) * 100 : null
}

function leastSquaresSlope(points: readonly (readonly [number, number])[]): number | null {
  const n = points.length
  if (n < 2) return null
  const mx = points.reduce((a, p) => a + p[0], 0) / n
  const my = points.reduce((a, p) => a + p[1], 0) / n
  let num = 0
  let den = 0
  for (const [x, y] of points) {
    num += (x - mx) * (y - my)
    den += (x - mx) ** 2
  }
  return den > 0 ? num / den : null
}

function max(values: readonly number[]): number | null {
  let best: number | null = null
  for (const v of values) if (v > 0 && (best === null || v > best)) best = v
  return best
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/**
 * Requests until a worker starting at `startBytes` and growing `growthBytesPer100` reaches
 * `budgetBytes`; null when it does not grow.
 */
export function requestsToBudget(startBytes: number, growthBytesPer100: number, budgetBytes: number): number | null {
  if (!(growthBytesPer100 > 0)) return null
  return Math.max(0, ((budgetBytes - startBytes) / growthBytesPer100) * 100)
}
