/**
 * The host's speed, measured in the worker: a fixed CPU workload timed in CPU time at both ends of
 * a measuring repeat. CPU time per operation does not count waiting for a core, but it does move
 * with the core's own speed: on a shared VM the same code took 46–61 µs per operation within one
 * session on a quiet machine (boost clocks decaying under sustained load, a neighbour on the sibling
 * hyper-thread), and a clean check read +9.3% CPU per operation against a baseline measured minutes
 * before. Timing a fixed workload in the same process, on the same core, lets the gate compare CPU
 * per operation "at equal host speed": the ratio against a reference measured in the same run.
 *
 * The workload is native code that is already loaded, so it changes nothing the repeat measures:
 * V8's C++ sort of a Float64Array (branchy scalar work) and Node's buffer search (memory scanning),
 * on buffers allocated per burst and collected before the first stage. No JavaScript loop of its own
 * (V8's tiering ran one loop here at two speeds per process) and no module to load (`node:crypto`
 * would add ≈1.8 MiB RSS to every stage). Each burst is timed in the process's CPU time
 * (getrusage), the clock CPU per operation is read on. The main thread's own CPU time would leave
 * out V8's background compiler threads (a 20% outlier in one burst in ten here), but Node 20 has
 * no API for it and `/proc/thread-self/schedstat` advanced in whole 4 ms ticks under load. Several
 * short bursts at each end, median taken: an outlier lands in one burst, and a slow moment at one
 * end weighs half.
 */

/** What one repeat's reference measured: the workload's name and each burst's CPU time. */
export interface SpeedReference {
  /** Names the workload and its clock, so references of different workloads are never compared. */
  workload: string
  /** CPU time of each burst, ms: the bursts at the start, then those at the end. */
  cpuMs: number[]
}

/** Sort-and-search rounds per burst: about 10 ms of CPU on this project's 2-core runner. */
export const REFERENCE_ROUNDS = 20
/** Bursts timed at each end of the repeat (after one untimed warm-up burst). */
export const REFERENCE_BURSTS = 5
const SORTED = 8192
const HAYSTACK_BYTES = 64 * 1024
const SEARCHES = 8

/** This process's CPU time, ms (user + system: getrusage, exact to the microsecond). */
function cpuNowMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** The workload's name as recorded: changing the workload or its clock changes it. */
export const REFERENCE_WORKLOAD = `sort ${SORTED} f64 + ${SEARCHES} searches of ${HAYSTACK_BYTES / 1024} KiB, x${REFERENCE_ROUNDS}, process CPU`

/** One burst's CPU time, ms. */
function burst(): number {
  const source = new Float64Array(SORTED)
  // A fixed xorshift sequence: the same numbers to sort in every burst and every process.
  let x = 0x9e3779b9
  for (let i = 0; i < SORTED; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    source[i] = (x >>> 0) / 4294967296
  }
  const sorted = new Float64Array(SORTED)
  const haystack = Buffer.alloc(HAYSTACK_BYTES, 'abcdefghijklmnopqrstuvwxyz012345')
  const needle = Buffer.from('abcdefghijklmnopqrstuvwxyz01234!')
  const start = cpuNowMs()
  for (let round = 0; round < REFERENCE_ROUNDS; round++) {
    sorted.set(source)
    sorted.sort()
    for (let s = 0; s < SEARCHES; s++) haystack.indexOf(needle)
  }
  return cpuNowMs() - start
}

/**
 * Times {@link REFERENCE_BURSTS} bursts of the reference workload (one untimed first). Synchronous;
 * the caller runs it where nothing else of the scenario is in flight.
 * @returns each burst's CPU time, ms, rounded to the microsecond
 */
export function timeSpeedReference(): number[] {
  burst()
  const out: number[] = []
  for (let i = 0; i < REFERENCE_BURSTS; i++) out.push(Math.round(burst() * 1000) / 1000)
  return out
}
