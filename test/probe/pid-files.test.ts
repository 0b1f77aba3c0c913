import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MAX_OPEN_PIDS, closePidFiles, openPidFileCount, readPidFile } from '../../src/probe/pid-files.js'
import { parseProcStat } from '../../src/probe/proc-stat.js'
import { samplePid } from '../../src/probe/sample-pid.js'
import { smapsSchedule } from '../../src/probe/smaps-schedule.js'
import { startNodeChild } from './fixtures/node-child.js'

const openFds = () => readdirSync('/proc/self/fd').length

/** Descriptors this process holds on `/proc/<pid>/...` files. */
function procFds(pid: number): number {
  let n = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(`/proc/${pid}/`)) n++
    } catch {
      // closed meanwhile
    }
  }
  return n
}

/** {@link procFds} once it is `expected`, or as it is after 2 s (descriptors close asynchronously). */
async function settledProcFds(pid: number, expected: number): Promise<number> {
  const deadline = Date.now() + 2000
  while (procFds(pid) !== expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  return procFds(pid)
}

describe('kept /proc/<pid> descriptors', () => {
  it('re-reads fresh text through the same descriptor, and closes it when the process is gone', async () => {
    const child = await startNodeChild(`onCommand('spin', () => { const end = Date.now() + 100; while (Date.now() < end); console.log('spun'); }); console.log('ready');`)
    expect(await child.nextLine()).toBe('ready')
    const before = await readPidFile(child.pid, 'stat')
    const fdsWhileOpen = openFds()
    child.send('spin')
    await child.nextLine()
    const after = await readPidFile(child.pid, 'stat')
    expect(openFds()).toBe(fdsWhileOpen) // no new descriptor for the second read
    if (!before.ok || !after.ok) throw new Error('stat unreadable')
    const cpuBefore = parseProcStat(before.buf, before.length)!
    const cpuAfter = parseProcStat(after.buf, after.length)!
    // 100 ms of spinning shows up in the regenerated text (ticks are 10 ms).
    expect(cpuAfter.utimeTicks + cpuAfter.stimeTicks).toBeGreaterThan(cpuBefore.utimeTicks + cpuBefore.stimeTicks)
    await child.kill()
    expect(await samplePid(child.pid)).toBeNull()
    expect(openFds()).toBeLessThan(fdsWhileOpen) // closed on the "gone" result
  })

  it('follows a process that exec()s: smaps_rollup is opened again instead of the process counted as gone', async () => {
    // A shim: the shell replaces itself with `sleep 5` (same PID) once told to, by a line on stdin.
    const child = spawn('sh', ['-c', 'read go; exec sleep 5'], { stdio: ['pipe', 'ignore', 'ignore'] })
    await once(child, 'spawn')
    const pid = child.pid!
    const exited = once(child, 'exit')
    try {
      const before = await samplePid(pid, { smapsMinIntervalMs: 0 })
      expect(before?.pssBytes).toBeGreaterThan(0) // smaps_rollup read, its descriptor kept
      expect(procFds(pid)).toBe(3) // status, stat, smaps_rollup
      child.stdin!.write('go\n')
      const cmdline = () => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()
      const deadline = Date.now() + 5000
      while (cmdline() !== 'sleep 5') {
        if (Date.now() > deadline) throw new Error(`the child did not exec: ${cmdline()}`)
        await new Promise((r) => setTimeout(r, 20))
      }
      // Through the kept descriptor this read fails with ESRCH (it belongs to the shell's address space).
      const after = await samplePid(pid, { smapsMinIntervalMs: 0 })
      expect(after).not.toBeNull()
      expect(after!.pssBytes).toBeGreaterThan(0)
      expect(await settledProcFds(pid, 3)).toBe(3) // the stale descriptor was replaced, and closed
      child.kill('SIGKILL')
      await exited
      expect(await samplePid(pid, { smapsMinIntervalMs: 0 })).toBeNull() // really gone: still gone
      expect(await settledProcFds(pid, 0)).toBe(0)
    } finally {
      child.kill('SIGKILL')
      smapsSchedule.forget(pid)
    }
  })

  it(`keeps descriptors of at most ${MAX_OPEN_PIDS} processes`, async () => {
    const pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .slice(0, MAX_OPEN_PIDS + 8)
    expect(pids.length).toBeGreaterThan(MAX_OPEN_PIDS) // any Linux box runs that many processes
    for (const pid of pids) await readPidFile(pid, 'status')
    expect(openPidFileCount()).toBeLessThanOrEqual(MAX_OPEN_PIDS)
    const fds = openFds()
    for (const pid of pids) closePidFiles(pid)
    expect(openPidFileCount()).toBe(0)
    expect(openFds()).toBeLessThan(fds)
  })
})
