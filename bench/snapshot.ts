/**
 * Heap snapshot benchmark: memgate against memlab on the same files, in the same run. Prints
 * figures and ratios; asserts nothing.
 *
 *   npx tsx bench/snapshot.ts [--sizes 50,90,200,550] [--only snapshots|sampling] [--keep]
 *
 * For each size (MB of heap snapshot), a child process builds an object graph of that size,
 * takes `before`, plants a leak (`BenchLeak` objects in the global Map `benchLeakCache`) and
 * some churn, and takes `after` (files under os.tmpdir(), deleted afterwards unless --keep).
 * Then each analysis runs in a fresh child process, so its peak RSS (VmHWM) is its own:
 * - summary: memgate `inspectSnapshotFile(after)` (parse, dominators, retained sizes by class) vs
 *   memlab `getSnapshotFromFile` + `analysis.preparePathFinder` (what @memlab/heap-analysis's
 *   `getFullHeapFromFile` does) and a per-class aggregation;
 * - diff: memgate `diffSnapshotFiles(before, after)` with retainer paths vs memlab
 *   `getSnapshotNodeIdsFromFile(before)` + full `after` + shortest paths, new objects by class,
 *   paths of the top classes.
 * Each row says whether the planted leak was found (count exact, path through benchLeakCache).
 * Wall and CPU seconds are both shown: on a shared machine CPU seconds are the steadier figure.
 *
 * Goals: diff of the ~50/90 MB pairs ≥ 5× faster than memlab at ≤ 0.5× its peak RSS; a ~550 MB
 * snapshot summarised at peak RSS ≤ 1.5× the file size and ≥ 3× faster than memlab.
 *
 * `--only sampling` measures the allocation-sampling profiler's throughput cost instead (see
 * src/snapshot/allocation-sites.ts for the default it justifies).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatBytes, type CaptureResult } from '../src/index.js'
import { runChild, type ChildOutcome } from './snapshot/proc.js'
import type { SamplingCost } from './snapshot/sampling-cost.js'
import type { TaskResult } from './snapshot/task.js'

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : undefined
}
const sizes = (flag('sizes') ?? '50,90,200,550').split(',').map(Number)
if (sizes.some((s) => !(s > 0))) throw new Error('--sizes expects sizes in MB, e.g. --sizes 50,90')
const only = flag('only')
const keep = process.argv.includes('--keep')

const TSX = ['--import', 'tsx']
// memlab holds the whole graph as JS objects; give it room so a large file is measured, not an OOM.
const MEMLAB_HEAP = ['--max-old-space-size=24000']

const fmtS = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`
const pad = (cells: string[], widths: number[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')

async function samplingCost(): Promise<void> {
  console.log('\n## Sampling heap profiler: throughput cost on an allocation-heavy loop\n')
  const out = await runChild<SamplingCost>(TSX, 'bench/snapshot/sampling-cost.ts', ['20', '500'])
  if (!out.ok) return void console.log(`failed: ${out.error}`)
  console.log(`${out.result.rounds} alternating rounds of ${out.result.windowMs} ms; medians`)
  for (const arm of out.result.arms) {
    const label = arm.intervalBytes === 0 ? 'off' : formatBytes(arm.intervalBytes)
    const ops = `${(arm.opsPerCpuSecond / 1e6).toFixed(2)} M ops/CPU s, ${(arm.opsPerWallSecond / 1e6).toFixed(2)} M ops/wall s`
    console.log(`  ${label.padStart(8)}  ${ops}  cost ${arm.intervalBytes === 0 ? '—' : `${arm.costPercent.toFixed(1)}%`}`)
  }
}

interface Row {
  size: number
  task: 'summary' | 'diff'
  memgate: ChildOutcome<TaskResult>
  memlab: ChildOutcome<TaskResult>
  fileBytes: number
}

async function snapshotSize(size: number, dir: string): Promise<Row[]> {
  console.log(`\n## ~${size} MB: generating the snapshot pair…`)
  const gen = await runChild<{ before: CaptureResult; after: CaptureResult; leakCount: number }>(['--expose-gc', ...TSX], 'bench/snapshot/generate-pair.ts', [dir, String(size)])
  if (!gen.ok) {
    console.log(`generation failed: ${gen.error}`)
    return []
  }
  const { before, after, leakCount } = gen.result
  console.log(`before ${formatBytes(before.sizeBytes)} (written in ${fmtS(before.durationMs / 1000)}), after ${formatBytes(after.sizeBytes)}; planted ${leakCount} BenchLeak`)
  const args = (task: string) => [task, String(leakCount), before.path, after.path]
  const rows: Row[] = []
  for (const task of ['summary', 'diff'] as const) {
    const memgate = await runChild<TaskResult>(TSX, 'bench/snapshot/task.ts', args(`memgate-${task}`))
    const memlab = await runChild<TaskResult>([...MEMLAB_HEAP, ...TSX], 'bench/snapshot/task.ts', args(`memlab-${task}`))
    const fileBytes = task === 'summary' ? after.sizeBytes : before.sizeBytes + after.sizeBytes
    rows.push({ size, task, memgate, memlab, fileBytes })
    printRow(rows.at(-1)!, after.sizeBytes)
  }
  return rows
}

const WIDTHS = [8, 8, 10, 10, 10, 11, 9, 12, 6]
function printRow(row: Row, afterBytes: number): void {
  console.log(pad(['tool', 'task', 'wall', 'CPU', 'peak RSS', 'RSS/after', 'start RSS', 'leak found', ''], WIDTHS))
  for (const [tool, out] of [['memgate', row.memgate], ['memlab', row.memlab]] as const) {
    if (!out.ok) {
      console.log(`${tool.padEnd(8)}  ${row.task.padEnd(8)}  failed after ${fmtS(out.wallMs / 1000)}: ${out.error}`)
      continue
    }
    const r = out.result
    console.log(pad([tool, row.task, fmtS(r.seconds), fmtS(r.cpuSeconds), formatBytes(r.peakRssBytes), `${(r.peakRssBytes / afterBytes).toFixed(2)}×`, formatBytes(r.startRssBytes), r.leakFound ? 'yes' : 'NO', ''], WIDTHS))
    console.log(`          ${r.detail}`)
  }
  if (row.memgate.ok && row.memlab.ok) {
    const g = row.memgate.result
    const l = row.memlab.result
    console.log(
      `  memlab/memgate: ${(l.seconds / g.seconds).toFixed(1)}× wall, ${(l.cpuSeconds / g.cpuSeconds).toFixed(1)}× CPU; memgate peak RSS = ${(g.peakRssBytes / l.peakRssBytes).toFixed(2)}× memlab's`,
    )
  }
}

function printSummary(rows: Row[]): void {
  if (rows.length === 0) return
  console.log('\n## Summary (ratios memlab ÷ memgate for time; memgate ÷ memlab for RSS)\n')
  console.log(pad(['size', 'task', 'speed wall', 'speed CPU', 'RSS ratio', 'RSS/file', 'memgate', 'memlab', ''], [6, 8, 11, 10, 10, 9, 8, 8, 0]))
  for (const r of rows) {
    const g = r.memgate.ok ? r.memgate.result : undefined
    const l = r.memlab.ok ? r.memlab.result : undefined
    const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(1)}×` : '—')
    console.log(
      pad(
        [
          `${r.size}`,
          r.task,
          ratio(l?.seconds, g?.seconds),
          ratio(l?.cpuSeconds, g?.cpuSeconds),
          g && l ? `${(g.peakRssBytes / l.peakRssBytes).toFixed(2)}×` : '—',
          g ? `${(g.peakRssBytes / r.fileBytes).toFixed(2)}×` : '—',
          g ? (g.leakFound ? 'found' : 'MISSED') : 'failed',
          l ? (l.leakFound ? 'found' : 'MISSED') : 'failed',
          '',
        ],
        [6, 8, 11, 10, 10, 9, 8, 8, 0],
      ),
    )
  }
  console.log('\nRSS/file: memgate peak RSS over the bytes it read (after, for summary; before + after, for diff).')
}

console.log(`# memgate snapshot benchmark (node ${process.version}, ${new Date().toISOString()})`)
if (only !== 'snapshots') await samplingCost()
if (only !== 'sampling') {
  const rows: Row[] = []
  for (const size of sizes) {
    const dir = await mkdtemp(join(tmpdir(), `memgate-bench-snapshot-${size}-`))
    try {
      rows.push(...(await snapshotSize(size, dir)))
    } finally {
      if (keep) console.log(`kept ${dir}`)
      else await rm(dir, { recursive: true, force: true })
    }
  }
  printSummary(rows)
  console.log(`\nFiles were generated under ${tmpdir()}${keep ? ' and kept' : ' and deleted after each size'}; one fresh process per measurement.`)
}
