/**
 * A small request-handling service with knobs for the regressions `bench:gate` plants. The clean
 * variant holds a fixed working set (a bounded cache and a reference table) and churns short-lived
 * garbage per request; each knob, read from the worker's environment, adds one classic bug:
 *
 * - `GATE_EXTRA_RETAIN_BYTES`: more long-lived data (a bigger table), e.g. +5% of the clean peak RSS;
 * - `GATE_UNBOUNDED_CACHE=1`: the response cache never evicts;
 * - `GATE_LEAK_BYTES_PER_OP`: every request leaves a record of that many bytes in a module-level list;
 * - `GATE_CPU_SPIN_US`: every request burns that many more microseconds of its own CPU time (a
 *   slower code path: measured on the process's CPU clock, so a busy neighbour does not change it).
 *
 * Knobs are environment variables, not parameters, so a variant is the same scenario with the same
 * parameters (its baseline stays comparable), as after a code change. Stages are `cycle` stages,
 * so drift across cycles is measured as for the stability scenario.
 */
import { createHash } from 'node:crypto'
import { defineScenario, type Stage } from '../../src/scenario/index.js'

/** Long-lived reference data: the bulk of the clean working set. */
class ReferenceChunk {
  constructor(
    readonly id: number,
    readonly data: Buffer,
  ) {}
}

/** One cached response. */
class CachedResponse {
  constructor(
    readonly key: string,
    readonly body: string,
  ) {}
}

/** What the leaky variant forgets to drop: one per request. */
class LeakedRequestLog {
  constructor(
    readonly id: number,
    readonly line: string,
  ) {}
}

/** Module-level on purpose: what a cycle adds here stays reachable from a GC root. */
const requestLog: LeakedRequestLog[] = []

const CHUNK_BYTES = 64 * 1024

interface State {
  table: ReferenceChunk[]
  cache: Map<string, CachedResponse>
  served: number
  knobs: Knobs
}

type Params = {
  readonly cycles: number
  readonly opsPerCycle: number
  readonly baseRetainBytes: number
  readonly cacheLimit: number
  readonly scanBytes: number
}

/** The planted bugs, from the environment (see the file's header). */
interface Knobs {
  extraRetainBytes: number
  unboundedCache: boolean
  leakBytesPerOp: number
  cpuSpinUs: number
}

function knobs(): Knobs {
  return {
    extraRetainBytes: Number(process.env.GATE_EXTRA_RETAIN_BYTES ?? 0),
    unboundedCache: process.env.GATE_UNBOUNDED_CACHE === '1',
    leakBytesPerOp: Number(process.env.GATE_LEAK_BYTES_PER_OP ?? 0),
    cpuSpinUs: Number(process.env.GATE_CPU_SPIN_US ?? 0),
  }
}

/** Fills `bytes` of reference data (touched, so it is resident). */
function buildTable(bytes: number, firstId: number): ReferenceChunk[] {
  const chunks: ReferenceChunk[] = []
  for (let left = bytes, id = firstId; left > 0; left -= CHUNK_BYTES, id++) chunks.push(new ReferenceChunk(id, Buffer.alloc(Math.min(CHUNK_BYTES, left), id & 0xff)))
  return chunks
}

function handle(state: State, params: Params, request: number): number {
  // Short-lived garbage, as a JSON service makes per request.
  const payload = JSON.parse(JSON.stringify({ id: request, items: Array.from({ length: 16 }, (_, i) => ({ i, name: `item-${request}-${i}` })) })) as { items: unknown[] }
  const key = `req-${request}`
  const body = `${key}:${payload.items.length}:${'r'.repeat(200)}`
  state.cache.set(key, new CachedResponse(key, body))
  if (!state.knobs.unboundedCache && state.cache.size > params.cacheLimit) {
    // Map keeps insertion order: the first key is the least recently added.
    const oldest = state.cache.keys().next().value
    if (oldest !== undefined) state.cache.delete(oldest)
  }
  const leak = state.knobs.leakBytesPerOp
  // A flat string of `leak` bytes with its own content, as a log line would be: padEnd or repeat
  // would build a rope sharing one filler, which leaks far less than it says.
  if (leak > 0) requestLog.push(new LeakedRequestLog(request, Buffer.alloc(leak, `${key} `).toString('latin1')))
  if (state.knobs.cpuSpinUs > 0) spinCpu(state.knobs.cpuSpinUs)
  const chunk = state.table[request % state.table.length]
  return (chunk ? scan(chunk.data, params.scanBytes) : 0) + body.length
}

/**
 * Checksums `bytes` of a reference chunk, as a service verifying reference data would: CPU work
 * in native code (OpenSSL's MD5), so the op's CPU time is mostly its code's and the same in every
 * process. A 20 µs op of garbage alone varies ±10% per repeat with when major GCs land, and a
 * JavaScript loop over the bytes ran at two speeds in different processes (35 or 53 µs per op:
 * which tier V8 compiled it in).
 */
function scan(data: Buffer, bytes: number): number {
  return createHash('md5').update(data.subarray(0, bytes)).digest()[0]!
}

/** Burns `us` microseconds of this process's CPU time (not wall time: a descheduled wait burns none). */
function spinCpu(us: number): void {
  const start = process.cpuUsage()
  let x = 0
  for (;;) {
    for (let i = 0; i < 200; i++) x = (x * 31 + i) | 0
    const d = process.cpuUsage(start)
    if (d.user + d.system >= us) break
  }
  if (x === 42) console.log('')
}

function cycle(index: number): Stage<Params, State> {
  return {
    name: `cycle-${index + 1}`,
    kind: 'cycle',
    async run(ctx, state) {
      let sink = 0
      for (let i = 0; i < ctx.params.opsPerCycle; i++) {
        const t0 = performance.now()
        sink += handle(state, ctx.params, state.served++)
        ctx.recordOp(performance.now() - t0)
        // Yield now and then, as a service between requests.
        if (i % 500 === 499) await new Promise((r) => setImmediate(r))
      }
      ctx.metric('sink', sink % 997)
    },
  }
}

export default defineScenario({
  name: 'gate-service',
  description: 'A request handler with a bounded cache; knobs plant retained memory, an unbounded cache or a per-request leak',
  params: {
    cycles: { default: 3, description: 'cycles (one stage each)', min: 2 },
    opsPerCycle: { default: 5000, description: 'requests per cycle', min: 1 },
    baseRetainBytes: { default: 64 * 1024 * 1024, description: 'long-lived reference data, bytes', min: 0 },
    cacheLimit: { default: 500, description: 'cache entries kept (unless GATE_UNBOUNDED_CACHE=1)', min: 1 },
    scanBytes: { default: 16 * 1024, description: 'reference data checksummed per request, bytes', min: 0 },
  },
  setup(ctx) {
    const k = knobs()
    ctx.recordSettings({ gateKnobs: k })
    const table = buildTable(ctx.params.baseRetainBytes, 0)
    if (k.extraRetainBytes > 0) table.push(...buildTable(k.extraRetainBytes, table.length))
    return { table, cache: new Map(), served: 0, knobs: k } satisfies State
  },
  stages: (p) => Array.from({ length: p.cycles }, (_, i) => cycle(i)),
})
