/** Messages between the primary and its workers over the cluster IPC channel. */

/** Why a worker retires on purpose (recycling). */
export type RetireReason = 'max-requests' | 'max-memory'

export type WorkerMessage =
  | { t: 'listening'; port: number }
  | { t: 'ready'; loadMs: number }
  | { t: 'fatal'; code: string; message: string }
  /** Sent every second (a quarter of the timeout when shorter): a silent worker is hung; `oldestAgeMs` catches a hung request in a live loop. */
  | { t: 'beat'; oldestAgeMs: number | null; oldestRequest: string | null; rssBytes: number; ocrInFlight: number }
  | { t: 'retire'; reason: RetireReason; requests: number; rssBytes: number }
  | { t: 'metrics-req'; id: number }
  | { t: 'drained'; drainMs: number; handedOver: number }
  /** Carries a kept-alive connection's handle (the IPC message's handle) for a live worker. */
  | { t: 'handover' }

export type PrimaryMessage =
  /** `handover`: a live worker can take this one's connections (a recycle); false when the service stops. */
  | { t: 'drain'; handover: boolean }
  | { t: 'metrics-res'; id: number; contentType: string; text: string }
  /** Carries a connection handed over by a draining worker (the IPC message's handle). */
  | { t: 'adopt' }

/** The environment variable that carries the resolved options (JSON) to a worker. */
export const OPTIONS_VAR = 'MEMGATE_SERVE_OPTIONS'

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string'
}
