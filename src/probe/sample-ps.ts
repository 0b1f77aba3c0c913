/**
 * The fallback for platforms without procfs (macOS, the BSDs): ask `ps`. It costs a process
 * spawn per sample (milliseconds), so intervals under ~100 ms are not realistic there, and it
 * knows only RSS: peakRss, swap, threads, pss, private and CPU time are null. (`ps -o time`
 * sums user and system time, which cannot be split into the two fields honestly.)
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { MemgateError } from '../common/errors.js'
import { emptySample } from './empty-sample.js'
import type { MemorySample } from './types.js'

const run = promisify(execFile)

/** One process in a `ps` listing. */
export interface PsEntry {
  pid: number
  ppid: number
}

/**
 * Samples `pid` with `ps -o rss=,stat= -p <pid>` (columns both procps and BSD `ps` know).
 * @returns `null` when `ps` does not list the process or lists it as a zombie.
 * @throws MemgateError `PROBE_UNAVAILABLE` when `ps` itself cannot be run.
 */
export async function samplePidPs(pid: number): Promise<MemorySample | null> {
  const atMs = Date.now()
  const out = await ps(['-o', 'rss=,stat=', '-p', String(pid)])
  const parsed = parsePsRssLine(out)
  if (parsed === null || parsed.state.startsWith('Z')) return null
  const sample = emptySample(pid, atMs)
  sample.rssBytes = parsed.rssBytes
  return sample
}

/**
 * Parses one line of `ps -o rss=,stat=` output: RSS in KiB and the state letters.
 * @returns `null` for empty or malformed output (the process is not listed).
 * @example parsePsRssLine('  3964 Ss\n') // { rssBytes: 4059136, state: 'Ss' }
 */
export function parsePsRssLine(text: string): { rssBytes: number; state: string } | null {
  const m = /^\s*(\d+)\s+(\S+)/.exec(text)
  if (!m) return null
  return { rssBytes: Number(m[1]) * 1024, state: m[2] as string }
}

/** Every process with its parent, from `ps -A -o pid=,ppid=`. */
export async function listProcessesPs(): Promise<PsEntry[]> {
  return parsePsPidList(await ps(['-A', '-o', 'pid=,ppid=']))
}

/** Parses `ps -o pid=,ppid=` output, skipping lines that are not two integers. */
export function parsePsPidList(text: string): PsEntry[] {
  const entries: PsEntry[] = []
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line)
    if (m) entries.push({ pid: Number(m[1]), ppid: Number(m[2]) })
  }
  return entries
}

/** Runs `ps`; an exit status of 1 with no output is `ps`'s way of saying "no such process". */
async function ps(args: string[]): Promise<string> {
  try {
    const { stdout } = await run('ps', args, { encoding: 'utf8', timeout: 5000 })
    return stdout
  } catch (error) {
    // execFile rejects with `code` = the exit status (a number) or a spawn errno (a string).
    const e = error as { code?: unknown; stdout?: unknown; message?: unknown }
    if (e.code === 1) return typeof e.stdout === 'string' ? e.stdout : ''
    throw new MemgateError('PROBE_UNAVAILABLE', `Could not run 'ps ${args.join(' ')}' to sample processes (${String(e.code ?? e.message)}). Install procps or sample on Linux, where /proc is read directly.`, {
      cause: error,
    })
  }
}
