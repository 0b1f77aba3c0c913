/**
 * Child of the snapshot benchmark: one analysis, by memgate or by memlab, in a fresh process, so
 * its peak RSS (VmHWM) is its own. Prints seconds, RSS before the work, peak RSS, and whether the
 * planted leak (`BenchLeak` × LEAK_COUNT under `benchLeakCache`) was found.
 *   node --import tsx bench/snapshot/task.ts TASK LEAK_COUNT BEFORE AFTER
 * TASK: memgate-summary | memgate-diff | memlab-summary | memlab-diff (summaries read AFTER only).
 */
import core from '@memlab/core'
import type { IHeapNode, IHeapSnapshot, LeakTracePathItem } from '@memlab/core'
import { readFileSync } from 'node:fs'
import { diffSnapshotFiles, inspectSnapshotFile } from '../../src/index.js'
import { peakRssBytes, report } from './proc.js'

/** Outcome of one task. */
export interface TaskResult {
  /** Wall time of the work. */
  seconds: number
  /** CPU time (user + system, all threads) of the work: steadier than wall time on a shared machine. */
  cpuSeconds: number
  startRssBytes: number
  peakRssBytes: number
  leakFound: boolean
  detail: string
}

const LEAK_CLASS = 'BenchLeak'
const LEAK_ROOT = 'benchLeakCache'

function rssBytes(): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Number(m[1]) * 1024 : Number.NaN
}

async function memgateSummary(after: string, leakCount: number): Promise<[boolean, string]> {
  const report = await inspectSnapshotFile(after, { top: Number.MAX_SAFE_INTEGER })
  const leak = report.classes.find((c) => c.className === LEAK_CLASS)
  return [leak?.count === leakCount, `${report.classCount} classes, ${LEAK_CLASS} ×${leak?.count ?? 0}`]
}

async function memgateDiff(before: string, after: string, leakCount: number): Promise<[boolean, string]> {
  const report = await diffSnapshotFiles(before, after, { top: 20, retainers: 3 })
  const leak = report.classes.find((c) => c.className === LEAK_CLASS)
  const path = leak?.retainers?.clusters[0]?.path.text ?? '(none)'
  return [leak?.addedCount === leakCount && path.includes(LEAK_ROOT), `${LEAK_CLASS} +${leak?.addedCount ?? 0} via ${path}`]
}

function loadMemlabHeap(file: string): Promise<IHeapSnapshot> {
  return core.utils.getSnapshotFromFile(file, { buildNodeIdIndex: true })
}

async function memlabSummary(after: string, leakCount: number): Promise<[boolean, string]> {
  // What @memlab/heap-analysis's getFullHeapFromFile does: parse, then shortest paths and
  // dominators/retained sizes (analysis.preparePathFinder).
  const heap = await loadMemlabHeap(after)
  core.analysis.preparePathFinder(heap)
  const byClass = new Map<string, { count: number; self: number; retained: number }>()
  heap.nodes.forEach((node: IHeapNode) => {
    // The same grouping as memgate's (DevTools'): objects by constructor name, the rest by type.
    const key = node.type === 'object' || node.type === 'native' ? `${node.type}:${node.name}` : node.type
    const row = byClass.get(key) ?? { count: 0, self: 0, retained: 0 }
    row.count++
    row.self += node.self_size
    row.retained += node.retainedSize
    byClass.set(key, row)
  })
  const leak = byClass.get(`object:${LEAK_CLASS}`)
  return [leak?.count === leakCount, `${byClass.size} classes, ${LEAK_CLASS} ×${leak?.count ?? 0}`]
}

async function memlabDiff(before: string, after: string, leakCount: number): Promise<[boolean, string]> {
  // memlab's own light parse of the baseline's ids, a full parse of the target, and shortest
  // paths only (no dominators: a diff does not need retained sizes).
  const beforeIds = await core.utils.getSnapshotNodeIdsFromFile(before, {})
  const heap = await loadMemlabHeap(after)
  const finder = new core.TraceFinder()
  finder.annotateShortestPaths(heap)
  const added = new Map<string, IHeapNode[]>()
  heap.nodes.forEach((node: IHeapNode) => {
    if (beforeIds.has(node.id)) return
    const key = node.type === 'object' || node.type === 'native' ? `${node.type}:${node.name}` : node.type
    const list = added.get(key) ?? []
    list.push(node)
    added.set(key, list)
  })
  const size = (list: IHeapNode[]) => list.reduce((s, n) => s + n.self_size, 0)
  const top = [...added.entries()].sort((a, b) => size(b[1]) - size(a[1])).slice(0, 20)
  let leakPath = '(none)'
  for (const [key, list] of top) {
    for (const node of list.slice(0, 3)) {
      const text = pathText(finder.getPathToGCRoots(heap, node))
      if (key === `object:${LEAK_CLASS}` && leakPath === '(none)') leakPath = text
    }
  }
  const leak = added.get(`object:${LEAK_CLASS}`)
  return [leak?.length === leakCount && leakPath.includes(LEAK_ROOT), `${LEAK_CLASS} +${leak?.length ?? 0} via ${leakPath}`]
}

function pathText(path: LeakTracePathItem | null | undefined): string {
  const parts: string[] = []
  for (let p = path; p; p = p.next) parts.push(`${p.edge ? `${String(p.edge.name_or_index)} → ` : ''}${p.node?.name ?? '?'}`)
  return parts.join(' → ')
}

const [task, leakArg, before, after] = process.argv.slice(2)
const leakCount = Number(leakArg)
if (!task || !before || !after || !(leakCount > 0)) throw new Error('usage: task.ts TASK LEAK_COUNT BEFORE AFTER')
const startRssBytes = rssBytes()
const startCpu = process.cpuUsage()
const started = performance.now()
const run: Record<string, () => Promise<[boolean, string]>> = {
  'memgate-summary': () => memgateSummary(after, leakCount),
  'memgate-diff': () => memgateDiff(before, after, leakCount),
  'memlab-summary': () => memlabSummary(after, leakCount),
  'memlab-diff': () => memlabDiff(before, after, leakCount),
}
const fn = run[task]
if (!fn) throw new Error(`unknown task ${task}`)
const [leakFound, detail] = await fn()
const cpu = process.cpuUsage(startCpu)
const result: TaskResult = { seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, startRssBytes, peakRssBytes: peakRssBytes(), leakFound, detail }
report(result)
