/**
 * The IPC protocol between the runner (parent) and the worker (child). Plain JSON over Node's IPC
 * channel. The worker reports stage boundaries, op statistics and metrics; memory over time is
 * sampled by the parent from /proc, so nothing here is needed to survive a crash.
 */
import type { MemorySample } from '../probe/types.js'
import type { ParamValue, Pass, StageKind } from './define.js'
import type { HttpStats, OpStats, SnapshotRef } from '../run/schema.js'
import type { ServiceInfo } from './service-types.js'
import type { SpeedReference } from './speed-reference.js'

/** What the worker is to run; sent once, right after the parent has set up sampling. */
export interface WorkerSpec {
  /** Absolute path of the scenario module. */
  module: string
  params: Record<string, ParamValue>
  /** What the scenario's `prepare` returned in the parent (JSON). */
  prepared: unknown
  variant: string | null
  pass: Pass
  repeat: number
  /** Take a snapshot before and after each stage (only in the snapshot pass). */
  snapshots: 'none' | 'stages'
  /** Run directory snapshots are written into (their `file` is relative to it). */
  runDir: string
  /** Folder under `runDir` for this pass's snapshots. */
  snapshotSubdir: string
  workDir: string
  /** How often the worker reports op counts for the live line, ms. */
  progressIntervalMs: number
  /** The service the runner started for this repeat (`ctx.service`); absent without one. */
  service?: ServiceInfo
  /**
   * Wait at each stage boundary for the parent's {@link StageAck} (it reads the worker's smaps
   * there), at most this long, ms ({@link STAGE_ACK_TIMEOUT_MS}): set by the parent for the
   * measuring pass, so a worker that exits right after its last stage cannot outrun the read.
   * Absent: never wait.
   */
  stageAckTimeoutMs?: number
  /**
   * Time the host's speed reference before setup and after teardown (`speed-reference.ts`) and send it: set by the
   * parent for the measuring pass, whose CPU per operation the gate compares at equal host speed.
   */
  speedReference?: boolean
}

/**
 * How long the worker waits for a {@link StageAck}, ms: a live parent's smaps read takes
 * milliseconds, far less than this even on a loaded machine; a parent that is stuck must not hang
 * the worker, which then goes on (that boundary's read may then miss). A parent that is gone
 * disconnects the channel, and the worker stops at once.
 */
export const STAGE_ACK_TIMEOUT_MS = 5000

/** Parent → worker: the boundary whose message carried `ackSeq` was handled (its smaps read is done). */
export interface StageAck {
  t: 'stage-ack'
  seq: number
}

/** Parent → worker. */
export type ParentMessage = { t: 'start'; spec: WorkerSpec } | { t: 'abort'; reason: string } | StageAck

/** A serialised error. */
export interface ErrorInfo {
  message: string
  stack: string | null
}

/** Worker → parent. */
export type WorkerMessage =
  | { t: 'ready'; pid: number }
  | { t: 'settings'; settings: Record<string, unknown> }
  | {
      t: 'stage-start'
      name: string
      kind: StageKind
      atMs: number
      before: MemorySample
      peakReset: boolean
      snapshot: SnapshotRef | null
      /** Present when the worker waits for a {@link StageAck} with this `seq` before the stage's work starts. */
      ackSeq?: number
    }
  | { t: 'progress'; name: string; count: number; errors: number }
  | {
      t: 'stage-end'
      name: string
      atMs: number
      after: MemorySample
      ops: OpStats
      metrics: Record<string, number>
      snapshot: SnapshotRef | null
      /** HTTP load the stage drove (`ctx.load`), when it drove any. */
      http?: HttpStats
      /** Present when the worker waits for a {@link StageAck} with this `seq` before it goes on (or exits). */
      ackSeq?: number
    }
  | { t: 'stage-failed'; name: string; atMs: number; error: ErrorInfo }
  | { t: 'uncaught'; error: ErrorInfo }
  /** The host's speed reference, timed before setup and after teardown when the spec asked for it. */
  | { t: 'speed-reference'; reference: SpeedReference }
  | { t: 'done' }

/** Narrows an IPC message from the worker (the channel could carry anything a scenario sends). */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string'
}

/** Narrows an IPC message from the parent. */
export function isParentMessage(value: unknown): value is ParentMessage {
  if (typeof value !== 'object' || value === null) return false
  const t = (value as { t?: unknown }).t
  if (t === 'stage-ack') return typeof (value as { seq?: unknown }).seq === 'number'
  return t === 'start' || t === 'abort'
}

/** Serialises any thrown value. */
export function errorInfo(value: unknown): ErrorInfo {
  if (value instanceof Error) return { message: value.message || value.name, stack: value.stack ?? null }
  return { message: String(value), stack: null }
}
