import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { clockTicksPerSecond } from '../../src/probe/clock-ticks.js'
import { parseProcStat, ticksToMs } from '../../src/probe/proc-stat.js'

/** A stat line as the kernel prints it, fields 1..24 and a few beyond. */
function statLine(pid: number, comm: string, o: { state?: string; ppid?: number; utime?: number; stime?: number; threads?: number; vsize?: number; rss?: number } = {}): string {
  const f = [
    pid,
    `(${comm})`,
    o.state ?? 'S',
    o.ppid ?? 1,
    ...[pid, pid, 0, -1, 4194304, 100, 0, 0, 0],
    o.utime ?? 0,
    o.stime ?? 0,
    ...[0, 0, 20, 0],
    o.threads ?? 1,
    0,
    170220,
    o.vsize ?? 0,
    o.rss ?? 0,
    ...['18446744073709551615', 1, 2, 3],
  ]
  return `${f.join(' ')}\n`
}

describe('parseProcStat', () => {
  it('reads the fields memgate uses', () => {
    const s = parseProcStat(Buffer.from(statLine(321, 'node', { state: 'R', ppid: 45, utime: 250, stime: 75, threads: 11, vsize: 1 << 30, rss: 9000 })))
    expect(s).toEqual({ pid: 321, comm: 'node', state: 'R', ppid: 45, utimeTicks: 250, stimeTicks: 75, threads: 11, startTimeTicks: 170220, vsizeBytes: 1 << 30, rssPages: 9000 })
  })

  it.each(['my proc', 'a) b (c', ') S 99 ', '((()))', 'x'.repeat(15)])('counts fields from the last parenthesis for comm %j', (comm) => {
    const s = parseProcStat(Buffer.from(statLine(7, comm, { ppid: 3, utime: 12, threads: 4 })))
    expect(s?.comm).toBe(comm)
    expect(s?.ppid).toBe(3)
    expect(s?.utimeTicks).toBe(12)
    expect(s?.threads).toBe(4)
  })

  it('returns null for truncated or foreign text', () => {
    expect(parseProcStat(Buffer.from('12 (node) S 1 2 3'))).toBeNull()
    expect(parseProcStat(Buffer.from('no parentheses here'))).toBeNull()
  })

  it('parses this process from /proc/self/stat', async () => {
    const { readFileSync } = await import('node:fs')
    const s = parseProcStat(readFileSync('/proc/self/stat'))
    expect(s?.pid).toBe(process.pid)
    expect(s?.ppid).toBe(process.ppid)
    expect(s?.state).toBe('R')
  })
})

describe('clock ticks', () => {
  it('converts ticks to ms at the given rate', () => {
    expect(ticksToMs(250, 100)).toBe(2500)
    expect(ticksToMs(3, 1000)).toBe(3)
  })

  it('reads the rate from getconf once', () => {
    const expected = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    expect(clockTicksPerSecond()).toBe(expected)
    expect(clockTicksPerSecond()).toBe(expected)
  })
})
