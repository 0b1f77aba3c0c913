/**
 * Each worker runs as the leader of its own process group (and session), so everything it starts
 * can be found and ended with it: a scenario that leaves a `sleep 777` behind must not leave it
 * running after memgate exits. Linux /proc only; elsewhere nothing is found.
 */
import { readdir, readFile } from 'node:fs/promises'

/** A process that outlived the worker that started it. */
export interface Leftover {
  pid: number
  command: string
}

/** The live processes whose process group is `pgid`, with their command lines. */
export async function processesInGroup(pgid: number): Promise<Leftover[]> {
  let entries: string[]
  try {
    entries = await readdir('/proc')
  } catch {
    return []
  }
  const found: Leftover[] = []
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8')
      // Fields after the command (in parentheses, which may itself hold spaces): state ppid pgrp …
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (rest[0] === 'Z' || Number(rest[2]) !== pgid) continue
      const cmdline = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ')
      found.push({ pid: Number(name), command: cmdline || stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) })
    } catch {
      // Gone between the listing and the read.
    }
  }
  return found
}

/**
 * Ends every process left in group `pgid` (SIGTERM, then SIGKILL after `graceMs`) and returns
 * what was there.
 */
export async function endProcessGroup(pgid: number, graceMs = 500): Promise<Leftover[]> {
  const left = await processesInGroup(pgid)
  if (left.length === 0) return []
  signalGroup(pgid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline && (await processesInGroup(pgid)).length > 0) await new Promise((r) => setTimeout(r, 50))
  signalGroup(pgid, 'SIGKILL')
  return left
}

/** Sends `signal` to every process of group `pgid`; a group already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // ESRCH: nobody left.
  }
}
