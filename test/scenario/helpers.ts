/**
 * Shared by the scenario tests: builds `dist/` when a source is newer than its output (workers run
 * compiled JS), and runs fixture scenarios through the real runner.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runScenarios, loadScenarios, type RunOutcome, type RunRequest } from '../../src/scenario/harness.js'
import { parseRun, type RepeatResult } from '../../src/run/index.js'

export const ROOT = join(import.meta.dirname, '..', '..')
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'scenarios')

/**
 * Builds dist/ if a source is newer than its output (workers run compiled JS). The check and the
 * build run under flock, shared with other suites; see build-if-stale.mjs.
 */
export function ensureBuilt(): void {
  execFileSync('flock', ['/tmp/memgate-build.lock', process.execPath, join(import.meta.dirname, 'build-if-stale.mjs')], { cwd: ROOT, stdio: 'pipe' })
  if (!existsSync(join(ROOT, 'dist', 'src', 'scenario', 'worker.js'))) throw new Error('The build did not produce dist/src/scenario/worker.js')
}

const made: string[] = []

/** A fresh output directory, removed by {@link removeTempOuts}. */
export function tempOut(): string {
  const dir = mkdtempSync(join(tmpdir(), 'memgate-test-'))
  made.push(dir)
  return dir
}

/** Removes every directory {@link tempOut} made (runs hold heap snapshots of a few MB). */
export function removeTempOuts(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Runs scenario modules (paths or built-in names) with test-friendly defaults. */
export async function runFixture(modules: string[], options: Partial<Omit<RunRequest, 'scenarios'>> = {}): Promise<RunOutcome> {
  // A bare file name is a fixture; anything else a path or a built-in name.
  const scenarios = await loadScenarios(modules.map((m) => (!m.includes('/') && /\.m?[jt]s$/.test(m) ? join(FIXTURES, m) : m)))
  return runScenarios({
    scenarios,
    repeat: 1,
    variant: null,
    params: [],
    snapshots: null,
    timeoutMs: 30_000,
    intervalMs: 20,
    nodeFlags: [],
    env: {},
    memoryLimitBytes: null,
    outDir: tempOut(),
    baseEnv: process.env,
    argv: ['test'],
    ...options,
  })
}

/** Reads run.json back from disk through the schema, as the gate would. */
export function readRunJson(file: string): ReturnType<typeof parseRun> {
  return parseRun(JSON.parse(readFileSync(file, 'utf8')), file)
}

/** The gap between the worker's end and the last timeline sample, ms. */
export function endGapMs(repeat: RepeatResult): number {
  const last = repeat.timeline.at(-1)
  if (!last) return Number.POSITIVE_INFINITY
  return repeat.endedAtMs - last.atMs
}
