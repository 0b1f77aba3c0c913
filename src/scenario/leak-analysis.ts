/**
 * The leak check of a scenario that declares `leakCheck`: runs the snapshot module's
 * baseline/target/final analysis over the snapshot pass's files, in the parent after the worker
 * has exited (parsing snapshots inside the measured process would be the very distortion the
 * separate pass avoids).
 */
import { join } from 'node:path'
import type { Scenario, SnapshotPoint } from './define.js'
import type { RepeatResult, ScenarioAnalysis } from '../run/schema.js'

/** Classes and retainer clusters kept per leak check. */
const TOP_CLASSES = 20
const TOP_RETAINERS = 3

/** Analyses the snapshot pass of `scenario`; null when it declares no leak check. */
export async function analyzeLeaks(scenario: Scenario, snapshotPass: RepeatResult, runDir: string): Promise<ScenarioAnalysis | null> {
  const check = scenario.leakCheck
  if (!check) return null
  if (snapshotPass.state !== 'completed') {
    return { notes: [`Leak check skipped: the snapshot pass ${snapshotPass.state} (${snapshotPass.failure?.message ?? 'no reason'}).`] }
  }
  const points = [check.baseline, check.target, check.final] as const
  const files = points.map((p) => fileOf(snapshotPass, p))
  const missing = points.filter((_, i) => files[i] === null)
  if (missing.length > 0) {
    return { notes: [`Leak check skipped: no snapshot ${missing.map((p) => `${p.at} '${p.stage}'`).join(', ')}; check the stage names in leakCheck.`] }
  }
  const rel = files as [string, string, string]
  const { findLeakSuspectsInFiles } = await import('../snapshot/index.js')
  let report: Awaited<ReturnType<typeof findLeakSuspectsInFiles>>
  try {
    report = await findLeakSuspectsInFiles([join(runDir, rel[0]), join(runDir, rel[1]), join(runDir, rel[2])], { top: TOP_CLASSES, retainers: TOP_RETAINERS })
  } catch (error) {
    // The figures of the run stand without the analysis; say why it is missing instead of losing the run.
    return { notes: [`Leak check failed on ${rel.join(', ')}: ${(error as Error).message}`] }
  }
  return {
    leakCheck: {
      files: rel,
      count: report.count,
      sizeBytes: report.sizeBytes,
      classes: report.classes.map((c) => ({
        name: c.className,
        nodeType: c.nodeType,
        count: c.count,
        sizeBytes: c.sizeBytes,
        retainers: c.retainers.clusters.map((r) => ({ count: r.count, sizeBytes: r.sizeBytes, path: r.path.text })),
      })),
    },
  }
}

function fileOf(repeat: RepeatResult, point: SnapshotPoint): string | null {
  return repeat.stages.find((s) => s.name === point.stage)?.snapshots[point.at]?.file ?? null
}
