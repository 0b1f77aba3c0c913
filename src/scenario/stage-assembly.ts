/**
 * Builds a repeat's stage results from the worker's messages and the parent's timeline. A stage
 * the worker never finished (it crashed, hung or was killed inside it) keeps its before-sample and
 * gets its peak from the timeline up to the end.
 */
import type { MemorySample } from '../probe/types.js'
import type { WorkerMessage } from './protocol.js'
import type { StageResult } from '../run/schema.js'

type StageStart = Extract<WorkerMessage, { t: 'stage-start' }>
type StageEnd = Extract<WorkerMessage, { t: 'stage-end' }>
type StageFailed = Extract<WorkerMessage, { t: 'stage-failed' }>

/** One stage as reported so far. */
export interface StageRecord {
  start: StageStart
  end: StageEnd | null
  failed: StageFailed | null
  /** Last op counts the worker reported while the stage ran (what survives a crash). */
  progress: { count: number; errors: number }
}

/** Collects stage messages in order. */
export class StageLog {
  readonly records: StageRecord[] = []

  /** The stage that started and has not ended, if any. */
  get current(): StageRecord | null {
    const last = this.records.at(-1)
    return last && !last.end ? last : null
  }

  /** Applies one worker message; returns the record it touched. */
  apply(message: WorkerMessage): StageRecord | null {
    if (message.t === 'stage-start') {
      const record: StageRecord = { start: message, end: null, failed: null, progress: { count: 0, errors: 0 } }
      this.records.push(record)
      return record
    }
    const current = this.current
    if (!current || !('name' in message) || current.start.name !== message.name) return null
    if (message.t === 'stage-end') current.end = message
    else if (message.t === 'stage-failed') current.failed = message
    else if (message.t === 'progress') current.progress = { count: message.count, errors: message.errors }
    return current
  }

  /**
   * The stage results. `endState` is what an unfinished stage becomes: `timed-out` when the
   * runner killed the worker, else `failed`.
   */
  results(timeline: readonly MemorySample[], endedAtMs: number, endState: 'failed' | 'timed-out', endReason: string | null): StageResult[] {
    return this.records.map((r) => {
      const endedAt = r.end?.atMs ?? null
      const window = timelineMax(timeline, r.start.atMs, endedAt ?? endedAtMs)
      const hwm = r.end && r.start.peakReset ? r.end.after.peakRssBytes : null
      // VmHWM is exact (the kernel tracks every page); the timeline can miss a spike between ticks.
      const [peakRssBytes, peakRssSource] = hwm !== null ? [Math.max(hwm, window ?? 0), 'vmhwm' as const] : window !== null ? [window, 'timeline' as const] : [null, null]
      const state = r.end ? 'completed' : r.failed ? 'failed' : endState
      return {
        name: r.start.name,
        kind: r.start.kind,
        state,
        error: r.end ? null : (r.failed?.error.message ?? endReason),
        startedAtMs: r.start.atMs,
        endedAtMs: endedAt ?? r.failed?.atMs ?? null,
        before: r.start.before,
        after: r.end?.after ?? null,
        peakRssBytes,
        peakRssSource,
        ops: r.end?.ops ?? unfinishedOps(r, endedAtMs),
        metrics: r.end?.metrics ?? {},
        snapshots: {
          ...(r.start.snapshot ? { before: r.start.snapshot } : {}),
          ...(r.end?.snapshot ? { after: r.end.snapshot } : {}),
        },
        ...(r.end?.http ? { http: r.end.http } : {}),
      } satisfies StageResult
    })
  }
}

function unfinishedOps(r: StageRecord, endedAtMs: number): StageResult['ops'] {
  const durationMs = Math.max(0, (r.failed?.atMs ?? endedAtMs) - r.start.atMs)
  const { count, errors } = r.progress
  return { count, errors, durationMs, throughputPerSec: durationMs > 0 ? (count * 1000) / durationMs : 0, latencyMs: null, source: 'op', errorMessages: [] }
}

/** Highest RSS of the samples in [fromMs, toMs], or null when none had RSS there. */
export function timelineMax(samples: readonly MemorySample[], fromMs: number, toMs: number): number | null {
  let peak: number | null = null
  for (const s of samples) {
    if (s.atMs < fromMs || s.atMs > toMs || s.rssBytes === null) continue
    if (peak === null || s.rssBytes > peak) peak = s.rssBytes
  }
  return peak
}
