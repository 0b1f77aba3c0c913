/**
 * What the worker says over IPC, gathered for the repeat's record: readiness, settings, the error
 * it reported, whether it finished, and the stages. Every listener is attached at once, before any
 * await: an event emitted while nobody listens is lost.
 */
import type { ChildProcess } from 'node:child_process'
import { isWorkerMessage, type ErrorInfo, type WorkerMessage } from '../protocol.js'
import { StageLog } from '../stage-assembly.js'
import type { SpeedReference } from '../speed-reference.js'

/** The worker's messages so far. */
export interface WorkerTalk {
  stages: StageLog
  settings: Record<string, unknown>
  reportedError: ErrorInfo | null
  /** The host's speed reference the worker timed at both ends; null until (unless) it sends one. */
  speedReference: SpeedReference | null
  done: boolean
}

/**
 * Listens to `child`; calls `onReady` once when the worker says it is ready.
 * @param onMessage every valid message, after it was recorded
 */
export function listenToWorker(child: ChildProcess, onReady: () => void, onMessage?: (message: WorkerMessage) => void): WorkerTalk {
  const talk: WorkerTalk = { stages: new StageLog(), settings: {}, reportedError: null, speedReference: null, done: false }
  child.on('message', (message: unknown) => {
    if (!isWorkerMessage(message)) return
    switch (message.t) {
      case 'ready':
        onReady()
        break
      case 'settings':
        talk.settings = message.settings
        break
      case 'stage-failed':
      case 'uncaught':
        talk.reportedError ??= message.error
        break
      case 'speed-reference':
        talk.speedReference = message.reference
        break
      case 'done':
        talk.done = true
        break
      default:
        break
    }
    talk.stages.apply(message)
    onMessage?.(message)
  })
  return talk
}
