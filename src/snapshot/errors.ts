/** Errors about snapshot files: an {@link InputError} that also says where parsing stopped. */
import { InputError } from '../common/errors.js'

/** Advice appended to every "not a valid snapshot" message. */
const ADVICE =
  'Expected a V8 .heapsnapshot file (from v8.writeHeapSnapshot, Chrome DevTools or memgate); if it was cut short by a crash or a full disk, capture it again.'

/** `SNAPSHOT_INVALID`: the file is not a well-formed heap snapshot. */
export class SnapshotInvalidError extends InputError {
  constructor(
    path: string,
    /** Byte offset in the file where parsing failed. */
    readonly byteOffset: number,
    problem: string,
    options?: ErrorOptions,
  ) {
    super('SNAPSHOT_INVALID', `Invalid heap snapshot ${path} at byte ${byteOffset}: ${problem}. ${ADVICE}`, path, options)
    this.name = 'SnapshotInvalidError'
  }
}

/** `SNAPSHOT_NOT_FOUND`: no file at the path. */
export function snapshotNotFound(path: string, cause?: unknown): InputError {
  return new InputError(
    'SNAPSHOT_NOT_FOUND',
    `Heap snapshot not found: ${path}. Check the path (relative paths are resolved from the current directory).`,
    path,
    cause === undefined ? undefined : { cause },
  )
}
