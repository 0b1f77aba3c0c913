/**
 * What does the scenario harness cost the measured process? Prints figures; asserts nothing.
 *
 *   npm run build && npx tsx bench/harness-overhead.ts [--rounds 5]
 *
 * The same workload (a module exporting `work()`: 200k short strings joined, then a 4 MiB Buffer
 * kept) runs two ways, each in a fresh `node --expose-gc`:
 *  - bare: a script that imports the workload, runs it, collects garbage twice and reads its own
 *    VmRSS and VmHWM;
 *  - harness: a compiled scenario module whose one stage runs the same `work()`, under the real
 *    runner (IPC channel, worker, probe, stage samples); figures from the stage's after-sample
 *    (taken after the same two collections) and the stage's VmHWM.
 * Rounds alternate bare/harness so drift on a shared machine hits both arms alike; the figures
 * are medians with the MAD. Goal: harness − bare ≤ 10 MB of RSS.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { mad, median, formatBytes, loadScenarios, packageRoot, runScenarios } from '../src/index.js'

const run = promisify(execFile)
const at = process.argv.indexOf('--rounds')
const ROUNDS = at >= 0 ? Number(process.argv[at + 1]) : 5
const GOAL_BYTES = 10 * 1024 * 1024

const dir = mkdtempSync(join(tmpdir(), 'memgate-overhead-'))
const workload = join(dir, 'work.mjs')
writeFileSync(
  workload,
  `export const kept = []
export function work() {
  const parts = []
  for (let i = 0; i < 200000; i++) parts.push('item-' + i)
  kept.push(parts.join(',').length, Buffer.alloc(4 * 1024 * 1024, 1))
}
`,
)
const statusFields = `function status() {
  const text = require('node:fs').readFileSync('/proc/self/status', 'utf8')
  const kb = (k) => Number(new RegExp('^' + k + ':\\\\s+(\\\\d+)', 'm').exec(text)[1]) * 1024
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') }
}`
const bare = join(dir, 'bare.cjs')
writeFileSync(
  bare,
  `${statusFields}
;(async () => {
  const { work } = await import(${JSON.stringify(pathToFileURL(workload).href)})
  gc(); await new Promise((r) => setImmediate(r)); gc()
  work()
  gc(); await new Promise((r) => setImmediate(r)); gc()
  process.stdout.write(JSON.stringify(status()))
})()
`,
)
const scenario = join(dir, 'overhead.mjs')
writeFileSync(
  scenario,
  `import { defineScenario } from ${JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', 'src', 'scenario', 'index.js')).href)}
import { work } from ${JSON.stringify(pathToFileURL(workload).href)}
export default defineScenario({ name: 'overhead', description: 'harness overhead workload', stages: [{ name: 'work', kind: 'work', run: () => work() }] })
`,
)

interface Figures {
  rssBytes: number
  peakRssBytes: number
}

async function bareRound(): Promise<Figures> {
  const { stdout } = await run(process.execPath, ['--expose-gc', bare])
  return JSON.parse(stdout) as Figures
}

async function harnessRound(): Promise<Figures> {
  const scenarios = await loadScenarios([scenario])
  const outcome = await runScenarios({
    scenarios,
    repeat: 1,
    variant: 'default',
    params: [],
    snapshots: 'none',
    timeoutMs: 60_000,
    intervalMs: 100,
    nodeFlags: [],
    env: {},
    memoryLimitBytes: null,
    outDir: join(dir, 'reports'),
    baseEnv: process.env,
    argv: ['bench'],
  })
  const stage = outcome.run.scenarios[0]?.repeats[0]?.stages.find((s) => s.name === 'work')
  if (!stage?.after?.rssBytes || stage.peakRssBytes === null) throw new Error('harness round recorded no after-sample')
  return { rssBytes: stage.after.rssBytes, peakRssBytes: stage.peakRssBytes }
}

const bareRuns: Figures[] = []
const harnessRuns: Figures[] = []
for (let r = 0; r < ROUNDS; r++) {
  // Alternate the order so a machine getting busier does not favour one arm.
  if (r % 2 === 0) {
    bareRuns.push(await bareRound())
    harnessRuns.push(await harnessRound())
  } else {
    harnessRuns.push(await harnessRound())
    bareRuns.push(await bareRound())
  }
}

const row = (label: string, pick: (f: Figures) => number) => {
  const b = bareRuns.map(pick)
  const h = harnessRuns.map(pick)
  const overhead = median(h) - median(b)
  console.log(
    `${label.padEnd(9)} bare ${formatBytes(median(b)).padStart(9)} (±${formatBytes(mad(b))})   harness ${formatBytes(median(h)).padStart(9)} (±${formatBytes(mad(h))})   overhead ${formatBytes(overhead, true).padStart(10)}   ${overhead <= GOAL_BYTES ? 'within' : 'OVER'} the 10 MiB goal`,
  )
}
console.log(`harness overhead, ${ROUNDS} rounds per arm, node ${process.versions.node}`)
row('RSS', (f) => f.rssBytes)
row('peak RSS', (f) => f.peakRssBytes)
