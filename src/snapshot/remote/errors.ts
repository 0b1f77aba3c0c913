/**
 * Why a remote capture could not run or did not finish. One class, {@link RemoteSnapshotError},
 * whose `reason` tells the cases apart (tests and scripts match on it) and whose `code` is one of
 * the shared {@link ErrorCode}s, so the CLI maps it to an exit code: 3 when the target died or hung
 * (`TARGET_CRASHED`, `TARGET_TIMED_OUT`), 130 when aborted (`INTERRUPTED`), 2 for everything the
 * user can fix.
 */
import { MemgateError, type ErrorCode } from '../../common/errors.js'

/** Every way a remote capture fails, with the shared error code each maps to. */
export const REMOTE_FAILURE_CODES = {
  /** No process has that PID (or it exited before the capture began). */
  'no-such-process': 'INPUT_NOT_FOUND',
  /** The process belongs to another user: memgate may not signal it or read its sockets. */
  'permission-denied': 'INPUT_INVALID',
  /** The process is not Node.js (its executable and command line say otherwise). */
  'not-node': 'INPUT_UNSUPPORTED_FORMAT',
  /** SIGUSR1 would not open the inspector: `--disable-sigusr1`, ignored, or it never opened in time. */
  'inspector-unavailable': 'PROBE_UNAVAILABLE',
  /** The inspector's port is held by another process, so SIGUSR1 cannot open it. */
  'port-taken': 'PROBE_UNAVAILABLE',
  /** The host (or the target's cgroup) lacks the memory the snapshot is estimated to need. */
  'insufficient-memory': 'INPUT_TOO_LARGE',
  /** The target exited or closed the connection while memgate worked on it. */
  'target-exited': 'TARGET_CRASHED',
  /** The target did not answer in time. */
  'timed-out': 'TARGET_TIMED_OUT',
  /** The inspector answered with an error (protocol or evaluation failure). */
  'protocol-error': 'PROBE_UNAVAILABLE',
  /** The output file could not be written. */
  'write-failed': 'SNAPSHOT_WRITE_FAILED',
  /** The caller aborted (SIGINT/SIGTERM in the CLI): no file was left, the inspector was closed. */
  interrupted: 'INTERRUPTED',
} as const satisfies Record<string, ErrorCode>

/** The `reason` of a {@link RemoteSnapshotError}. */
export type RemoteFailureReason = keyof typeof REMOTE_FAILURE_CODES

/** A remote snapshot or sampling failed; the message says what was wrong and what to do. */
export class RemoteSnapshotError extends MemgateError {
  constructor(
    readonly reason: RemoteFailureReason,
    /** The target's PID. */
    readonly pid: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(REMOTE_FAILURE_CODES[reason], message, options)
    this.name = 'RemoteSnapshotError'
  }
}
