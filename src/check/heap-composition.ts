/**
 * The heap's composition at the end of a scenario's last work stage, from the snapshot pass's
 * after-snapshot: per-class counts, self sizes and held sizes (src/snapshot/held.ts: what each
 * class's objects keep alive as the nearest holder, so a diff names `CachedResponse` rather than
 * the strings it keeps). Baselines store its top classes; the gate's explanation diffs a run's
 * against them. Parsed here, in the parent.
 */
import { join } from 'node:path'
import { lastWorkStage } from '../baseline/baseline-file.js'
import type { HeapClassRow } from '../run/composition.js'
import type { RepeatResult } from '../run/schema.js'
import { heapClassesOfFile } from '../snapshot/index.js'

/** Every class of the snapshot after the last work stage of `pass`, or null when it has no such snapshot. */
export async function heapClassesAtEnd(pass: RepeatResult, passDir: string): Promise<{ stage: string; snapshot: string; classes: HeapClassRow[] } | null> {
  const stage = lastWorkStage(pass.stages)
  const file = stage?.snapshots.after?.file
  if (!stage || !file) return null
  return { stage: stage.name, snapshot: file, classes: await heapClassRowsOf(join(passDir, file)) }
}

/** Every class of one snapshot file as a composition row: count, self and held size. */
export async function heapClassRowsOf(path: string): Promise<HeapClassRow[]> {
  const classes = await heapClassesOfFile(path)
  return classes.map((c) => ({ className: c.className, count: c.count, selfBytes: c.selfSizeBytes, heldBytes: c.heldSizeBytes }))
}

/** The directory of each run a gate session opened: where its snapshots are (`updateBaselines` reads them). */
const runDirs = new WeakMap<object, string>()

/** Records where `run`'s files are. */
export function rememberRunDir(run: object, dir: string): void {
  runDirs.set(run, dir)
}

/** Where `run`'s files are, when a gate session opened it. */
export function runDirOf(run: object): string | undefined {
  return runDirs.get(run)
}
