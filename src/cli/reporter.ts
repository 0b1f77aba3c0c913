/**
 * One reporter per invocation (size-limit's createReporter is the model): the command picks how
 * progress looks once — live stage lines, one line per finished repeat, or nothing — and every
 * event of the run, the gate or the baseline update goes through it.
 */
import type { CheckEvent } from '../check/events.js'
import { formatBytes, formatMs } from '../common/units.js'
import { println, type OutStream } from './io.js'

/** How much progress to show: every stage (`memgate run`), finished repeats (`check`, `compare`), or none. */
export type ReporterMode = 'stages' | 'repeats' | 'silent'

/** Renders progress events. */
export interface Reporter {
  onEvent(event: CheckEvent): void
  /** Clears a live line; call before printing results. */
  end(): void
}

/**
 * @param out where progress goes (`run`: stdout; `check`: stderr, so stdout carries only verdicts)
 * @param notes where notes about the gate's own work go (extra repeats, re-runs, warnings)
 */
export function createReporter(mode: ReporterMode, out: OutStream, notes: OutStream = out): Reporter {
  let live = false
  let lastDrawMs = 0
  const clear = (): void => {
    if (!live) return
    out.write('\r\x1b[K')
    live = false
  }
  const draw = (line: string, force = false): void => {
    if (!out.isTTY) return
    const now = Date.now()
    // At most 10 redraws a second: a terminal is slower than a 10 ms sampler.
    if (!force && now - lastDrawMs < 100) return
    lastDrawMs = now
    out.write(`\r\x1b[K${line.slice(0, Math.max(20, (out.columns ?? 100) - 1))}`)
    live = true
  }
  const ops = (n: number, errors: number): string => `ops ${n}${errors ? ` (${errors} errors)` : ''}`
  return {
    onEvent(e) {
      if (mode === 'silent') return
      switch (e.type) {
        case 'suite-start':
          if (mode === 'stages') {
            if (e.defaultSuite) println(out, `Running the default suite (${e.scenarios.join(', ')})${e.variant ? ` with profile ${e.variant}` : ''}.`)
          } else println(notes, `memgate: running ${e.scenarios.join(', ')} × ${e.repeat}${e.variant ? ` (profile ${e.variant})` : ''}`)
          break
        case 'extra-repeat':
          clear()
          println(notes, `memgate: one more repeat of ${e.scenario} (a relative rule is inconclusive or its pass is being confirmed)`)
          break
        case 'explain-rerun':
          clear()
          println(notes, `memgate: re-running ${e.scenario} in snapshot mode to see what grew`)
          break
        case 'warning':
          clear()
          println(notes, `memgate: ${e.message}`)
          break
        case 'repeat-start':
          if (mode !== 'stages') break
          clear()
          println(out, `▸ ${e.scenario} ${e.pass === 'measure' ? `#${e.index + 1}/${e.total}` : 'snapshots'}`)
          break
        case 'stage-start':
          if (mode === 'stages') draw(`  ${e.stage} (${e.kind}) …`, true)
          break
        case 'progress':
          if (mode === 'stages' && e.stage !== null) draw(`  ${e.stage}  ${ops(e.ops, e.errors)}  rss ${formatBytes(e.rssBytes)}  peak ${formatBytes(e.peakRssBytes)}`)
          break
        case 'stage-end':
          if (mode !== 'stages') break
          clear()
          println(out, `  ${e.stage}  ${ops(e.ops, e.errors)}  ${formatMs(e.durationMs)}  rss ${formatBytes(e.rssBytes)}  peak ${formatBytes(e.peakRssBytes)}`)
          break
        case 'repeat-end': {
          clear()
          const r = e.repeat
          for (const p of r.leftovers ?? []) println(notes, `memgate: ${e.scenario}: the worker left process ${p.pid} running (${p.command}); it was ended with the worker's process group`)
          if (mode === 'stages') {
            if (r.failure) println(out, `  ✗ ${r.state}: ${r.failure.message}`)
            break
          }
          const which = r.pass === 'measure' ? `#${r.index + 1}` : 'snapshots'
          println(out, `  ${e.scenario} ${which}: ${r.state}, peak RSS ${formatBytes(r.peakRssBytes)}, ${formatMs(r.endedAtMs - r.startedAtMs)}${r.failure ? ` (${r.failure.message})` : ''}`)
          break
        }
      }
    },
    end: clear,
  }
}
