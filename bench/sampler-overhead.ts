/**
 * What does sampling cost the measured process? Prints figures; asserts nothing.
 *
 *   npx tsx bench/sampler-overhead.ts [--rounds 16] [--window-ms 300]
 *
 * 1. In-process: throughput of a busy allocation loop (short-lived objects and Buffers) with a
 *    timeline sampling this process every 10 ms (`sampleSelf()`, heap spaces included) vs none.
 * 2. Other PID (the scenario runner's mode): the same loop in a child process, with the parent
 *    sampling it every 10 ms (`samplePid`) vs not.
 * 3. Cost of one call of each sampler, with and without the `smaps_rollup` read that the
 *    samplers throttle to once a second by default.
 *
 * Rounds alternate A-B-B-A so drift on a shared machine hits both arms alike; the figures are
 * medians over rounds, with the MAD as the spread. Two throughputs per window: ops per wall
 * second (what a user sees, but other tenants of a shared box move it by tens of percent) and
 * ops per CPU second of the worked process (insensitive to being preempted, and exactly where
 * an in-process sampler's cost lands). Goal: ≤ 1% throughput cost at 10 ms.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { mad, median, percentile, createTimeline, sampleSelf, samplePid, sampleTree } from '../src/index.js'

const INTERVAL_MS = 10

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} expects a positive number`)
  return value
}
const ROUNDS = flag('rounds', 16)
const WINDOW_MS = flag('window-ms', 300)

/**
 * The workload, as plain JavaScript source so the child runs exactly the same code. It works in
 * ~2 ms slices and yields between them: a loop that never yields would starve the sampler's timer,
 * which would make sampling look free.
 */
const WORKLOAD = `
async function runWindow(windowMs) {
  const { setImmediate: yieldNow } = require('node:timers/promises');
  let ops = 0, sink = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + windowMs;
  while (performance.now() < end) {
    const sliceEnd = performance.now() + 2;
    while (performance.now() < sliceEnd) {
      for (let i = 0; i < 100; i++) {
        const o = { id: i, tags: [i, i + 1], name: 'item' + i };
        const b = Buffer.alloc(512 + (i & 1023));
        b[0] = i;
        sink += o.tags.length + b.length + o.name.length;
        ops++;
      }
    }
    await yieldNow();
  }
  if (sink < 0) console.log(sink);
  const cpu = process.cpuUsage(cpu0);
  return { wall: (ops * 1000) / (performance.now() - start), cpu: (ops * 1e6) / (cpu.user + cpu.system) };
}
`
const runWindow = new Function('require', `${WORKLOAD}; return runWindow`)(
  (await import('node:module')).createRequire(import.meta.url),
) as (windowMs: number) => Promise<Throughput>

/** Ops per wall second and ops per CPU second of the working process, for one window. */
interface Throughput {
  wall: number
  cpu: number
}

interface Arms {
  off: Throughput[]
  on: Throughput[]
}

/** Runs rounds in A-B-B-A order; `measure(on)` returns the throughput of one window. */
async function alternate(measure: (on: boolean) => Promise<Throughput>): Promise<Arms> {
  const arms: Arms = { off: [], on: [] }
  await measure(false) // warm-up: JIT, pools
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? [false, true] : [true, false]
    for (const on of order) (on ? arms.on : arms.off).push(await measure(on))
  }
  return arms
}

function report(title: string, arms: Arms, extra = ''): void {
  console.log(`\n${title}`)
  for (const key of ['wall', 'cpu'] as const) {
    const off = arms.off.map((t) => t[key])
    const on = arms.on.map((t) => t[key])
    const ratio = median(on) / median(off)
    const unit = key === 'wall' ? 'ops/wall-s' : 'ops/CPU-s '
    console.log(
      `  ${unit}  without ${fmt(median(off)).padStart(10)} (MAD ${fmt(mad(off))})  with ${fmt(median(on)).padStart(10)} (MAD ${fmt(mad(on))})  ratio ${ratio.toFixed(4)} → cost ${((1 - ratio) * 100).toFixed(2)}%`,
    )
  }
  console.log(`  goal: cost ≤ 1%${extra}`)
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

async function inProcess(): Promise<void> {
  let samples = 0
  // Wall time inside each sampleSelf() call: a direct measure of the duty cycle. On a loaded
  // machine a call is often where the scheduler preempts the busy process (its first syscall
  // after a time slice ran out), which adds another tenant's time to the call; calls during which
  // the process was switched out involuntarily are therefore counted apart. (Process CPU time is
  // no cleaner: it includes V8's concurrent GC threads, busy with the workload's garbage.)
  const cleanMs: number[] = []
  let preempted = 0
  let sampledWindowsMs = 0
  const timedSampleSelf = () => {
    const switches = process.resourceUsage().involuntaryContextSwitches
    const t0 = performance.now()
    const sample = sampleSelf()
    const elapsedMs = performance.now() - t0
    if (process.resourceUsage().involuntaryContextSwitches === switches) cleanMs.push(elapsedMs)
    else preempted++
    return sample
  }
  const arms = await alternate(async (on) => {
    const timeline = on ? createTimeline(timedSampleSelf, { intervalMs: INTERVAL_MS }) : null
    timeline?.start()
    const throughput = await runWindow(WINDOW_MS)
    if (timeline) {
      await timeline.stop()
      samples += timeline.count
      sampledWindowsMs += WINDOW_MS
    }
    return throughput
  })
  const cleanMeanMs = cleanMs.reduce((a, b) => a + b, 0) / cleanMs.length
  report(
    `1. In-process timeline, sampleSelf() every ${INTERVAL_MS} ms`,
    arms,
    `\n  samples per ${WINDOW_MS} ms window: ${(samples / ROUNDS).toFixed(1)} (ideal ${(WINDOW_MS / INTERVAL_MS + 1).toFixed(0)})` +
      `\n  wall time inside sampleSelf() when not preempted (${cleanMs.length} calls; ${preempted} preempted calls left out):` +
      ` median ${(median(cleanMs) * 1000).toFixed(0)} µs, p90 ${(percentile(cleanMs, 90) * 1000).toFixed(0)} µs, mean ${(cleanMeanMs * 1000).toFixed(0)} µs` +
      ` → ${(((cleanMeanMs * samples) / sampledWindowsMs) * 100).toFixed(2)}% of the sampled windows' time`,
  )
}

async function otherPid(): Promise<void> {
  const child = spawn(process.execPath, ['-e', `${WORKLOAD}
require('node:readline').createInterface({ input: process.stdin }).on('line', async (l) => console.log(JSON.stringify(await runWindow(Number(l)))));
console.log('ready');`], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => String((await lines.next()).value)
  await next()
  const pid = child.pid as number
  let samples = 0
  let parentCpuMs = 0
  const arms = await alternate(async (on) => {
    const timeline = on ? createTimeline(() => samplePid(pid), { intervalMs: INTERVAL_MS }) : null
    const cpuBefore = process.cpuUsage()
    timeline?.start()
    child.stdin.write(`${WINDOW_MS}\n`)
    const throughput = JSON.parse(await next()) as Throughput
    if (timeline) {
      await timeline.stop()
      samples += timeline.count
      const cpu = process.cpuUsage(cpuBefore)
      parentCpuMs += (cpu.user + cpu.system) / 1000
    }
    return throughput
  })
  child.kill()
  await once(child, 'exit')
  report(
    `2. Parent samples the child with samplePid() every ${INTERVAL_MS} ms`,
    arms,
    `\n  parent CPU per sample: ${((parentCpuMs / samples) * 1000).toFixed(0)} µs (${samples} samples; runs on the other core when there is one)`,
  )
}

async function perCall(): Promise<void> {
  const time = async (name: string, n: number, fn: () => unknown) => {
    for (let i = 0; i < 20; i++) await fn()
    const wallMs: number[] = []
    const cpu0 = process.cpuUsage()
    for (let i = 0; i < n; i++) {
      const t0 = performance.now()
      await fn()
      wallMs.push(performance.now() - t0)
    }
    const cpu = process.cpuUsage(cpu0)
    const cpuUs = (cpu.user + cpu.system) / n
    const wallUs = median(wallMs) * 1000
    console.log(`  ${name.padEnd(40)} ${wallUs.toFixed(1).padStart(9)} µs wall (median) ${cpuUs.toFixed(1).padStart(9)} µs CPU (mean)`)
  }
  console.log(`\n3. Cost of one call (this process: RSS ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MiB; CPU counts every thread)`)
  await time('sampleSelf() (smaps throttled)', 2000, () => sampleSelf())
  await time('sampleSelf({ heapSpaces: false })', 2000, () => sampleSelf({ heapSpaces: false }))
  await time('sampleSelf({ smapsMinIntervalMs: 0 })', 500, () => sampleSelf({ smapsMinIntervalMs: 0 }))
  await time('samplePid(parent) (smaps throttled)', 500, () => samplePid(process.ppid))
  await time('samplePid(parent, { smaps… 0 })', 200, () => samplePid(process.ppid, { smapsMinIntervalMs: 0 }))
  await time('sampleTree(this process)', 50, () => sampleTree(process.pid))
}

console.log(`sampler overhead: ${ROUNDS} rounds per arm, ${WINDOW_MS} ms windows, Node ${process.version}, ${process.platform}`)
await inProcess()
await otherPid()
await perCall()
