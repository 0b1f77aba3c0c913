/**
 * `memgate run --native heaptrack`: one more worker per scenario, started under heaptrack (never
 * the measuring pass: heaptrack's tracer and interpreter would be in every figure), whose native
 * allocation profile is recorded in the scenario's `analysis.native`: the top sites by peak and by
 * bytes still allocated at the end, grouped by shared object and by nearest named frame.
 */
import { mkdir, readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { MemgateError, UsageError } from '../common/errors.js'
import { detectHeaptrack, HEAPTRACK_INSTALL_COMMAND, readNativeProfile, type HeaptrackTools, type NativeProfile, type NativeSite } from '../native/index.js'
import type { NativeAnalysis, ScenarioResult } from '../run/schema.js'
import type { TracedPass } from '../scenario/harness.js'

/** Native profilers `--native` accepts (one owner of the list). */
export const NATIVE_TOOLS = ['heaptrack'] as const
export type NativeTool = (typeof NATIVE_TOOLS)[number]

/** Groups and sites kept in run.json per list. */
const TOP = 10

/**
 * The traced pass for `--native heaptrack`.
 * @param options `tools` found already, or the `path` to look for heaptrack on (default PATH)
 * @throws UsageError when heaptrack is not installed (with the command that installs it)
 */
export async function heaptrackPass(options: { tools?: HeaptrackTools; path?: string } = {}): Promise<TracedPass> {
  let found: HeaptrackTools
  try {
    found = options.tools ?? (await detectHeaptrack(options.path !== undefined ? { path: options.path } : {}))
  } catch (error) {
    if (error instanceof MemgateError && error.code === 'PROBE_UNAVAILABLE') throw new UsageError(`--native heaptrack needs heaptrack: ${error.message} (Debian/Ubuntu: \`${HEAPTRACK_INSTALL_COMMAND}\`), or drop --native.`, { cause: error })
    throw error
  }
  const stemOf = (runDir: string, scenario: string) => join(runDir, 'native', `heaptrack.${scenario.replace(/[^\w.-]/g, '_')}`)
  return {
    async launcher(scenario, runDir) {
      const stem = stemOf(runDir, scenario)
      if (/[\s%]/.test(stem)) throw new UsageError(`heaptrack cannot write to ${JSON.stringify(stem)}: its launcher splits the output path on whitespace and expands '%'. Use an --out directory without them.`)
      await mkdir(join(runDir, 'native'), { recursive: true })
      return { execPath: found.heaptrack, args: ['-o', stem, '--'] }
    },
    async record(result, repeat, runDir) {
      const stem = stemOf(runDir, result.name)
      const dir = join(runDir, 'native')
      const name = (await readdir(dir)).find((n) => n.startsWith(`${stem.slice(dir.length + 1)}.`) && /\.(zst|gz)$/.test(n))
      const notes: string[] = []
      if (repeat.state !== 'completed') notes.push(`the heaptrack pass ${repeat.state}: ${repeat.failure?.message ?? 'no reason recorded'}`)
      if (!name) notes.push('the heaptrack pass wrote no data file')
      else {
        try {
          const profile = await readNativeProfile(join(dir, name), { tools: found })
          setAnalysis(result, { native: nativeSummary(profile, relative(runDir, join(dir, name))) })
        } catch (error) {
          notes.push(`could not read the heaptrack data: ${(error as Error).message}`)
        }
      }
      if (notes.length) setAnalysis(result, { notes: [...(result.analysis?.notes ?? []), ...notes] })
    },
  }
}

function setAnalysis(result: ScenarioResult, part: NonNullable<ScenarioResult['analysis']>): void {
  result.analysis = { ...(result.analysis ?? {}), ...part }
}

const siteRow = (s: NativeSite) => ({ peakBytes: s.peakBytes, leakedBytes: s.leakedBytes, allocations: s.allocations, sharedObject: s.sharedObject, frame: s.frame?.name ?? null })

/** What run.json keeps of a native profile: totals, top groups and top sites. */
export function nativeSummary(p: NativeProfile, file: string): NativeAnalysis {
  const byPeak = [...p.sites].filter((s) => s.peakBytes !== null).sort((a, b) => (b.peakBytes ?? 0) - (a.peakBytes ?? 0))
  const byLeaked = [...p.sites].filter((s) => s.leakedBytes !== null).sort((a, b) => (b.leakedBytes ?? 0) - (a.leakedBytes ?? 0))
  return {
    tool: 'heaptrack',
    version: p.version,
    file,
    totals: { peakBytes: p.totals.peakBytes, leakedBytes: p.totals.leakedBytes, allocations: p.totals.allocations, peakRssBytes: p.totals.peakRssBytes },
    bySharedObject: p.bySharedObject.slice(0, TOP).map((g) => ({ key: g.key, peakBytes: g.peakBytes, leakedBytes: g.leakedBytes, allocations: g.allocations, sites: g.sites })),
    byFrame: p.byFrame.slice(0, TOP).map((g) => ({ key: g.key, kind: g.kind, peakBytes: g.peakBytes, leakedBytes: g.leakedBytes, allocations: g.allocations, sites: g.sites })),
    topByPeak: byPeak.slice(0, TOP).map(siteRow),
    topByLeaked: byLeaked.slice(0, TOP).map(siteRow),
  }
}
