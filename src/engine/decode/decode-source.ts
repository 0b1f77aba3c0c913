/**
 * The decoder's input side: checks a path (exists, is a regular non-empty file) or a buffer, and
 * reads only the first bytes for sniffing. File contents are never buffered here for the formats
 * sharp reads: sharp opens the path itself, so an image is never held twice.
 */
import { open, readFile, stat } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { InputError } from '../../common/errors.js'
import { BUFFER_SOURCE, empty, isDirectory, notFound, notRegularFile, unreadable } from './decode-errors.js'
import { SNIFF_BYTES } from './decode-sniff.js'
import type { ImageInput } from '../types.js'

/** An input that passed the file-system checks. */
export interface OpenedSource {
  /** The path as given, or `<buffer>`: the `source` of every error about this input. */
  source: string
  /** What sharp is given: the path (sharp reads the file itself) or the caller's bytes, not copied. */
  sharpInput: string | Buffer
  /** The first {@link SNIFF_BYTES} bytes, or all of them when the input is shorter. */
  head: Uint8Array
  /** Size of the encoded input, bytes. */
  sizeBytes: number
  /** The whole encoded input, for the formats decoded in JavaScript (BMP, Netpbm). */
  readAll(): Promise<Buffer>
}

/** Maps a file-system error to the input error a user can act on. */
export function fileError(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT' || code === 'ENOTDIR') return notFound(path, error)
  if (code === 'EISDIR') return isDirectory(path)
  return unreadable(path, error)
}

function describeKind(stats: Stats): string {
  if (stats.isFIFO()) return 'named pipe'
  if (stats.isSocket()) return 'socket'
  if (stats.isCharacterDevice()) return 'character device'
  if (stats.isBlockDevice()) return 'block device'
  return 'special file'
}

async function openPath(path: string): Promise<OpenedSource> {
  // stat follows symlinks, so a link to a regular file is accepted and a dangling one is "not found".
  const stats = await stat(path).catch((error: unknown) => {
    throw fileError(path, error)
  })
  if (stats.isDirectory()) throw isDirectory(path)
  // Devices and pipes are refused: /dev/zero would never end, a FIFO could block forever.
  if (!stats.isFile()) throw notRegularFile(path, describeKind(stats))
  if (stats.size === 0) throw empty(path)
  const head = Buffer.alloc(Math.min(SNIFF_BYTES, stats.size))
  try {
    const handle = await open(path, 'r')
    try {
      const { bytesRead } = await handle.read(head, 0, head.length, 0)
      if (bytesRead === 0) throw empty(path)
      return { source: path, sharpInput: path, head: head.subarray(0, bytesRead), sizeBytes: stats.size, readAll: () => readAllOf(path) }
    } finally {
      await handle.close()
    }
  } catch (error) {
    throw error instanceof InputError ? error : fileError(path, error)
  }
}

async function readAllOf(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    throw fileError(path, error)
  }
}

/**
 * Checks an {@link ImageInput} and reads its first bytes.
 * @throws InputError `INPUT_NOT_FOUND`, `INPUT_IS_DIRECTORY`, `INPUT_EMPTY`, or `INPUT_INVALID`
 *   (not a path or bytes, not a regular file, not readable).
 */
export async function openSource(input: ImageInput): Promise<OpenedSource> {
  if (typeof input === 'string') return openPath(input)
  if (!(input instanceof Uint8Array)) {
    const got = input === null ? 'null' : typeof input
    throw new InputError('INPUT_INVALID', `Expected an image file path (string) or encoded image bytes (Uint8Array/Buffer) but received ${got}.`, BUFFER_SOURCE)
  }
  if (input.byteLength === 0) throw empty(BUFFER_SOURCE)
  // A view, not a copy: the caller's bytes are the only encoded copy in memory.
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  return {
    source: BUFFER_SOURCE,
    sharpInput: bytes,
    head: bytes.subarray(0, SNIFF_BYTES),
    sizeBytes: bytes.byteLength,
    readAll: () => Promise.resolve(bytes),
  }
}
