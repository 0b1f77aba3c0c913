/**
 * `npm run bench:engine`: memgate's OCR engine (`default` and `lean` profiles) against tesseract.js
 * on the same generated A4 pages, in the same run. Prints figures and ratios; asserts nothing.
 *
 *   npm run bench:engine -- [--pages 6] [--passes 3] [--rounds 1]
 *
 * Every row is a fresh `node --expose-gc` process running compiled JavaScript (no TS loader in the
 * measured process). Figures: open time and RSS, steady RSS (median after GC per pass), peak RSS
 * (VmHWM), pages/s, CPU ms per page, latency p50/p95, and the mean CER against the ground truth.
 * tesseract.js 7 runs `eng` from @tesseract.js-data/eng (local langPath, nothing downloaded).
 * With --rounds > 1 the rows alternate and each figure is the median over rounds.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { median, formatBytes } from '../src/index.js'
import { DEFAULT_PROFILE, LEAN_PROFILE, PROFILE_ENVIRONMENT } from '../src/engine/index.js'
import { allocatorEnv, measurePasses, type BenchPage, type PassReport } from './engine/measure.js'

type Row = 'memgate default' | 'memgate lean' | 'lean, no V8 cap' | 'lean, plain env' | 'tesseract.js eng'
const ROWS: Row[] = ['memgate default', 'memgate lean', 'lean, no V8 cap', 'lean, plain env', 'tesseract.js eng']
/** Lean's allocator variables without its V8 flag (NODE_OPTIONS): what the semi-space cap costs or saves. */
const { NODE_OPTIONS: _v8, ...leanAllocator } = PROFILE_ENVIRONMENT.lean
/** Each row's process environment over the bench's own, allocator variables removed: memgate rows run in their profile's environment (as memgate's workers do), one lean row without it. */
const ROW_ENV: Record<Row, Readonly<Record<string, string>>> = {
  'memgate default': PROFILE_ENVIRONMENT.default,
  'memgate lean': PROFILE_ENVIRONMENT.lean,
  'lean, no V8 cap': leanAllocator,
  'lean, plain env': {},
  'tesseract.js eng': {},
}
const require = createRequire(import.meta.url)
// Runs compiled (npm run bench:build): this file is .cache/bench-build/bench/engine.js.
const self = fileURLToPath(import.meta.url)

async function child(spec: { row: Row; pages: BenchPage[]; passes: number }): Promise<void> {
  let report: PassReport
  if (spec.row === 'tesseract.js eng') {
    const { createWorker } = require('tesseract.js') as typeof import('tesseract.js')
    const langPath = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int')
    report = await measurePasses(
      async () => {
        const worker = await createWorker('eng', 1, { langPath, cachePath: mkdtempSync(join(tmpdir(), 'tess-cache-')), gzip: true })
        return { read: async (file) => (await worker.recognize(file)).data.text, close: async () => void (await worker.terminate()) }
      },
      spec.pages,
      spec.passes,
    )
  } else {
    const { openEngine } = await import('../src/engine/index.js')
    const profile = spec.row === 'memgate default' ? DEFAULT_PROFILE : LEAN_PROFILE
    report = await measurePasses(
      async () => {
        const engine = await openEngine({ profile })
        return { read: async (file) => (await engine.recognize(file)).text, close: () => engine.close() }
      },
      spec.pages,
      spec.passes,
    )
  }
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

async function parent(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(name)
    return at >= 0 ? Number(process.argv[at + 1]) : fallback
  }
  const pageCount = arg('--pages', 6)
  const passes = arg('--passes', 3)
  const rounds = arg('--rounds', 1)
  const { ensureCorpus, readTruth } = await import('../scenarios/fixtures/index.js')
  const corpus = await ensureCorpus('load')
  const pages: BenchPage[] = []
  for (const entry of corpus.documents.slice(0, pageCount)) pages.push({ file: join(corpus.dir, entry.image), truth: (await readTruth(corpus, entry)).text })
  const run = promisify(execFile)
  console.log(`${pages.length} generated A4 pages (corpus 'load') × ${passes} passes per row, after one warm-up page; ${rounds} round(s); Node ${process.version}`)
  for (const row of ROWS) console.log(`  ${row}: environment ${Object.entries(ROW_ENV[row]).map(([k, v]) => `${k}=${v}`).join(' ') || '(no allocator variables)'}`)
  const results = new Map<Row, PassReport[]>(ROWS.map((r) => [r, []]))
  for (let round = 0; round < rounds; round++) {
    for (const row of ROWS) {
      const env = allocatorEnv(ROW_ENV[row])
      const { stdout } = await run(process.execPath, ['--expose-gc', self, '--child', JSON.stringify({ row, pages, passes })], { env, maxBuffer: 1 << 20 })
      results.get(row)!.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as PassReport)
    }
  }
  const med = (row: Row, key: keyof PassReport) => median(results.get(row)!.map((r) => r[key]))
  console.log('row                open ms  open RSS   steady RSS  peak RSS   pages/s  cpu ms/page  p50 ms  p95 ms  CER     load')
  for (const row of ROWS) {
    console.log(
      [
        row.padEnd(17),
        med(row, 'openMs').toFixed(0).padStart(8),
        formatBytes(med(row, 'openBytes')).padStart(10),
        formatBytes(med(row, 'steadyBytes')).padStart(11),
        formatBytes(med(row, 'peakBytes')).padStart(9),
        med(row, 'pagesPerSec').toFixed(2).padStart(8),
        med(row, 'cpuMsPerPage').toFixed(0).padStart(12),
        med(row, 'latencyP50Ms').toFixed(0).padStart(7),
        med(row, 'latencyP95Ms').toFixed(0).padStart(7),
        `${(med(row, 'meanCer') * 100).toFixed(2)}%`.padStart(7),
        med(row, 'load1').toFixed(1).padStart(5),
      ].join(' '),
    )
  }
  const ref: Row = 'tesseract.js eng'
  console.log(`\nratios against ${ref} (same pages, same run):`)
  for (const row of ROWS.filter((r) => r !== ref)) {
    const ratio = (key: keyof PassReport) => (med(row, key) / med(ref, key)).toFixed(2)
    console.log(`${row.padEnd(17)} peak RSS ×${ratio('peakBytes')}  steady RSS ×${ratio('steadyBytes')}  pages/s ×${ratio('pagesPerSec')}  cpu/page ×${ratio('cpuMsPerPage')}  CER ×${ratio('meanCer')}`)
  }
}

const childAt = process.argv.indexOf('--child')
if (childAt >= 0) await child(JSON.parse(process.argv[childAt + 1]!) as Parameters<typeof child>[0])
else await parent()
