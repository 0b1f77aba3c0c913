/**
 * The leak check behind `toLeakMemory`: call `fn` repeatedly and see what stays after a full GC.
 *
 * Rounds of `iterations` calls. The plain rounds only read the after-GC heap (JS heap without
 * compiled code, plus external memory), which is cheap; a clean function stops after two quiet
 * ones. When one grows past half the limit, tracked rounds run the calls again: two in a row must
 * grow past the limit (one GC-timing accident or one burst of the test runner's own work is not a
 * leak), and then one heap snapshot names the constructors that grew and what holds them.
 *
 * The tracked rounds need one snapshot, not two: V8's object-id tracking goes on before their calls
 * (which numbers every live object, far cheaper than writing a snapshot) and marks the id reached;
 * in the snapshot after the calls, objects with higher ids were allocated during those rounds and
 * survived them — the same "new ids that are still alive" diff memgate's snapshot diff computes.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { captureHeapSnapshot } from '../snapshot/index.js'
import { heapWithoutCodeBytes, settledGc } from './measure.js'
import type { ResolvedLeakOptions } from './options.js'
import { growingSince, type GrowingConstructor } from './new-objects.js'

export type { GrowingConstructor } from './new-objects.js'

/** Result of {@link checkLeak}. */
export interface LeakCheckResult {
  leaked: boolean
  /** Growth of each round, in bytes: one or two plain rounds, then up to two under object-id tracking when a plain one grew past half the limit. */
  roundsBytes: number[]
  /** The growth reported: for a leak, the smaller of the tracked round and the largest plain round; otherwise the largest round. */
  growthBytes: number
  limitBytes: number
  iterations: number
  durationMs: number
  /** Present when the snapshot was analysed. */
  growing?: GrowingConstructor[]
  /** Why no snapshot analysis is available, when it failed. */
  diffError?: string
}

/** What stays: JS heap without compiled code, plus external memory (Buffers, ArrayBuffers). */
const retained = (): number => heapWithoutCodeBytes() + process.memoryUsage().external

/** After-GC heap + external ({@link settledGc}). */
async function steady(): Promise<number> {
  await settledGc()
  return retained()
}

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

/**
 * Runs the check. `fn` may be async; each call is awaited.
 * @example const r = await checkLeak(() => handle(req), { iterations: 50, warmup: 5, heapBytes: 16384, top: 5 })
 */
export async function checkLeak(fn: () => unknown, options: ResolvedLeakOptions): Promise<LeakCheckResult> {
  const startMs = performance.now()
  const limit = options.heapBytes
  await callTimes(fn, options.warmup)
  const plainRound = async () => {
    const before = await steady()
    await callTimes(fn, options.iterations)
    return (await steady()) - before
  }
  const base = { limitBytes: limit, iterations: options.iterations }
  // Plain rounds until one grows by more than half the limit; two quiet rounds mean no leak.
  const roundsBytes = [await plainRound()]
  if (roundsBytes[0]! <= limit / 2) roundsBytes.push(await plainRound())
  if (roundsBytes.every((r) => r <= limit / 2)) {
    return { ...base, leaked: false, roundsBytes, growthBytes: Math.max(...roundsBytes), durationMs: performance.now() - startMs }
  }
  const session = new Session()
  session.connect()
  let dir: string | undefined
  try {
    const mark = await markHeap(session)
    // Two tracked rounds, both over the limit: a leak grows in every round, while a burst of the
    // runner's own work between calls (an async fn yields to it) lands in one round at most.
    const tracked: number[] = []
    for (let i = 0; i < 2 && (i === 0 || tracked[0]! > limit); i++) {
      const from = await steady()
      await callTimes(fn, options.iterations)
      tracked.push((await steady()) - from)
    }
    const leaked = tracked.every((r) => r > limit)
    const last = Math.min(...tracked)
    const result: LeakCheckResult = { ...base, leaked, roundsBytes: [...roundsBytes, ...tracked], growthBytes: leaked ? Math.min(last, Math.max(...roundsBytes)) : last, durationMs: 0 }
    if (leaked) {
      try {
        dir = await mkdtemp(join(tmpdir(), 'memgate-leak-'))
        const { path } = await captureHeapSnapshot(join(dir, 'after.heapsnapshot'), { gc: false })
        await session.post('HeapProfiler.disable')
        result.growing = await growingSince(path, mark, options.top)
      } catch (error) {
        result.diffError = error instanceof Error ? error.message : String(error)
      }
    }
    result.durationMs = performance.now() - startMs
    return result
  } finally {
    await session.post('HeapProfiler.disable').catch(() => undefined)
    session.disconnect()
    if (dir) await rm(dir, { recursive: true, force: true })
  }
}
