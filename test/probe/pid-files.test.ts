import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MAX_OPEN_PIDS, closePidFiles, openPidFileCount, readPidFile } from '../../src/probe/pid-files.js'
import { parseProcStat } from '../../src/probe/proc-stat.js'
import { samplePid } from '../../src/probe/sample-pid.js'
import { startNodeChild } from './fixtures/node-child.js'

const openFds = () => readdirSync('/proc/self/fd').length

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
