/** Shared by the heaptrack tests: whether heaptrack is here, temporary directories, process checks. */
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { detectHeaptrack, type HeaptrackTools } from '../../src/native/index.js'

/** heaptrack's tools, or null where it is not installed. */
export const tools: HeaptrackTools | null = await detectHeaptrack().catch(() => null)

/** Real runs need heaptrack; CI installs it (`.ci/run`), so there a missing heaptrack fails instead of skipping. */
export const runReal = tools !== null || process.env.CI === 'true'

export function requireTools(): HeaptrackTools {
  if (!tools) throw new Error('heaptrack is not installed: apt-get install heaptrack')
  return tools
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `memgate-native-${prefix}-`))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** True while `pid` exists and is not a zombie. */
export function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`
  if (!existsSync(stat)) return false
  try {
    return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z'
  } catch {
    return false
  }
}

export const fixture = (path: string) => new URL(`../fixtures/${path}`, import.meta.url).pathname
