/**
 * `memgate serve` measured as a service: the goals of issue 13, figures printed, nothing asserted.
 *
 *   npm run bench:service [-- --quick] [--only load,soak,stress,data] [--threads N]
 *
 * - load: 1 and 2 lean workers under the same steady load. Threads per worker: `--threads N` for
 *   both runs, else serve's default (cores / workers, so the two runs use the same cores); printed
 *   from the service's own primary-start line either way. Goal: tree PSS of 2 workers ≤ 1.8 × one
 *   worker's RSS, and ≥ 1.25 × the pages/s of 1 worker (judge it on a quiet machine only: the
 *   load average and the CPU other processes used are printed beside it).
 * - soak: the scenario's defaults (--max-requests recycling under load, ≥ 20 recycles). Goal: 0
 *   failed or lost requests (sent == answered), tree peak PSS of the last quarter of the soak not
 *   above the first quarter's (slope within noise).
 * - stress: 4 × capacity. Goal: only 503s past capacity, no worker crash; p99 of accepted requests.
 * - data: whole-table read vs paginated read (peak rise over the stage's start) on SQLite, and on
 *   PostgreSQL when DATABASE_URL is set (the store chosen by the scenario's `store` param).
 */
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatBytes, loadScenarios, runScenarios, type RepeatResult } from '../src/index.js'

const QUICK = process.argv.includes('--quick')
const only = (() => {
  const at = process.argv.indexOf('--only')
  return at >= 0 ? new Set((process.argv[at + 1] ?? '').split(',')) : null
})()
const want = (name: string) => only === null || only.has(name)
const threadsFlag = (() => {
  const at = process.argv.indexOf('--threads')
  if (at < 0) return null
  const n = Number(process.argv[at + 1])
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench/service: --threads takes a whole number of threads per worker, not '${process.argv[at + 1] ?? ''}'`)
    process.exit(2)
  }
  return n
})()
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')

async function run(name: string, params: Record<string, string | number>, env: Record<string, string> = {}): Promise<RepeatResult> {
  const t0 = Date.now()
  const outcome = await runScenarios({
    scenarios: await loadScenarios([name]),
    repeat: 1,
    variant: null,
    params: Object.entries(params).map(([key, value]) => ({ scenario: name, key, value: String(value) })),
    snapshots: 'none',
    timeoutMs: 30 * 60_000,
    intervalMs: 200,
    nodeFlags: [],
    env,
    memoryLimitBytes: null,
    outDir: join(tmpdir(), 'memgate-bench-service'),
    baseEnv: process.env,
    argv: ['bench', 'service', name],
  })
  const repeat = outcome.run.scenarios[0]!.repeats[0]!
  // Time figures mean little when the rest of the machine is busy: say how busy it was.
  const others = repeat.contention?.othersCores
  console.log(`  ${name} ${JSON.stringify(params)}: ${repeat.state} in ${((Date.now() - t0) / 1000).toFixed(0)} s, other processes used ${others == null ? '?' : others.toFixed(2)} of ${repeat.contention?.cores ?? '?'} cores (${outcome.file})${repeat.failure ? ` — ${repeat.failure.message.slice(0, 300)}` : ''}`)
  return repeat
}

const mib = (n: number | null | undefined) => formatBytes(n ?? null)
const workersOf = (r: RepeatResult) => (r.processes ?? []).filter((p) => p.role === 'worker')
const peakOf = (p: NonNullable<RepeatResult['processes']>[number]) => Math.max(0, ...p.timeline.map((s) => Math.max(s.rssBytes ?? 0, s.peakRssBytes ?? 0)))
const stage = (r: RepeatResult, name: string) => r.stages.find((s) => s.name === name)
const threadsOf = (r: RepeatResult) => {
  const m = /"threads":(\d+)/.exec(r.service?.stderrTail ?? '')
  return m ? Number(m[1]) : null
}

/** Tree PSS peak in [from, to] of the repeat's timeline. */
function pssPeak(r: RepeatResult, from: number, to: number): number | null {
  let best: number | null = null
  for (const s of r.timeline) if (s.atMs >= from && s.atMs <= to && s.pssBytes !== null && (best === null || s.pssBytes > best)) best = s.pssBytes
  return best
}

if (want('load')) {
  console.log('load: 1 vs 2 lean workers, steady POST /ocr')
  const durationMs = QUICK ? 10_000 : 40_000
  const threads: Record<string, number> = threadsFlag === null ? {} : { threads: threadsFlag }
  const loadBefore = load()
  const one = await run('service-load', { workers: 1, connections: 2, durationMs, ...threads })
  const two = await run('service-load', { workers: 2, connections: 4, durationMs, ...threads })
  const pagesPerSec = (r: RepeatResult) => {
    const h = stage(r, 'steady')?.http
    return h ? (h.ok * 1000) / h.durationMs : null
  }
  const oneRss = Math.max(0, ...workersOf(one).map(peakOf))
  const treePss = two.service?.peakPssBytes ?? null
  const p1 = pagesPerSec(one)
  const p2 = pagesPerSec(two)
  console.log(`  1 worker: peak RSS ${mib(oneRss)}, ${p1?.toFixed(2)} pages/s, ${threadsOf(one)} ORT threads`)
  console.log(`  2 workers: tree peak PSS ${mib(treePss)} (summed RSS ${mib(two.service?.peakTreeRssBytes)}), ${p2?.toFixed(2)} pages/s, ${threadsOf(two)} ORT threads per worker`)
  console.log(`  goal tree PSS ≤ 1.8 × one worker's RSS: ${treePss && oneRss ? (treePss / oneRss).toFixed(2) : '—'} ×`)
  const cpu = (r: RepeatResult) => `${r.contention?.othersCores == null ? '?' : r.contention.othersCores.toFixed(2)} of ${r.contention?.cores ?? availableParallelism()} cores used by other processes`
  console.log(
    `  THROUGHPUT 2 workers / 1 worker: ${p1 && p2 ? (p2 / p1).toFixed(2) : '—'} × (goal ≥ 1.25 ×); threads per worker: 1 worker ${threadsOf(one) ?? '?'}, 2 workers ${threadsOf(two) ?? '?'} (${threadsFlag === null ? "serve's default, cores / workers" : `--threads ${threadsFlag}`}); ${availableParallelism()} cores; load average ${loadBefore} before, ${load()} after; ${cpu(one)} (1 worker), ${cpu(two)} (2 workers)`,
  )
}

if (want('soak')) {
  console.log(`soak: the scenario's defaults${QUICK ? ' (24 requests with --quick)' : ''}; load average ${load()}`)
  const r = await run('service-soak', QUICK ? { requests: 24 } : {})
  const s = stage(r, 'soak')
  const recycles = (r.events ?? []).filter((e) => e.kind === 'recycle').length
  console.log(`  ${recycles} recycles (goal ≥ 20), ${workersOf(r).length} workers seen; sent ${s?.http?.sent}, answered ${s?.http?.requests}, failed ${s?.metrics.failedRequests}, lost ${s?.metrics.lostRequests}, statuses ${JSON.stringify(s?.http?.statusCounts)}; load average ${load()}`)
  if (s?.endedAtMs) {
    const q = (s.endedAtMs - s.startedAtMs) / 4
    const quarters = [0, 1, 2, 3].map((i) => pssPeak(r, s.startedAtMs + i * q, s.startedAtMs + (i + 1) * q))
    console.log(`  tree peak PSS per quarter: ${quarters.map(mib).join(', ')}; last/first ${quarters[0] && quarters[3] ? (quarters[3] / quarters[0]).toFixed(3) : '—'}`)
    console.log(`  worker peak RSS ${mib(Math.max(0, ...workersOf(r).map(peakOf)))}; p99 of accepted ${s.http?.okLatencyMs?.p99.toFixed(0)} ms`)
  }
}

if (want('stress')) {
  console.log('stress: 2 workers × --concurrency 1, bursts of 4 × capacity')
  const r = await run('service-stress', { overload: 4, burstMs: QUICK ? 6000 : 20_000, idleMs: 5000 })
  const b = stage(r, 'burst')
  const after = stage(r, 'after-burst')
  const stopAt = r.service ? Math.min(...(r.events ?? []).filter((e) => e.kind === 'kill').map((e) => e.atMs), r.endedAtMs) : r.endedAtMs
  const crashed = workersOf(r).filter((p) => p.endedAtMs !== null && p.endedAtMs < stopAt && !(r.events ?? []).some((e) => e.kind === 'recycle' && e.pid === p.pid))
  console.log(`  statuses ${JSON.stringify(b?.http?.statusCounts)}, errors ${b?.http?.errors}, timeouts ${b?.http?.timeouts}, worker crashes ${crashed.length}`)
  console.log(`  p99 of accepted (2xx) ${b?.http?.okLatencyMs?.p99.toFixed(0)} ms, of all ${b?.http?.latencyMs?.p99.toFixed(0)} ms`)
  console.log(`  tree RSS: before burst ${mib(b?.before?.rssBytes)}, burst peak ${mib(b?.peakRssBytes)}, after the quiet period ${mib(after?.after?.rssBytes)}`)
}

if (want('data')) {
  const stores = ['sqlite']
  if (process.env.DATABASE_URL) stores.push('postgres')
  else console.log('data: DATABASE_URL is not set, PostgreSQL skipped')
  for (const store of stores) {
    console.log(`data (${store}): whole-table vs paginated reads; load average ${load()}`)
    const r = await run('service-data', { rows: QUICK ? 1000 : 4000, store })
    const rise = (name: string) => {
      const st = stage(r, name)
      return st?.peakRssBytes != null && st.before?.rssBytes != null ? st.peakRssBytes - st.before.rssBytes : null
    }
    const whole = rise('whole-table')
    const paged = rise('paginated')
    console.log(`  peak rise: whole-table ${mib(whole)}, paginated ${mib(paged)} → ${whole && paged ? (whole / Math.max(paged, 1024 * 1024)).toFixed(1) : '—'} × (paginated floored at 1 MiB)`)
    console.log(`  stats: naive (JS over every row) rise ${mib(rise('stats-naive'))}, SQL aggregates rise ${mib(rise('stats-sql'))}; p50 ${stage(r, 'stats-naive')?.http?.okLatencyMs?.p50.toFixed(0)} ms vs ${stage(r, 'stats-sql')?.http?.okLatencyMs?.p50.toFixed(0)} ms`)
  }
}
