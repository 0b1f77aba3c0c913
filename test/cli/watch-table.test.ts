import { describe, expect, it } from 'vitest'
import { MiB } from '../../src/common/units.js'
import type { ProcessRow, WatchTick } from '../../src/probe/index.js'
import { createWatchDisplay, formatClock, renderWatchLine, renderWatchTable, trendArrow } from '../../src/cli/watch-table.js'

const row = (pid: number, role: 'root' | 'child', rssMiB: number, trendMiB: number | null, command: string): ProcessRow => ({
  pid,
  ppid: role === 'root' ? 1 : 100,
  command,
  role,
  rssBytes: rssMiB * MiB,
  pssBytes: rssMiB * MiB * 0.5,
  ussBytes: rssMiB * MiB * 0.25,
  swapBytes: 0,
  threads: 4,
  cpuPercent: 2.5,
  peakRssBytes: rssMiB * MiB,
  rssTrendBytes: trendMiB === null ? null : trendMiB * MiB,
})

const start = 1_700_000_000_000
const tick: WatchTick = {
  index: 65,
  atMs: start + 65_000,
  elapsedMs: 65_000,
  processes: [row(100, 'root', 200, 0, 'gunicorn: master'), row(101, 'child', 100, 12, 'gunicorn: worker')],
  total: { processes: 2, rssBytes: 300 * MiB, pssBytes: 150 * MiB, ussBytes: 75 * MiB, swapBytes: 0, threads: 8, cpuPercent: 5 },
  peak: { rssBytes: 310 * MiB, rssAtMs: start + 30_000, pssBytes: 155 * MiB, pssAtMs: start + 30_000 },
  rssTrendBytes: 12 * MiB,
  system: { atMs: start + 65_000, totalBytes: 16 * 1024 * MiB, availableBytes: 9 * 1024 * MiB, swapTotalBytes: 0, swapUsedBytes: 0 },
  events: [{ atMs: start + 64_500, kind: 'recycle', pid: 101, message: '101 replaced 99 under 100 (gunicorn: worker)' }],
}

describe('watch table', () => {
  it('renders rows, totals, peak, budgets, the machine and recent events', () => {
    const lines = renderWatchTable(tick, { description: '/gunicorn/', intervalMs: 1000, budgets: { maxRssBytes: 300 * MiB, maxPssBytes: null }, columns: 120, rows: 40, recent: tick.events })
    expect(lines).toEqual([
      'memgate watch · /gunicorn/ · 1:05 · every 1 s · Ctrl-C stops and writes the run',
      'PID        RSS       PSS       USS  SWAP  THR   CPU        TREND  COMMAND',
      '100    200 MiB   100 MiB  50.0 MiB   0 B    4  2.5%            →  gunicorn: master',
      '101    100 MiB  50.0 MiB  25.0 MiB   0 B    4  2.5%  ↑ +12.0 MiB    gunicorn: worker',
      'TOTAL  300 MiB   150 MiB  75.0 MiB   0 B    8  5.0%  ↑ +12.0 MiB  2 processes',
      'peak tree RSS 310 MiB at 0:30 · peak PSS 155 MiB · max-rss 300 MiB: EXCEEDED',
      'system: 9.00 GiB available of 16.0 GiB · swap used 0 B of 0 B',
      '1:04 recycle: 101 replaced 99 under 100 (gunicorn: worker)',
    ])
  })

  it('never draws more lines than the terminal has, nor wider ones', () => {
    const many: WatchTick = { ...tick, processes: Array.from({ length: 50 }, (_, i) => row(200 + i, 'child', 10, null, 'x'.repeat(200))) }
    const lines = renderWatchTable(many, { description: 'PID 1', intervalMs: 500, budgets: { maxRssBytes: null, maxPssBytes: null }, columns: 80, rows: 20, recent: [] })
    expect(lines.length).toBeLessThanOrEqual(19)
    expect(lines.every((l) => [...l].length <= 80)).toBe(true)
    expect(lines.some((l) => /… and \d+ more processes/.test(l))).toBe(true)
  })

  it('one line per interval off a terminal, events after it', () => {
    expect(renderWatchLine(tick)).toEqual([
      '+65.0 s  2 procs  rss 300 MiB  pss 150 MiB  uss 75.0 MiB  swap 0 B  cpu 5.0%  available 9.00 GiB  ↑ +12.0 MiB',
      '  recycle: 101 replaced 99 under 100 (gunicorn: worker)',
    ])
  })

  it('redraws in place: the second frame moves the cursor up over the first', () => {
    let out = ''
    const display = createWatchDisplay({ write: (s: string) => (out += s), isTTY: true, columns: 100 }, 'table', { description: 'PID 1', intervalMs: 1000, budgets: { maxRssBytes: null, maxPssBytes: null } })
    display.tick(tick)
    const first = out
    display.tick(tick)
    display.end()
    const frameLines = first.split('\n').length - 1
    expect(out.slice(first.length)).toMatch(new RegExp(`^\\x1b\\[${frameLines}F`))
    expect(out.endsWith('\x1b[?25h')).toBe(true)
  })

  it('arrows and clocks', () => {
    expect(trendArrow(null, 5)).toBe('·')
    expect(trendArrow(512 * 1024, 100 * MiB)).toBe('→') // under 1 MiB
    expect(trendArrow(2 * MiB, 500 * MiB)).toBe('→') // under 1% of 500 MiB
    expect(trendArrow(-8 * MiB, 500 * MiB)).toBe('↓ -8.00 MiB')
    expect(formatClock(3_725_000)).toBe('1:02:05')
    expect(formatClock(59_999)).toBe('0:59')
  })
})
