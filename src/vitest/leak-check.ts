/**
 * The leak check behind `toLeakMemory`: call `fn` repeatedly and see what stays after a full GC.
 *
 * Rounds of `iterations` calls, with a settled-GC reading ({@link settledGc}) between rounds: one
 * reading ends a round and starts the next, so n rounds cost n + 1 readings. The plain rounds only
 * read the after-GC heap (JS heap without compiled code, plus external memory), which is cheap; a
 * clean function stops after two quiet ones (3 readings). When one grows past half the limit,
 * tracked rounds run the calls again: two in a row must grow past the limit (one GC-timing
 * accident or one burst of the test runner's own work is not a leak), and then one heap snapshot
 * names the constructors that grew and what holds them.
 *
 * The tracked rounds need one snapshot, not two: V8's object-id tracking goes on before their calls
 * (which numbers every live object, far cheaper than writing a snapshot) and marks the id reached;
 * in the snapshot after the calls, objects with higher ids were allocated during those rounds and
 * survived them — the same "new ids that are still alive" diff memgate's snapshot diff computes.
 *
 * Where the time goes (a leaking 1 ms function, 50 iterations, in a vitest worker of ~15 MB heap,
 * CPU time): the snapshot ~650–950 ms, parsing and analysing it ~280 ms, each settled reading
 * ~50 ms (~90 ms while tracking: V8's inspector then also renumbers the heap every 50 ms of event
 * loop), the mark ~70 ms, the calls ~160 ms. So the snapshot and its parse are taken only for a
 * leak, tracking is switched off before the parse, and the snapshot modules load only then.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { heapWithoutCodeBytes, settledGc } from './measure.js'
import type { ResolvedLeakOptions } from './options.js'
import type { GrowingConstructor } from './new-objects.js'

export type { GrowingConstructor } from './new-objects.js'

/** Result of {@link checkLeak}. */
export interface LeakCheckResult {
  leaked: boolean
  /** Growth of each round, in bytes: one or two plain rounds, then up to two under object-id tracking when a plain one grew past half the limit. */
  roundsBytes: number[]
  /** The growth reported: with tracked rounds, the smaller of them (over the limit for a leak); otherwise the larger plain round. */
  growthBytes: number
  limitBytes: number
  iterations: number
  /** Wall time of the check. */
  durationMs: number
  /** CPU time of the worker process during the check (its GC threads included): what contention does not inflate. */
  cpuMs: number
  /** Present when the snapshot was analysed. */
  growing?: GrowingConstructor[]
  /** Why no snapshot analysis is available, when it failed. */
  diffError?: string
  timings: LeakCheckTimings
}

/** What stays: JS heap without compiled code, plus external memory (Buffers, ArrayBuffers). */
const retained = (): number => heapWithoutCodeBytes() + process.memoryUsage().external

async function callTimes(fn: () => unknown, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await fn()
}

/**
 * Switches on object-id tracking and returns an id mark: every object alive now has an id at or
 * below it; objects allocated later get higher ids when a snapshot first sees them.
 * `startTrackingHeapObjects` numbers all live objects; a probe object made after that is numbered
 * by a second call, so its id is at least the highest one given out before it.
 */
async function markHeap(session: Session): Promise<number> {
  await session.post('HeapProfiler.enable')
  await session.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false })
  const { result } = await session.post('Runtime.evaluate', { expression: '({})', objectGroup: 'memgate-mark' })
  await session.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false })
  const { heapSnapshotObjectId } = await session.post('HeapProfiler.getHeapObjectId', { objectId: result.objectId! })
  await session.post('Runtime.releaseObjectGroup', { objectGroup: 'memgate-mark' })
  const mark = Number(heapSnapshotObjectId)
  if (!(mark > 0)) throw new Error(`V8 gave no object id for the mark (${heapSnapshotObjectId})`)
  return mark
}

/** How the time of one check was spent, in ms of wall time (for the bench and for slow checks). */
export interface LeakCheckTimings {
  /** Settled-GC readings, and how many. */
  readingsMs: number
  readings: number
  /** The calls of `fn` (warmup included). */
  callsMs: number
  /** Loading the snapshot modules, once per test file, when a round first looks like a leak. */
  loadMs: number
  /** Inspector session and object-id mark. */
  markMs: number
  /** Writing the heap snapshot. */
  snapshotMs: number
  /** Parsing and analysing it. */
  analysisMs: number
}

/**
 * Runs the check. `fn` may be async; each call is awaited.
 * @example const r = await checkLeak(() => handle(req), { iterations: 50, warmup: 5, heapBytes: 16384, top: 5 })
 */
export async function checkLeak(fn: () => unknown, options: ResolvedLeakOptions): Promise<LeakCheckResult> {
  const startMs = performance.now()
  const startCpu = process.cpuUsage()
  const limit = options.heapBytes
  const timings: LeakCheckTimings = { readingsMs: 0, readings: 0, callsMs: 0, loadMs: 0, markMs: 0, snapshotMs: 0, analysisMs: 0 }
  const timed = async <T>(key: 'callsMs' | 'loadMs' | 'markMs' | 'snapshotMs' | 'analysisMs', work: () => Promise<T>): Promise<T> => {
    const t = performance.now()
    try {
      return await work()
    } finally {
      timings[key] += performance.now() - t
    }
  }
  const steady = async (): Promise<number> => {
    const t = performance.now()
    await settledGc()
    timings.readings++
    timings.readingsMs += performance.now() - t
    return retained()
  }
  await timed('callsMs', () => callTimes(fn, options.warmup))
  /** Rounds chain: the reading that ends one round starts the next. */
  let last = await steady()
  const round = async (): Promise<number> => {
    await timed('callsMs', () => callTimes(fn, options.iterations))
    const now = await steady()
    const grew = now - last
    last = now
    return grew
  }
  const base = { limitBytes: limit, iterations: options.iterations }
  const cpuMs = () => {
    const c = process.cpuUsage(startCpu)
    return (c.user + c.system) / 1000
  }
  const done = (r: Omit<LeakCheckResult, 'durationMs' | 'cpuMs' | 'timings' | keyof typeof base>): LeakCheckResult => ({ ...base, ...r, timings, durationMs: performance.now() - startMs, cpuMs: cpuMs() })
  // Plain rounds until one grows by more than half the limit; two quiet rounds mean no leak.
  const roundsBytes = [await round()]
  if (roundsBytes[0]! <= limit / 2) roundsBytes.push(await round())
  if (roundsBytes.every((r) => r <= limit / 2)) return done({ leaked: false, roundsBytes, growthBytes: Math.max(...roundsBytes) })
  // Before the mark: loading modules turns the event loop, and each turn with tracking on may
  // renumber the heap. Only a suspected leak needs the snapshot modules (some 30 files).
  const [{ captureHeapSnapshot }, { growingSince }] = await timed('loadMs', () => Promise.all([import('../snapshot/capture.js'), import('./new-objects.js')]))
  const session = new Session()
  let dir: string | undefined
  try {
    dir = await mkdtemp(join(tmpdir(), 'memgate-leak-'))
    const mark = await timed('markMs', async () => {
      session.connect()
      return markHeap(session)
    })
    // The mark's own allocations (protocol messages) are garbage: read again after it.
    last = await steady()
    // Two tracked rounds, both over the limit: a leak grows in every round, while a burst of the
    // runner's own work between calls (an async fn yields to it) lands in one round at most.
    const tracked = [await round()]
    if (tracked[0]! > limit) tracked.push(await round())
    const leaked = tracked.every((r) => r > limit)
    // The tracked rounds, which the verdict rests on: a plain round can read low (the reading
    // before it may still hold the runner's transient objects), down to 16 KB for a 55 KB leak.
    const result = done({ leaked, roundsBytes: [...roundsBytes, ...tracked], growthBytes: Math.min(...tracked) })
    if (leaked) {
      try {
        const { path } = await timed('snapshotMs', () => captureHeapSnapshot(join(dir!, 'after.heapsnapshot'), { gc: false }))
        // Off before the parse: with tracking on, V8 renumbers the heap every 50 ms of event loop.
        await session.post('HeapProfiler.disable')
        result.growing = await timed('analysisMs', () => growingSince(path, mark, options.top))
      } catch (error) {
        result.diffError = error instanceof Error ? error.message : String(error)
      }
    }
    result.durationMs = performance.now() - startMs
    result.cpuMs = cpuMs()
    return result
  } finally {
    await session.post('HeapProfiler.disable').catch(() => undefined)
    session.disconnect()
    if (dir) await rm(dir, { recursive: true, force: true })
  }
}
