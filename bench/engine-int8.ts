/**
 * `tsx bench/engine-int8.ts [--count 12] [--dir .cache/int8]`: the seed report's next steps,
 * measured (issue 16, item 4) with the lean profile on the first `count` regular documents of the
 * precision corpus: fp32 (today), jemalloc through LD_PRELOAD, and the INT8 models of
 * `scripts/quantize-int8.ts` (recogniser, detector, both). Each row is a fresh process in the lean
 * environment. Prints mean CER, CPU ms and wall ms per page, and peak RSS; asserts nothing.
 * Adoption rule: CER within +0.3 points of fp32. `--rounds N` alternates the rows N times and
 * prints medians; `--rows 'fp32 (lean),rec int8'` picks rows.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { PROFILE_ENVIRONMENT, LEAN_PROFILE } from '../src/engine/index.js'

const { values } = parseArgs({ options: { count: { type: 'string', default: '12' }, dir: { type: 'string', default: '.cache/int8' }, jemalloc: { type: 'string', default: '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2' }, rounds: { type: 'string', default: '1' }, rows: { type: 'string' } } })
const dir = resolve(values.dir)
const rec = join(dir, 'ch_PP-OCRv4_rec_infer.int8.onnx')
const det = join(dir, 'ch_PP-OCRv4_det_infer.int8.onnx')
if (!existsSync(rec) || !existsSync(det)) throw new Error(`No INT8 models in ${dir}: run \`npx tsx scripts/quantize-int8.ts --out ${values.dir} --conv\` first.`)
const probe = fileURLToPath(new URL('./engine/variant-probe.ts', import.meta.url))
const rows: { name: string; options: object; preload?: string }[] = [
  { name: 'fp32 (lean)', options: { profile: LEAN_PROFILE } },
  ...(existsSync(values.jemalloc) ? [{ name: 'fp32 + jemalloc', options: { profile: LEAN_PROFILE }, preload: values.jemalloc }] : []),
  { name: 'rec int8', options: { profile: LEAN_PROFILE, models: { rec } } },
  { name: 'det int8', options: { profile: LEAN_PROFILE, models: { det } } },
  { name: 'rec + det int8', options: { profile: LEAN_PROFILE, models: { rec, det } } },
]
type Report = { pages: number; meanCer: number; totals: number; cpuMsPerPage: number; wallMsPerPage: number; peakRssBytes: number }
const chosen = values.rows ? rows.filter((r) => values.rows!.split(',').includes(r.name)) : rows
const runs = new Map<string, Report[]>()
// Rounds alternate the rows, so drift in the machine's load spreads over all of them.
for (let round = 0; round < Number(values.rounds); round++) {
  for (const row of chosen) {
    const env = { ...process.env, ...PROFILE_ENVIRONMENT.lean, ...(row.preload ? { LD_PRELOAD: row.preload } : {}) }
    const out = execFileSync(process.execPath, ['--import', 'tsx', probe, JSON.stringify(row.options), values.count], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    runs.set(row.name, [...(runs.get(row.name) ?? []), JSON.parse(out.trim().split('\n').at(-1)!) as Report])
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
let baseCer = NaN
for (const row of chosen) {
  const all = runs.get(row.name)!
  const r: Report = { pages: all[0]!.pages, meanCer: all[0]!.meanCer, totals: all[0]!.totals, cpuMsPerPage: med(all.map((x) => x.cpuMsPerPage)), wallMsPerPage: med(all.map((x) => x.wallMsPerPage)), peakRssBytes: med(all.map((x) => x.peakRssBytes)) }
  if (Number.isNaN(baseCer)) baseCer = r.meanCer
  const delta = (r.meanCer - baseCer) * 100
  console.log(
    `${row.name.padEnd(16)} CER ${(r.meanCer * 100).toFixed(2)}% (${delta >= 0 ? '+' : ''}${delta.toFixed(2)} pt${delta <= 0.3 ? '' : ', over +0.3'}), totals ${r.totals}/${r.pages}, CPU ${r.cpuMsPerPage.toFixed(0)} ms/page, wall ${r.wallMsPerPage.toFixed(0)} ms/page, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(1)} MiB`,
  )
}
