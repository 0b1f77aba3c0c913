/**
 * How `memgate watch` shows each interval: on a terminal, one table redrawn in place (one row per
 * process, the tree's totals, the peak, a trend arrow; cursor moves, no scrolling); off a
 * terminal, one line per interval (a CI log stays readable); with `--json`, one JSON object per
 * interval. The rendering is pure ({@link renderWatchTable}, {@link renderWatchLine}); the
 * display only decides where it goes.
 */
import type { ProcessRow, WatchEvent, WatchTick } from '../probe/index.js'
import { formatBytes, MiB } from '../common/units.js'
import type { OutStream } from './io.js'

/** Ceilings shown next to the totals. */
export interface WatchBudgets {
  maxRssBytes: number | null
  maxPssBytes: number | null
}

/** Context of a rendering. */
export interface WatchView {
  /** What is watched, one line. */
  description: string
  intervalMs: number
  budgets: WatchBudgets
  /** Terminal width and height. */
  columns: number
  rows: number
  /** The latest events, newest last. */
  recent: readonly WatchEvent[]
}

/** Events shown under the table. */
export const RECENT_EVENTS = 4

/**
 * An arrow for a change in RSS: `↑` / `↓` when it moved by at least 1 MiB and 1% of `now`,
 * else `→`; `·` while unknown.
 */
export function trendArrow(deltaBytes: number | null, nowBytes: number | null): string {
  if (deltaBytes === null || nowBytes === null) return '·'
  const threshold = Math.max(MiB, Math.abs(nowBytes) * 0.01)
  if (deltaBytes >= threshold) return `↑ ${formatBytes(deltaBytes, true)}`
  if (deltaBytes <= -threshold) return `↓ ${formatBytes(deltaBytes, true)}`
  return '→'
}

/** `1234` s → `20:34`, `3725` s → `1:02:05`. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0')
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`
}

const percent = (v: number | null): string => (v === null ? '—' : `${v.toFixed(v >= 100 ? 0 : 1)}%`)
const count = (v: number | null): string => (v === null ? '—' : String(v))

const HEADERS = ['PID', 'RSS', 'PSS', 'USS', 'SWAP', 'THR', 'CPU', 'TREND'] as const

function cells(row: Pick<ProcessRow, 'rssBytes' | 'pssBytes' | 'ussBytes' | 'swapBytes' | 'threads' | 'cpuPercent' | 'rssTrendBytes'>, first: string): string[] {
  return [first, formatBytes(row.rssBytes), formatBytes(row.pssBytes), formatBytes(row.ussBytes), formatBytes(row.swapBytes), count(row.threads), percent(row.cpuPercent), trendArrow(row.rssTrendBytes, row.rssBytes)]
}

/** Budget status, e.g. `max-rss 500 MiB: OK` / `max-rss 500 MiB: EXCEEDED`. */
function budgetText(label: string, limit: number | null, peak: number | null): string | null {
  if (limit === null) return null
  return `${label} ${formatBytes(limit)}: ${peak !== null && peak > limit ? 'EXCEEDED' : 'ok'}`
}

/**
 * The live table for one tick: at most `view.rows - 1` lines, each at most `view.columns` wide.
 * @example renderWatchTable(tick, { description: 'PID 42', intervalMs: 1000, budgets, columns: 100, rows: 30, recent: [] })
 */
export function renderWatchTable(tick: WatchTick, view: WatchView): string[] {
  const { total, peak, system } = tick
  const head = [`memgate watch · ${view.description} · ${formatClock(tick.elapsedMs)} · every ${view.intervalMs >= 1000 ? `${view.intervalMs / 1000} s` : `${view.intervalMs} ms`} · Ctrl-C stops and writes the run`]
  const footer: string[] = []
  const peakParts = [`peak tree RSS ${formatBytes(peak.rssBytes)}${peak.rssAtMs !== null ? ` at ${formatClock(peak.rssAtMs - (tick.atMs - tick.elapsedMs))}` : ''}`, `peak PSS ${formatBytes(peak.pssBytes)}`]
  const budgets = [budgetText('max-rss', view.budgets.maxRssBytes, peak.rssBytes), budgetText('max-pss', view.budgets.maxPssBytes, peak.pssBytes)].filter((b): b is string => b !== null)
  footer.push([...peakParts, ...budgets].join(' · '))
  if (system) footer.push(`system: ${formatBytes(system.availableBytes)} available of ${formatBytes(system.totalBytes)} · swap used ${formatBytes(system.swapUsedBytes)} of ${formatBytes(system.swapTotalBytes)}`)
  for (const e of view.recent.slice(-RECENT_EVENTS)) footer.push(`${formatClock(e.atMs - (tick.atMs - tick.elapsedMs))} ${e.kind}: ${e.message}`)
  // Rows that fit: the header, the table's header and total, and the footer take the rest.
  const room = Math.max(1, view.rows - 1 - head.length - 2 - footer.length - 1)
  const shown = tick.processes.slice(0, tick.processes.length > room ? room - 1 : room)
  const body = shown.map((p) => [...cells(p, String(p.pid)), p.role === 'root' ? p.command : `  ${p.command}`])
  const totalRow = [...cells({ ...total, rssTrendBytes: tick.rssTrendBytes }, 'TOTAL'), `${total.processes} process${total.processes === 1 ? '' : 'es'}`]
  const table = layout([[...HEADERS, 'COMMAND'], ...body, totalRow], view.columns)
  if (shown.length < tick.processes.length) table.splice(table.length - 1, 0, `… and ${tick.processes.length - shown.length} more processes`)
  return [...head, ...table, ...footer].map((line) => clip(line, view.columns))
}

/** Aligns columns (numbers right, the last column left) and clips to `columns`. */
function layout(rows: string[][], columns: number): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)))
  return rows.map((row) =>
    row
      .map((c, i) => (i === row.length - 1 ? c : i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
}

function clip(line: string, columns: number): string {
  const chars = [...line]
  return chars.length <= columns ? line : `${chars.slice(0, Math.max(1, columns - 1)).join('')}…`
}

/**
 * One log line for one tick (off a terminal), events on their own lines after it.
 * @example '+12.0 s  3 procs  rss 120 MiB  pss 90.1 MiB  uss 80.0 MiB  swap 0 B  cpu 3.2%  available 20.1 GiB  ↑ +2.00 MiB'
 */
export function renderWatchLine(tick: WatchTick): string[] {
  const t = tick.total
  const line = [
    `+${(tick.elapsedMs / 1000).toFixed(1)} s`,
    `${t.processes} proc${t.processes === 1 ? '' : 's'}`,
    `rss ${formatBytes(t.rssBytes)}`,
    `pss ${formatBytes(t.pssBytes)}`,
    `uss ${formatBytes(t.ussBytes)}`,
    `swap ${formatBytes(t.swapBytes)}`,
    `cpu ${percent(t.cpuPercent)}`,
    `available ${formatBytes(tick.system?.availableBytes)}`,
    trendArrow(tick.rssTrendBytes, t.rssBytes),
  ].join('  ')
  return [line, ...tick.events.map((e) => `  ${e.kind}: ${e.message}`)]
}

/** Where each tick goes. */
export interface WatchDisplay {
  tick(tick: WatchTick): void
  /** Leaves the terminal as found (cursor shown, table kept on screen). */
  end(): void
}

/**
 * Picks the display once: `json` (one object per tick), `table` (a terminal) or `lines`.
 */
export function createWatchDisplay(out: OutStream, mode: 'json' | 'table' | 'lines', view: Omit<WatchView, 'columns' | 'rows' | 'recent'>): WatchDisplay {
  let drawn = 0
  const recent: WatchEvent[] = []
  return {
    tick(tick) {
      if (mode === 'json') {
        out.write(`${JSON.stringify({ type: 'tick', ...tick })}\n`)
        return
      }
      if (mode === 'lines') {
        for (const line of renderWatchLine(tick)) out.write(`${line}\n`)
        return
      }
      recent.push(...tick.events.filter((e) => e.kind !== 'note'))
      if (recent.length > RECENT_EVENTS) recent.splice(0, recent.length - RECENT_EVENTS)
      const rows = (out as { rows?: number }).rows ?? 24
      const lines = renderWatchTable(tick, { ...view, columns: Math.max(40, (out.columns ?? 100) - 1), rows, recent })
      // Back to the first line of the previous table, then overwrite it line by line: no scrolling.
      let frame = drawn > 0 ? `\x1b[${drawn}F` : '\x1b[?25l'
      for (const line of lines) frame += `${line}\x1b[K\n`
      out.write(`${frame}\x1b[J`)
      drawn = lines.length
    },
    end() {
      if (mode === 'table' && drawn > 0) out.write('\x1b[?25h')
    },
  }
}
