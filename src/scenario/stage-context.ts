/**
 * The {@link StageContext} a stage receives inside the worker. tinybench is imported only when a
 * stage calls `bench()`, so other scenarios do not pay for it in the measured process.
 */
import { toError } from '../common/errors.js'
import type { BenchStageOptions, OpOutcome, ParamValue, Pass, StageContext } from './define.js'
import { OpRecorder } from './op-recorder.js'
import type { OpStats } from '../run/schema.js'
import { driveLoad, HttpAccumulator } from './http-load.js'
import type { ServiceInfo } from './service-types.js'

/** What the worker knows when it builds a stage's context. */
export interface StageContextInit {
  params: Record<string, ParamValue>
  variant: string | null
  stage: string
  pass: Pass
  repeat: number
  signal: AbortSignal
  workDir: string
  recordSettings(settings: Record<string, unknown>): void
  gc(): Promise<void>
  /** The service the runner started, if any. */
  service?: ServiceInfo | null
}

/** A stage context and the recorder behind it. */
export interface LiveStage {
  ctx: StageContext
  ops: OpRecorder
  metrics: Record<string, number>
  /** HTTP figures of the stage's loads. */
  http: HttpAccumulator
}

/** Builds the context for one stage. */
export function createStageContext(init: StageContextInit): LiveStage {
  const ops = new OpRecorder()
  const metrics: Record<string, number> = {}
  const http = new HttpAccumulator()
  const ctx: StageContext = {
    params: init.params,
    variant: init.variant,
    stage: init.stage,
    pass: init.pass,
    repeat: init.repeat,
    signal: init.signal,
    workDir: init.workDir,
    async op(fn) {
      const t0 = performance.now()
      try {
        const value = await fn()
        ops.record(performance.now() - t0, true)
        return value
      } catch (error) {
        ops.record(performance.now() - t0, false, error)
        throw error
      }
    },
    async tryOp<T>(fn: () => T | Promise<T>): Promise<OpOutcome<T>> {
      const t0 = performance.now()
      try {
        const value = await fn()
        ops.record(performance.now() - t0, true)
        return { ok: true, value }
      } catch (error) {
        ops.record(performance.now() - t0, false, error)
        return { ok: false, error: toError(error) }
      }
    },
    recordOp(durationMs, ok = true, error) {
      if (!Number.isFinite(durationMs) || durationMs < 0) throw new RangeError(`recordOp(${durationMs}): a duration is a non-negative number of ms.`)
      ops.record(durationMs, ok, error)
    },
    async bench(fn, options) {
      ops.setBench(await runBench(init.stage, fn, options ?? {}, init.signal))
    },
    metric(name, value) {
      if (!Number.isFinite(value)) throw new RangeError(`metric('${name}', ${value}): metrics are finite numbers.`)
      metrics[name] = value
    },
    recordSettings: init.recordSettings,
    gc: init.gc,
    service: init.service ?? null,
    async load(options) {
      const result = await driveLoad(options, init.service?.url ?? null, init.signal, {
        recordResponse(latencyMs, ok, status) {
          http.response(latencyMs, status)
          ops.record(latencyMs, ok, ok ? undefined : `HTTP ${status}`)
        },
        recordFailure(message) {
          ops.recordFailure(message)
        },
      })
      http.add(result)
      return result
    },
  }
  return { ctx, ops, metrics, http }
}

async function runBench(name: string, fn: () => unknown, options: BenchStageOptions, signal: AbortSignal): Promise<Omit<OpStats, 'errorMessages'>> {
  const { Bench } = await import('tinybench')
  const bench = new Bench({
    iterations: options.iterations ?? 64,
    time: options.timeMs ?? 500,
    warmup: options.warmup ?? true,
    signal,
    throws: true,
    // Kept so p95 can be read from the samples: tinybench reports p50/p75/p99 but no p95.
    retainSamples: true,
  })
  bench.add(name, fn)
  const t0 = performance.now()
  await bench.run()
  const durationMs = performance.now() - t0
  const result = bench.tasks[0]?.result
  if (!result || !('latency' in result)) {
    const reason = result && 'error' in result ? result.error.message : (result?.state ?? 'no result')
    throw new Error(`Micro-benchmark of stage '${name}' did not complete: ${reason}`)
  }
  const lat = result.latency
  return {
    count: lat.samplesCount,
    errors: 0,
    durationMs,
    throughputPerSec: result.throughput.mean,
    latencyMs: { p50: lat.p50, p95: p95Of(lat.samples, lat.p99), p99: lat.p99, mean: lat.mean, min: lat.min, max: lat.max },
    source: 'tinybench',
  }
}

/** p95 of tinybench's sorted samples (linear interpolation, as common/stats). */
function p95Of(samples: readonly number[] | undefined, fallback: number): number {
  if (!samples || samples.length === 0) return fallback
  const rank = 0.95 * (samples.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  const a = samples[lo] ?? fallback
  const b = samples[hi] ?? fallback
  return a + (b - a) * (rank - lo)
}
