/**
 * memgate/vitest goals (issue 14): false failures of the fixture project's clean tests, planted
 * 1 KiB-per-call leaks caught, leak-check time, and the plugin's overhead on some of memgate's
 * own test files. Prints figures; asserts nothing. Runs vitest from source (no build).
 *
 *   npx tsx bench/vitest.ts [runs=20] [overheadPairs=3] [gcEveryTest=0]
 *
 * Time on a shared machine: every figure comes with the load average, leak checks with their CPU
 * time (wall time is CPU time over the share the worker got), and the overhead as with/without
 * ratios of runs taken in pairs, alternating which goes first (A/B, B/A, ...), in wall time and
 * in CPU time of the whole vitest process tree.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const FIXTURE = join(ROOT, 'test/fixtures/vitest-project')
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs')
const runs = Number(process.argv[2] ?? 20)
const overheadPairs = Number(process.argv[3] ?? 3)
const withGcEveryTest = process.argv[4] === '1'
const OVERHEAD_FILES = ['test/common', 'test/snapshot/diff.test.ts', 'test/snapshot/retainers.test.ts', 'test/snapshot/dominators.test.ts', 'test/probe/timeline.test.ts', 'test/probe/sample-self.test.ts', 'test/baseline/compare.test.ts']

const out = mkdtempSync(join(tmpdir(), 'memgate-bench-vitest-'))
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN
const fmt = (xs: number[]) => (xs.length === 0 ? 'none' : `median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`)

/** CPU time of the children this process has waited for (`cutime` + `cstime`), in ms; null without procfs. */
const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100
function childrenCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
    // After "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks
  } catch {
    return null
  }
}

function vitest(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const t = performance.now()
  const c = childrenCpuMs()
  const r = spawnSync(process.execPath, [VITEST, 'run', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1', ...env }, encoding: 'utf8', maxBuffer: 64 << 20 })
  const c2 = childrenCpuMs()
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}`, ms: performance.now() - t, cpuMs: c === null || c2 === null ? NaN : c2 - c }
}

interface Check {
  growthBytes: number
  leaked: boolean
  durationMs: number
  cpuMs: number
  timings: { readings: number; readingsMs: number; callsMs: number; loadMs: number; markMs: number; snapshotMs: number; analysisMs: number }
}
function leakChecks(file: string, name: string): Check[] {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as { tests: { name: string; figures: { leakChecks: Check[] } | null }[] }
    return report.tests.find((t) => t.name === name)?.figures?.leakChecks ?? []
  } catch {
    return []
  }
}

function describeChecks(checks: Check[]): string {
  const t = (k: keyof Check['timings']) => median(checks.map((c) => c.timings[k])).toFixed(0)
  return `wall ${fmt(checks.map((c) => c.durationMs))}; CPU ${fmt(checks.map((c) => c.cpuMs))}; medians: ${t('readings')} settled-GC readings ${t('readingsMs')} ms, calls ${t('callsMs')} ms, loading snapshot modules ${t('loadMs')} ms, mark ${t('markMs')} ms, snapshot ${t('snapshotMs')} ms, analysis ${t('analysisMs')} ms`
}

try {
  console.log(`memgate/vitest bench: ${runs} runs each; load average at start ${load()} on ${cpus().length} CPUs`)
  let falseFailures = 0
  const clean: Check[] = []
  for (let i = 0; i < runs; i++) {
    const env = { MEMGATE_FIXTURE_OUT: join(out, `clean-${i}`) }
    const r = vitest(['--root', FIXTURE, 'tests/clean.test.ts'], env)
    if (r.code !== 0) {
      falseFailures++
      console.log(`  clean run ${i + 1} FAILED:\n${r.output.split('\n').filter((l) => /FAIL|Error|expected/.test(l)).slice(0, 8).join('\n')}`)
    }
    clean.push(...leakChecks(join(out, `clean-${i}`, 'memory.json'), 'clean handler'))
  }
  const cleanGrowth = clean.map((c) => c.growthBytes)
  console.log(`clean tests: ${falseFailures} false failures in ${runs} runs; 'clean handler' growth over 50 calls: median ${median(cleanGrowth)} B, range ${Math.min(...cleanGrowth)}…${Math.max(...cleanGrowth)} B`)
  console.log(`clean leak check (50 iterations of a 1 ms function, no snapshot): ${describeChecks(clean)} (load ${load()})`)

  let caught = 0
  const leaks: Check[] = []
  for (let i = 0; i < runs; i++) {
    const env = { MEMGATE_FIXTURE_OUT: join(out, `leak-${i}`) }
    const r = vitest(['--root', FIXTURE, 'tests/leak.test.ts'], env)
    const named = /\+\d+ LeakyRequest \([^)]*\), held by .*LeakyRequest/.test(r.output)
    if (r.code === 1 && named) caught++
    else console.log(`  leak run ${i + 1} missed (exit ${r.code}, constructor named: ${named})`)
    leaks.push(...leakChecks(join(out, `leak-${i}`, 'memory.json'), 'planted leak'))
  }
  const leakGrowth = leaks.map((c) => c.growthBytes)
  console.log(`planted 1 KiB/call leak over 50 calls: caught ${caught} of ${runs}; growth median ${median(leakGrowth)} B, min ${Math.min(...leakGrowth)} B (limit 16384 B)`)
  console.log(`leak check that finds the leak (50 iterations of a 1 ms function, with its snapshot): ${describeChecks(leaks)} (load ${load()})`)

  type Side = { name: string; args: string[]; env: Record<string, string> }
  const sides: Side[] = [
    { name: 'without', args: OVERHEAD_FILES, env: {} },
    { name: 'with memgate()', args: ['--config', 'test/vitest/overhead.config.ts', ...OVERHEAD_FILES], env: {} },
  ]
  if (withGcEveryTest) sides.push({ name: 'with memgate({ gcEveryTest: true })', args: sides[1]!.args, env: { MEMGATE_BENCH_GC_EVERY_TEST: '1' } })
  const wall = sides.map(() => [] as number[])
  const cpu = sides.map(() => [] as number[])
  for (let i = 0; i < overheadPairs; i++) {
    // Alternate the order, so drifting load and warm caches favour neither side.
    const order = sides.map((_, k) => k)
    if (i % 2 === 1) order.reverse()
    for (const k of order) {
      const s = sides[k]!
      const r = vitest(s.args, { ...s.env, MEMGATE_BENCH_OUT: join(out, `overhead-${i}-${k}`) })
      if (r.code !== 0) console.log(`  overhead run ${i + 1} ${s.name}: exit code ${r.code}`)
      wall[k]!.push(r.ms)
      cpu[k]!.push(r.cpuMs)
    }
    console.log(`  pair ${i + 1}: ${sides.map((s, k) => `${s.name} ${(wall[k]![i]! / 1000).toFixed(1)} s wall, ${(cpu[k]![i]! / 1000).toFixed(1)} s CPU`).join('; ')} (load ${load()})`)
  }
  const ratio = (k: number, xs: number[][]) => median(xs[k]!.map((v, i) => v / xs[0]![i]!))
  for (let k = 1; k < sides.length; k++) {
    console.log(
      `overhead of ${sides[k]!.name} on ${OVERHEAD_FILES.length} paths (${overheadPairs} pairs): wall ×${ratio(k, wall).toFixed(3)} (${((ratio(k, wall) - 1) * 100).toFixed(1)}%), ` +
        `CPU ×${ratio(k, cpu).toFixed(3)} (${((ratio(k, cpu) - 1) * 100).toFixed(1)}%), medians of the per-pair ratios; ` +
        `median wall ${(median(wall[0]!) / 1000).toFixed(1)} → ${(median(wall[k]!) / 1000).toFixed(1)} s, CPU ${(median(cpu[0]!) / 1000).toFixed(1)} → ${(median(cpu[k]!) / 1000).toFixed(1)} s (load ${load()})`,
    )
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
