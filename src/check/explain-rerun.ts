/**
 * "What grew" for a failing memory rule: diff the snapshot pass's heap snapshots (re-running the
 * scenario in snapshot mode when the run has no such pass). Parsing happens here, in the parent,
 * never in the measured process.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { framingStages, growthFromDiff, TOP_CLASSES, type HeapGrowth } from '../baseline/index.js'
import type { RepeatResult, ScenarioResult } from '../run/schema.js'
import { loadScenario, resolveScenarioRef, runScenarios, type LoadedScenario, type RunRequest } from '../scenario/harness.js'
import { diffSnapshotFiles } from '../snapshot/index.js'
import type { OnCheckEvent } from './events.js'
import { heapClassesAtEnd } from './heap-composition.js'

/** The runner options a re-run of a recorded scenario shares with the run it explains. */
export type RerunBase = Pick<RunRequest, 'timeoutMs' | 'intervalMs' | 'memoryLimitBytes' | 'nodeFlags' | 'env' | 'baseEnv' | 'argv' | 'signal'>

/** The recorded parameters of a scenario as assignments, so a re-run measures the same workload. */
export function paramsOf(s: ScenarioResult): RunRequest['params'] {
  return Object.entries(s.params).map(([key, value]) => ({ scenario: s.name, key, value }))
}

/**
 * Runs `s` once more in a fresh process, as recorded (variant, parameters), into `outDir`.
 * @param loaded the scenario when this invocation loaded it; else it is loaded from its recorded module
 */
export async function rerun(s: ScenarioResult, loaded: LoadedScenario | null, base: RerunBase, opts: { snapshots: 'none' | 'stages'; outDir: string; runId: string }, onEvent: OnCheckEvent): Promise<{ repeat: RepeatResult | undefined; dir: string } | { unavailable: string }> {
  let scenario = loaded
  if (!scenario) {
    if (!existsSync(s.module)) return { unavailable: `the scenario module ${s.module} no longer exists, so it cannot be re-run` }
    scenario = await loadScenario(await resolveScenarioRef(s.module))
  }
  const again = await runScenarios({ ...base, scenarios: [scenario], repeat: 1, snapshots: opts.snapshots, variant: s.variant, params: paramsOf(s), outDir: opts.outDir, runId: opts.runId, onEvent })
  const pass = opts.snapshots === 'stages' ? 'snapshot' : 'measure'
  return { repeat: again.run.scenarios[0]?.repeats.find((r) => r.pass === pass), dir: again.dir }
}

/**
 * What grew in the JS heap between the snapshot pass's first stage's before-snapshot and its last
 * stage's after-snapshot (teardown left out); with `composition`, also every class at that end (for
 * the diff against the baseline's heap composition).
 */
export async function heapGrowthOf(s: ScenarioResult, runId: string, dir: string, base: RerunBase, loaded: LoadedScenario | null, onEvent: OnCheckEvent, composition = false): Promise<HeapGrowth> {
  let pass = s.repeats.find((r) => r.pass === 'snapshot' && r.state === 'completed')
  let passDir = dir
  if (!pass) {
    onEvent({ type: 'explain-rerun', scenario: s.name })
    const again = await rerun(s, loaded, base, { snapshots: 'stages', outDir: join(dir, 'explain'), runId: s.name }, onEvent)
    if ('unavailable' in again) return { state: 'unavailable', reason: `${again.unavailable} in snapshot mode` }
    if (!again.repeat || again.repeat.state !== 'completed') return { state: 'unavailable', reason: `the snapshot pass ${again.repeat ? `${again.repeat.state}: ${again.repeat.failure?.message ?? ''}` : 'did not run'}` }
    pass = again.repeat
    passDir = again.dir
  }
  const frame = framingStages(pass.stages)
  const before = frame?.first.snapshots.before?.file
  const after = frame?.last.snapshots.after?.file
  if (!frame || !before || !after) return { state: 'unavailable', reason: `the snapshot pass of run ${runId} has no snapshot before its first stage or after its last` }
  const diff = await diffSnapshotFiles(join(passDir, before), join(passDir, after), { top: TOP_CLASSES, retainers: 1 })
  const growth = growthFromDiff(diff, `before ${frame.first.name}`, `after ${frame.last.name}`, TOP_CLASSES)
  if (composition && growth.state === 'ok') {
    const end = await heapClassesAtEnd(pass, passDir)
    if (end) growth.composition = { stage: end.stage, classes: end.classes }
  }
  return growth
}
