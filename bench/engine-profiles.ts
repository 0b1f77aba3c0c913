/**
 * Which engine settings keep memory low without losing throughput? Prints figures; asserts nothing.
 *
 *   npx tsx bench/engine-profiles.ts [--passes 10] [--only lean,default] [--pages all|invoices] [--list]
 *
 * Each variant (engine options + environment) runs in a fresh `node --expose-gc` process over the
 * same A4 pages (1240×1754: three generated invoices, en/es/pt, and one dense page of 50+ lines
 * of running text): one warm-up page, then `passes` passes over all pages. The child reports
 *  - open:   VmRSS after openEngine, before any page;
 *  - steady: median VmRSS after each pass, after two forced collections (DESIGN.md: GC before a
 *            sample that claims to be a steady state), passes 2..N;
 *  - peak:   VmHWM at the end (the process's high-water mark, open and warm-up included);
 *  - growth: VmRSS after the last pass minus after the second (a leak shows here);
 *  - pages/s over the timed passes, CPU ms per page, and the mean CER of the first pass.
 * The machine is shared: the 1-minute load average is printed with every row, and the CPU ms per
 * page is the steadier figure when the load is high.
 *
 * Children run compiled JavaScript (tsc into .cache/bench-engine first): the tsx loader alone adds
 * ~40 MB of RSS, which would swamp the differences measured here. A `bare` row (Node, nothing
 * loaded) gives the floor.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { characterErrorRate, formatBytes } from '../src/index.js'
import { DEFAULT_PROFILE, LEAN_PROFILE, type EngineOptions } from '../src/engine/index.js'
import { allocatorEnv } from './engine/measure.js'

interface Variant {
  name: string
  options: EngineOptions
  env?: Record<string, string>
}

const LEAN: EngineOptions = { profile: LEAN_PROFILE }
const DEFAULT: EngineOptions = { profile: DEFAULT_PROFILE }
/** lean's process environment (PROFILE_ENVIRONMENT.lean), spelled out so each part can be measured alone. */
const ARENA2 = { MALLOC_ARENA_MAX: '2' }
const MMAP = { MALLOC_MMAP_THRESHOLD_: '131072' }
const LEAN_ENV = { ...ARENA2, ...MMAP }
const VARIANTS: Variant[] = [
  { name: 'default', options: DEFAULT },
  { name: 'default arena-off', options: { ...DEFAULT, enableCpuMemArena: false } },
  { name: 'default pattern-off', options: { ...DEFAULT, enableMemPattern: false } },
  { name: 'default lean-env', options: DEFAULT, env: LEAN_ENV },
  { name: 'lean plain-env', options: LEAN },
  { name: 'lean ARENA_MAX=2', options: LEAN, env: ARENA2 },
  { name: 'lean MMAP_THRESHOLD', options: LEAN, env: MMAP },
  { name: 'lean', options: LEAN, env: LEAN_ENV },
  { name: 'lean no-fold', options: { ...LEAN, foldGraphs: false }, env: LEAN_ENV },
  { name: 'lean arena-off', options: { ...LEAN, enableCpuMemArena: false }, env: LEAN_ENV },
  { name: 'lean pattern-on', options: { ...LEAN, enableMemPattern: true }, env: LEAN_ENV },
  { name: 'lean threads-1', options: { ...LEAN, intraOpNumThreads: 1 }, env: LEAN_ENV },
  { name: 'lean spinning', options: { ...LEAN, allowSpinning: true }, env: LEAN_ENV },
  { name: 'lean det-1280', options: { ...LEAN, detMaxSidePx: 1280 }, env: LEAN_ENV },
  { name: 'lean tile-384', options: { ...LEAN, detTileSidePx: 384 }, env: LEAN_ENV },
  { name: 'lean tile-640', options: { ...LEAN, detTileSidePx: 640 }, env: LEAN_ENV },
  { name: 'lean tile-off', options: { ...LEAN, detTileSidePx: 2048 }, env: LEAN_ENV },
  { name: 'lean batch-6', options: { ...LEAN, recBatchSize: 6 }, env: LEAN_ENV },
]

interface ChildReport {
  openBytes: number
  steadyBytes: number
  peakBytes: number
  growthBytes: number
  pagesPerSec: number
  cpuMsPerPage: number
  meanCer: number
  load1: number
}

function status(): { rss: number; hwm: number } {
  const text = readFileSync('/proc/self/status', 'utf8')
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

async function child(spec: { options: EngineOptions; pages: { file: string; truth: string }[]; passes: number }): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined)
  const { openEngine } = await import('../src/engine/index.js')
  const engine = await openEngine(spec.options)
  gc()
  const openBytes = status().rss
  await engine.recognize(spec.pages[0]!.file) // warm-up: first-run graph work is not steady state
  const afterPass: number[] = []
  const cers: number[] = []
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (let pass = 0; pass < spec.passes; pass++) {
    for (const page of spec.pages) {
      const result = await engine.recognize(page.file)
      if (pass === 0) cers.push(characterErrorRate(page.truth, result.text))
    }
    gc()
    gc()
    afterPass.push(status().rss)
  }
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const pages = spec.passes * spec.pages.length
  const steady = afterPass.slice(1).sort((a, b) => a - b)
  const report: ChildReport = {
    openBytes,
    steadyBytes: steady[steady.length >> 1] ?? afterPass[0]!,
    peakBytes: status().hwm,
    growthBytes: afterPass.at(-1)! - (afterPass[1] ?? afterPass[0]!),
    pagesPerSec: pages / (wallMs / 1000),
    cpuMsPerPage: (cpu.user + cpu.system) / 1000 / pages,
    meanCer: cers.reduce((s, c) => s + c, 0) / cers.length,
    load1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
  }
  await engine.close()
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

/** A dense A4 page of running text (seeded), drawn with DejaVu Sans at 20 px on 30 px lines. */
function densePage(seed: number): { png: Buffer; truth: string } {
  const require = createRequire(import.meta.url)
  const { createCanvas, GlobalFonts } = require('@napi-rs/canvas') as typeof import('@napi-rs/canvas')
  GlobalFonts.registerFromPath(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), 'DejaVu Sans')
  let state = seed
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648
  const words = 'invoice total amount due date payment account number customer address street city order quantity price tax net gross shipping discount reference period service product description unit balance credit bank transfer factura fecha importe cliente cantidad precio nota fiscal valor pagamento numero data vencimento servicio'.split(' ')
  const word = () => (next() < 0.15 ? String(Math.floor(next() * 100000)) : words[Math.floor(next() * words.length)]!)
  const canvas = createCanvas(1240, 1754)
  const g = canvas.getContext('2d')
  g.fillStyle = '#fff'
  g.fillRect(0, 0, 1240, 1754)
  g.fillStyle = '#111'
  g.font = '20px "DejaVu Sans"'
  g.textBaseline = 'top'
  const lines: string[] = []
  for (let y = 80; y < 1754 - 80; y += 30) {
    let line = word()
    for (let w = word(); g.measureText(`${line} ${w}`).width < 1080; w = word()) line += ` ${w}`
    g.fillText(line, 80, y)
    lines.push(line)
  }
  return { png: canvas.toBuffer('image/png'), truth: lines.join('\n') }
}

async function makePages(): Promise<{ file: string; truth: string }[]> {
  const { generateDocument } = await import('../scenarios/fixtures/index.js')
  const dir = mkdtempSync(join(tmpdir(), 'memgate-engine-bench-'))
  const pages: { file: string; truth: string }[] = []
  for (const [i, lang] of (['en', 'es', 'pt'] as const).entries()) {
    const doc = await generateDocument({ seed: 900 + i, lang, kind: 'invoice' })
    const file = join(dir, `invoice-${lang}.${doc.format}`)
    writeFileSync(file, doc.image)
    pages.push({ file, truth: doc.truth.text })
  }
  const dense = densePage(4242)
  writeFileSync(join(dir, 'dense.png'), dense.png)
  pages.push({ file: join(dir, 'dense.png'), truth: dense.truth })
  return pages
}

async function parent(): Promise<void> {
  const arg = (name: string) => {
    const at = process.argv.indexOf(name)
    return at >= 0 ? process.argv[at + 1] : undefined
  }
  if (process.argv.includes('--list')) {
    for (const v of VARIANTS) console.log(`${v.name}: ${JSON.stringify(v.options)}${v.env ? ` env ${JSON.stringify(v.env)}` : ''}`)
    return
  }
  const passes = Number(arg('--passes') ?? 10)
  const only = arg('--only')?.split(',')
  const variants = only ? VARIANTS.filter((v) => only.includes(v.name)) : VARIANTS
  const pages = (await makePages()).filter((p) => arg('--pages') !== 'invoices' || !p.file.endsWith('dense.png'))
  const run = promisify(execFile)
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const outDir = join(root, '.cache', 'bench-engine')
  // tsc exits non-zero on type errors elsewhere in the tree but still emits; the child only needs src/engine.
  await run(process.execPath, [join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', outDir, '--noEmit', 'false', '--declaration', 'false', '--sourceMap', 'false'], { cwd: root }).catch(() => undefined)
  const compiled = join(outDir, 'bench', 'engine-profiles.js')
  const bare = await run(process.execPath, ['--expose-gc', '-e', "process.stdout.write(String(Number(/VmRSS:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status','utf8'))[1])*1024))"])
  console.log(`${pages.length} A4 pages × ${passes} passes per variant, each variant in a fresh process; Node ${process.version}`)
  console.log(`bare node: ${formatBytes(Number(bare.stdout))} RSS`)
  console.log('variant                         open      steady    peak      growth    pages/s  cpu ms/page  CER     load')
  for (const v of variants) {
    const env = allocatorEnv(v.env)
    const { stdout } = await run(process.execPath, ['--expose-gc', compiled, '--child', JSON.stringify({ options: v.options, pages, passes })], { env, maxBuffer: 1 << 20 })
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport
    const cells = [formatBytes(r.openBytes), formatBytes(r.steadyBytes), formatBytes(r.peakBytes), formatBytes(r.growthBytes, true)].map((c) => c.padEnd(10))
    console.log(`${v.name.padEnd(32)}${cells.join('')}${r.pagesPerSec.toFixed(2).padStart(7)}  ${r.cpuMsPerPage.toFixed(0).padStart(11)}  ${(r.meanCer * 100).toFixed(2).padStart(5)}%  ${r.load1.toFixed(1)}`)
  }
}

const childAt = process.argv.indexOf('--child')
if (childAt >= 0) await child(JSON.parse(process.argv[childAt + 1]!) as Parameters<typeof child>[0])
else await parent()
