/**
 * The watcher's own cost (issue 12's goal): CPU ≤ 1% of one core at a 1 s interval on a tree of
 * 10 processes, RSS ≤ 60 MB.
 *
 * A tree of 10 Node processes (a root and 9 workers, each holding 32 MiB and touching it every
 * 200 ms, like idle service workers) is watched twice for `--duration` seconds:
 *
 * 1. As users run it: `node bin/memgate.js watch ROOT --interval 1 --json` (compiled `dist/`: run
 *    `npm run build` first), sampled from outside through /proc. CPU counts from its first tick
 *    to its last (Node's start-up and module loading are not watch overhead, and are printed
 *    apart); RSS is the highest seen while watching, and VmHWM over its whole life.
 * 2. The library alone (`watchProcesses` from the compiled public entry, in a plain Node
 *    process): CPU from `process.cpuUsage()` over the watch, after a 3 s warm-up; RSS the highest
 *    at any tick.
 *
 * Usage: npm run build && npx tsx bench/watch.ts [--duration 45] [--interval 1] [--processes 10]
 *        [--bin FILE] [--entry FILE]  (another build: its bin/memgate.js and its dist/src/index.js)
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { formatBytes, samplePid } from '../src/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const path = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback
}
const bin = path('bin', join(root, 'bin', 'memgate.js'))
const entry = path('entry', join(root, 'dist', 'src', 'index.js'))
const durationS = flag('duration', 45)
const intervalS = flag('interval', 1)
const processes = flag('processes', 10)

const CPU_GOAL_PERCENT = 1
const RSS_GOAL_BYTES = 60 * 1000 * 1000

/** A worker: 32 MiB resident, one byte per page touched every 200 ms. */
const WORKER = `const b = Buffer.alloc(32 * 1024 * 1024, 1); setInterval(() => { for (let i = 0; i < b.length; i += 4096) b[i]++ }, 200)`
/** The root starts the workers and prints when they all run. */
const ROOT = `const { spawn } = require('node:child_process');
const kids = Array.from({ length: ${processes - 1} }, () => spawn(process.execPath, ['-e', ${JSON.stringify(WORKER)}], { stdio: 'ignore' }));
Promise.all(kids.map((k) => new Promise((r) => k.once('spawn', r)))).then(() => console.log('ready'));
setInterval(() => {}, 1000);`

async function startTree(): Promise<ChildProcess> {
  // Its own process group, so the whole tree is ended with one signal.
  const tree = spawn(process.execPath, ['-e', ROOT], { stdio: ['ignore', 'pipe', 'inherit'], detached: true })
  await once(createInterface({ input: tree.stdout! }), 'line')
  await new Promise((r) => setTimeout(r, 1000)) // workers allocate their 32 MiB
  return tree
}

interface Figures {
  cpuPercent: number
  watchRssBytes: number | null
  note: string
}

/** 1: the CLI as users run it, measured from outside. */
async function measureCli(rootPid: number, outDir: string): Promise<Figures> {
  if (!existsSync(join(entry, '..', 'cli', 'commands', 'watch.js'))) throw new Error(`${entry} has no watch command beside it: run \`npm run build\` first`)
  const startedAtMs = Date.now()
  const watcher = spawn(process.execPath, [bin, 'watch', String(rootPid), '--interval', String(intervalS), '--duration', String(durationS), '--json', '--out', outDir], { stdio: ['ignore', 'pipe', 'inherit'] })
  const pid = watcher.pid!
  let first: { atMs: number; cpuMs: number } | null = null
  let last: { atMs: number; cpuMs: number } | null = null
  let maxRss = 0
  let hwm: number | null = null
  let ticks = 0
  let summary: { ticks?: number; watcherCpuMs?: number; startedAtMs?: number; endedAtMs?: number; processes?: unknown[] } = {}
  const lines = createInterface({ input: watcher.stdout! })
  lines.on('line', (line) => {
    const o = JSON.parse(line) as { type: string }
    if (o.type === 'summary') summary = o as typeof summary
    if (o.type !== 'tick') return
    ticks++
    // Sampled right after each tick is printed: the watcher is between ticks, idle.
    void samplePid(pid, { smapsMinIntervalMs: 0 }).then((s) => {
      if (!s || s.cpuUserMs === null) return
      const point = { atMs: s.atMs, cpuMs: s.cpuUserMs + (s.cpuSystemMs ?? 0) }
      if (ticks <= 1) first = point
      else last = point
      // From the second tick on: the first has just finished loading modules.
      if (ticks > 1 && s.rssBytes !== null) maxRss = Math.max(maxRss, s.rssBytes)
      hwm = s.peakRssBytes
    })
  })
  const [code] = (await once(watcher, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`memgate watch exited with ${code}`)
  if (!first || !last) throw new Error('the watcher printed too few ticks to measure')
  const f = first as { atMs: number; cpuMs: number }
  const l = last as { atMs: number; cpuMs: number }
  const cpuPercent = ((l.cpuMs - f.cpuMs) / (l.atMs - f.atMs)) * 100
  const ownPercent = summary.watcherCpuMs !== undefined && summary.endedAtMs && summary.startedAtMs ? (summary.watcherCpuMs / (summary.endedAtMs - summary.startedAtMs)) * 100 : null
  return {
    cpuPercent,
    watchRssBytes: maxRss,
    note: [
      `${ticks} ticks over ${((l.atMs - f.atMs) / 1000).toFixed(1)} s measured, ${summary.processes?.length ?? '?'} processes watched`,
      `start-up to first tick: ${f.cpuMs.toFixed(0)} ms CPU, ${((f.atMs - startedAtMs) / 1000).toFixed(2)} s`,
      `VmHWM over its life: ${formatBytes(hwm)}`,
      `watch loop by its own process.cpuUsage(): ${ownPercent === null ? '—' : `${ownPercent.toFixed(2)}%`}`,
    ].join('; '),
  }
}

/**
 * 2: the library alone, as `import { watchProcesses } from 'memgate'` (compiled `dist/src/index.js`),
 * in a plain Node process: this one runs under tsx, whose loader thread would count in
 * `process.cpuUsage()` and whose ~75 MB would hide the watcher's RSS.
 */
async function measureLibrary(rootPid: number): Promise<Figures> {
  const script = `
    const { watchProcesses, resolveSelection } = await import(${JSON.stringify(entry)});
    const selection = await resolveSelection({ kind: 'pids', pids: [${rootPid}] });
    const rssAtImport = process.memoryUsage().rss;
    // A short warm-up: the first tick reads every process's stat, and JIT is not steady state.
    await watchProcesses({ selection, intervalMs: ${intervalS * 1000}, durationMs: 3000 });
    let maxRss = 0;
    const cpu0 = process.cpuUsage(); const t0 = performance.now();
    const r = await watchProcesses({ selection, intervalMs: ${intervalS * 1000}, durationMs: ${durationS * 1000}, onTick: () => { maxRss = Math.max(maxRss, process.memoryUsage().rss) } });
    const cpu = process.cpuUsage(cpu0); const wallMs = performance.now() - t0;
    console.log(JSON.stringify({ ticks: r.ticks, processes: r.processes.length, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, wallMs, rssAtImport, maxRss }));`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c))
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`the library measurement exited with ${code}`)
  const r = JSON.parse(out) as { ticks: number; processes: number; userMs: number; systemMs: number; wallMs: number; rssAtImport: number; maxRss: number }
  return {
    cpuPercent: ((r.userMs + r.systemMs) / r.wallMs) * 100,
    watchRssBytes: r.maxRss,
    note: `${r.ticks} ticks, ${r.processes} processes; user ${r.userMs.toFixed(0)} ms, system ${r.systemMs.toFixed(0)} ms over ${(r.wallMs / 1000).toFixed(1)} s; RSS after importing memgate ${formatBytes(r.rssAtImport)} (bare Node is ~40 MB)`,
  }
}

async function main(): Promise<void> {
  const tree = await startTree()
  const outDir = await mkdtemp(join(tmpdir(), 'memgate-bench-watch-'))
  try {
    console.log(`memgate watch overhead: a tree of ${processes} Node processes, ${intervalS} s interval, ${durationS} s per measurement`)
    const cli = await measureCli(tree.pid!, outDir)
    const lib = await measureLibrary(tree.pid!)
    const verdict = (ok: boolean): string => (ok ? 'meets the goal' : 'MISSES the goal')
    console.log('')
    console.log(`memgate watch (CLI, dist):  CPU ${cli.cpuPercent.toFixed(2)}% of one core (goal ≤ ${CPU_GOAL_PERCENT}%: ${verdict(cli.cpuPercent <= CPU_GOAL_PERCENT)}); RSS ${formatBytes(cli.watchRssBytes)} = ${((cli.watchRssBytes ?? 0) / 1e6).toFixed(1)} MB (goal ≤ 60 MB: ${verdict((cli.watchRssBytes ?? Infinity) <= RSS_GOAL_BYTES)})`)
    console.log(`  ${cli.note}`)
    console.log(`watchProcesses (library, plain Node):  CPU ${lib.cpuPercent.toFixed(2)}% of one core (goal ≤ ${CPU_GOAL_PERCENT}%: ${verdict(lib.cpuPercent <= CPU_GOAL_PERCENT)}); RSS ${formatBytes(lib.watchRssBytes)} = ${((lib.watchRssBytes ?? 0) / 1e6).toFixed(1)} MB (goal ≤ 60 MB: ${verdict((lib.watchRssBytes ?? Infinity) <= RSS_GOAL_BYTES)})`)
    console.log(`  ${lib.note}`)
  } finally {
    try {
      process.kill(-tree.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
    await rm(outDir, { recursive: true, force: true })
  }
}

await main()
