/**
 * The watcher's own peak RSS (issue 12's goal: ≤ 60 MB = 57.2 MiB), as users start it:
 * `node bin/memgate.js watch --duration 4 -- sleep 30`, beside `memgate --help` and a bare
 * `node -e 0` as the reference, in rounds (one of each per round, so they share the machine's
 * load), median of `--runs` rounds. Peak RSS is the process's maximum resident set size as
 * `/usr/bin/time` reports it (ru_maxrss: the largest process, so `sleep` does not count).
 * RSS varies by ~1 MiB between runs; compare medians. The load average is printed with them.
 * `bench/watch.ts` measures the watch's CPU (and RSS while watching 10 processes).
 *
 * Usage: npm run build && npx tsx bench/watch-rss.ts [--runs 5] [--bin FILE]
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from '../src/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const runs = Number(arg('runs') ?? 5)
const bin = arg('bin') ?? join(root, 'bin', 'memgate.js')
const TIME = '/usr/bin/time'
const GOAL_BYTES = 60 * 1000 * 1000
const MiB = 1024 * 1024

if (!existsSync(TIME)) throw new Error(`${TIME} is missing: install GNU time (apt-get install time)`)
if (!existsSync(join(bin, '..', '..', 'dist', 'src', 'cli', 'main.js'))) throw new Error('no dist/ beside the bin script: run `npm run build` first')

const out = mkdtempSync(join(tmpdir(), 'memgate-bench-watch-rss-'))
const cases: { name: string; argv: string[] }[] = [
  { name: 'node -e 0 (reference)', argv: ['-e', '0'] },
  { name: 'memgate --help', argv: [bin, '--help'] },
  { name: 'memgate watch --duration 4 -- sleep 30', argv: [bin, 'watch', '--duration', '4', '--out', out, '--', 'sleep', '30'] },
]

/** Peak RSS in bytes of `node argv`, from /usr/bin/time's %M (KiB). */
function peakRss(argv: string[]): number {
  const file = join(out, 'time.txt')
  const r = spawnSync(TIME, ['-f', '%M', '-o', file, process.execPath, ...argv], { stdio: 'ignore' })
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited with ${r.status ?? r.signal}`)
  return Number(readFileSync(file, 'utf8').trim().split('\n').at(-1)) * 1024
}

const mib = (b: number): string => (b / MiB).toFixed(1)

try {
  const loadBefore = loadavg()
  const peaks = cases.map(() => [] as number[])
  for (let round = 0; round < runs; round++) cases.forEach((c, i) => peaks[i]!.push(peakRss(c.argv)))
  const loadAfter = loadavg()
  console.log(`peak RSS, median of ${runs} rounds (load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} → ${loadAfter.map((l) => l.toFixed(2)).join(' ')})`)
  cases.forEach((c, i) => {
    const m = median(peaks[i]!)
    const goal = i === 0 ? '' : `  goal ≤ 60 MB (57.2 MiB): ${m <= GOAL_BYTES ? 'meets it' : 'MISSES it'}`
    console.log(`  ${c.name.padEnd(42)} ${mib(m).padStart(6)} MiB  (${peaks[i]!.map(mib).join(' ')})${goal}`)
  })
} finally {
  rmSync(out, { recursive: true, force: true })
}
