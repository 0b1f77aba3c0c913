/**
 * Prometheus metrics. Each worker keeps its own registry (requests, errors, latency, RSS, in
 * flight); the primary aggregates them with prom-client's AggregatorRegistry and adds its own
 * (worker births, recycles, deaths). Worker counters restart from zero when a worker is replaced:
 * Prometheus' `rate()` treats that as a counter reset.
 */
import type { Counter, Gauge, Histogram, Registry } from 'prom-client'

export interface WorkerMetrics {
  registry: Registry
  requests: Counter<'route' | 'status'>
  errors: Counter<'route' | 'code'>
  latency: Histogram<'route'>
  inFlight: Gauge
}

/** Seconds; OCR of a page takes 0.1–5 s on this project's machines. */
const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60]

/** The worker's registry. `pid` labels keep per-worker gauges apart in the aggregate. */
export async function createWorkerMetrics(): Promise<WorkerMetrics> {
  const prom = await import('prom-client')
  const registry = new prom.Registry()
  const pid = String(process.pid)
  new prom.Gauge({
    name: 'memgate_worker_rss_bytes',
    help: 'Resident set size of each worker process, bytes',
    labelNames: ['pid'],
    registers: [registry],
    collect() {
      this.set({ pid }, process.memoryUsage.rss())
    },
  })
  const requests = new prom.Counter({ name: 'memgate_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['route', 'status'], registers: [registry] })
  const errors = new prom.Counter({ name: 'memgate_http_request_errors_total', help: 'Requests answered with an error, by route and error code', labelNames: ['route', 'code'], registers: [registry] })
  const latency = new prom.Histogram({ name: 'memgate_http_request_duration_seconds', help: 'Request latency, seconds', labelNames: ['route'], buckets: LATENCY_BUCKETS, registers: [registry] })
  const inFlight = new prom.Gauge({ name: 'memgate_ocr_in_flight', help: 'OCR requests running or waiting for the engine (all workers)', registers: [registry] })
  return { registry, requests, errors, latency, inFlight }
}

export interface PrimaryMetrics {
  registry: Registry
  births: Counter
  recycles: Counter<'reason'>
  deaths: Counter<'reason'>
  workers: Gauge<'state'>
}

export async function createPrimaryMetrics(): Promise<PrimaryMetrics> {
  const prom = await import('prom-client')
  const registry = new prom.Registry()
  const recycles = new prom.Counter({ name: 'memgate_worker_recycles_total', help: 'Workers retired on purpose, by reason (max-requests, max-memory)', labelNames: ['reason'], registers: [registry] })
  const deaths = new prom.Counter({ name: 'memgate_worker_deaths_total', help: 'Workers that ended unplanned, by reason (timeout, startup-timeout, crash)', labelNames: ['reason'], registers: [registry] })
  // Zero series exist from the start, so a dashboard sees 0 rather than no data.
  for (const reason of ['max-requests', 'max-memory']) recycles.inc({ reason }, 0)
  for (const reason of ['timeout', 'crash']) deaths.inc({ reason }, 0)
  return {
    registry,
    births: new prom.Counter({ name: 'memgate_worker_births_total', help: 'Workers forked', registers: [registry] }),
    recycles,
    deaths,
    workers: new prom.Gauge({ name: 'memgate_workers', help: 'Worker processes by state', labelNames: ['state'], registers: [registry] }),
  }
}
