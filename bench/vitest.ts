/**
 * memgate/vitest goals (issue 14): false failures of the fixture project's clean tests, planted
 * 1 KiB-per-call leaks caught, leak-check time, and the plugin's wall-time overhead on some of
 * memgate's own test files. Prints figures; asserts nothing.
 *
 *   npx tsx bench/vitest.ts [runs=20] [overheadRepeats=3]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const FIXTURE = join(ROOT, 'test/fixtures/vitest-project')
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs')
const runs = Number(process.argv[2] ?? 20)
const overheadRepeats = Number(process.argv[3] ?? 3)
const OVERHEAD_FILES = ['test/common', 'test/snapshot/diff.test.ts', 'test/snapshot/retainers.test.ts', 'test/snapshot/dominators.test.ts', 'test/probe/timeline.test.ts', 'test/probe/sample-self.test.ts', 'test/baseline/compare.test.ts']

const out = mkdtempSync(join(tmpdir(), 'memgate-bench-vitest-'))
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN

function vitest(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const t = performance.now()
  const r = spawnSync(process.execPath, [VITEST, 'run', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1', ...env }, encoding: 'utf8', maxBuffer: 64 << 20 })
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}`, ms: performance.now() - t }
}

interface Check { growthBytes: number; leaked: boolean; durationMs: number }
function leakChecks(file: string, name: string): Check[] {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { tests: { name: string; figures: { leakChecks: Check[] } | null }[] }
  return report.tests.find((t) => t.name === name)?.figures?.leakChecks ?? []
}

try {
  console.log(`memgate/vitest bench: ${runs} runs each; load average at start ${load()} on ${process.env.NPROC ?? ''}${(await import('node:os')).cpus().length} CPUs`)
  let falseFailures = 0
  const cleanGrowth: number[] = []
  const cleanMs: number[] = []
  for (let i = 0; i < runs; i++) {
    const env = { MEMGATE_FIXTURE_OUT: join(out, `clean-${i}`) }
    const r = vitest(['--root', FIXTURE, 'tests/clean.test.ts'], env)
    if (r.code !== 0) {
      falseFailures++
      console.log(`  clean run ${i + 1} FAILED:\n${r.output.split('\n').filter((l) => /FAIL|Error|expected/.test(l)).slice(0, 8).join('\n')}`)
    }
    for (const c of leakChecks(join(out, `clean-${i}`, 'memory.json'), 'clean handler')) {
      cleanGrowth.push(c.growthBytes)
      cleanMs.push(c.durationMs)
    }
  }
  console.log(`clean tests: ${falseFailures} false failures in ${runs} runs; 'clean handler' growth over 50 calls: median ${median(cleanGrowth)} B, range ${Math.min(...cleanGrowth)}…${Math.max(...cleanGrowth)} B; its check took median ${median(cleanMs).toFixed(0)} ms (load ${load()})`)

  let caught = 0
  const leakMs: number[] = []
  const leakGrowth: number[] = []
  for (let i = 0; i < runs; i++) {
    const env = { MEMGATE_FIXTURE_OUT: join(out, `leak-${i}`) }
    const r = vitest(['--root', FIXTURE, 'tests/leak.test.ts'], env)
    const named = /\+\d+ LeakyRequest \([^)]*\), held by .*LeakyRequest/.test(r.output)
    if (r.code === 1 && named) caught++
    else console.log(`  leak run ${i + 1} missed (exit ${r.code}, constructor named: ${named})`)
    for (const c of leakChecks(join(out, `leak-${i}`, 'memory.json'), 'planted leak')) {
      leakMs.push(c.durationMs)
      leakGrowth.push(c.growthBytes)
    }
  }
  console.log(`planted 1 KiB/call leak over 50 calls: caught ${caught} of ${runs}; growth median ${median(leakGrowth)} B, min ${Math.min(...leakGrowth)} B (limit 16384 B)`)
  console.log(`leak check, 50 iterations of a 1 ms function, with its snapshot: median ${median(leakMs).toFixed(0)} ms, min ${Math.min(...leakMs).toFixed(0)} ms, max ${Math.max(...leakMs).toFixed(0)} ms (load ${load()})`)

  const without: number[] = []
  const withPlugin: number[] = []
  for (let i = 0; i < overheadRepeats; i++) {
    // Alternate, so drifting load hits both sides alike.
    const a = vitest(OVERHEAD_FILES)
    const b = vitest(['--config', 'test/vitest/overhead.config.ts', ...OVERHEAD_FILES], { MEMGATE_BENCH_OUT: join(out, `overhead-${i}`) })
    if (a.code !== 0 || b.code !== 0) console.log(`  overhead run ${i + 1}: exit codes ${a.code} / ${b.code}`)
    without.push(a.ms)
    withPlugin.push(b.ms)
  }
  const m0 = median(without)
  const m1 = median(withPlugin)
  console.log(`overhead on ${OVERHEAD_FILES.join(' ')}: without ${(m0 / 1000).toFixed(2)} s, with memgate() ${(m1 / 1000).toFixed(2)} s (medians of ${overheadRepeats}): ${(((m1 - m0) / m0) * 100).toFixed(1)}% (load ${load()})`)
} finally {
  rmSync(out, { recursive: true, force: true })
}
