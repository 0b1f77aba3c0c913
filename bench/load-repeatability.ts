/**
 * How repeatable are the runner's figures? Runs the built-in `load` scenario in N fresh worker
 * processes and prints the spread of each figure across them. Prints figures; asserts nothing.
 *
 *   npm run build && npx tsx bench/load-repeatability.ts [--repeats 5] [--pages 8] [--profile default]
 *
 * Figures per repeat: the process's peak RSS (VmHWM per stage, max over stages and the timeline),
 * the `recognize` stage's peak, RSS after its full GC, and pages/s. Spread: coefficient of
 * variation (sd / mean) and MAD. Goal: CV of peak RSS ≤ 3% across 5 repeats on this machine.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { coefficientOfVariation, mad, median, formatBytes, formatPercent, loadScenarios, runScenarios, type RepeatResult, LEAN_PROFILE } from '../src/index.js'

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback
}
const REPEATS = Number(flag('repeats', '5'))
const PAGES = flag('pages', '8')
const PROFILE = flag('profile', LEAN_PROFILE)
const GOAL_CV = 0.03

const outcome = await runScenarios({
  scenarios: await loadScenarios(['load']),
  repeat: REPEATS,
  variant: PROFILE,
  params: [{ scenario: 'load', key: 'pages', value: PAGES }],
  snapshots: 'none',
  timeoutMs: 15 * 60_000,
  intervalMs: 100,
  nodeFlags: [],
  env: {},
  memoryLimitBytes: null,
  outDir: join(tmpdir(), 'memgate-bench-reports'),
  baseEnv: process.env,
  argv: ['bench', 'load-repeatability'],
  onEvent: (e) => {
    if (e.type === 'repeat-end') console.log(`repeat ${e.repeat.index + 1}: ${e.repeat.state}, peak ${formatBytes(e.repeat.peakRssBytes)}`)
  },
})

const repeats = outcome.run.scenarios[0]?.repeats.filter((r) => r.state === 'completed') ?? []
const stage = (r: RepeatResult) => r.stages.find((s) => s.name === 'recognize')
const series: [string, (r: RepeatResult) => number | null | undefined, 'bytes' | 'rate'][] = [
  ['process peak RSS', (r) => r.peakRssBytes, 'bytes'],
  ['recognize peak RSS', (r) => stage(r)?.peakRssBytes, 'bytes'],
  ['recognize RSS after GC', (r) => stage(r)?.after?.rssBytes, 'bytes'],
  ['setup RSS after GC', (r) => r.stages.find((s) => s.name === 'setup')?.after?.rssBytes, 'bytes'],
  ['pages per second', (r) => stage(r)?.ops.throughputPerSec, 'rate'],
]
console.log(`\nload × ${repeats.length} completed repeats (${PAGES} pages, profile ${PROFILE}); run ${outcome.file}`)
for (const [label, pick, unit] of series) {
  const xs = repeats.map(pick).filter((x): x is number => typeof x === 'number')
  if (xs.length < 2) {
    console.log(`${label.padEnd(24)} too few values`)
    continue
  }
  const cv = coefficientOfVariation(xs)
  const show = (x: number) => (unit === 'bytes' ? formatBytes(x) : x.toFixed(2))
  const verdict = label === 'process peak RSS' ? (cv <= GOAL_CV ? '  within the 3% goal' : '  OVER the 3% goal') : ''
  console.log(`${label.padEnd(24)} median ${show(median(xs)).padStart(9)}  MAD ${show(mad(xs)).padStart(9)}  CV ${formatPercent(cv, false).padStart(6)}  [${xs.map(show).join(', ')}]${verdict}`)
}
