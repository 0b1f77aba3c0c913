/**
 * The decoder's error catalogue. Every message says what was wrong, names the input, gives the
 * figures, and says what to do; libvips' own text only ever appears as a detail with `cause` kept.
 */
import { InputError, type InputErrorCode } from '../../common/errors.js'
import { describeFsError } from '../../common/fs.js'
import { SUPPORTED_FORMATS_TEXT } from './decode-sniff.js'

/** The `source` of errors about an in-memory input (the contract's name for "not a file"). */
export const BUFFER_SOURCE = '<buffer>'

/** Short form of a native error's message: its first line, without libvips' trailing noise. */
export function nativeDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (message.split('\n')[0] ?? '').trim() || 'no detail'
}

function inputError(code: InputErrorCode, source: string, message: string, cause?: unknown): InputError {
  return new InputError(code, message, source, cause === undefined ? undefined : { cause })
}

/** `INPUT_NOT_FOUND`: no file at the path (or a path component is not a directory). */
export function notFound(source: string, cause?: unknown): InputError {
  return inputError('INPUT_NOT_FOUND', source, `Image file not found: ${source} (resolved against ${process.cwd()}). Check the path and that the file still exists.`, cause)
}

/** `INPUT_IS_DIRECTORY`: the path names a directory. */
export function isDirectory(source: string): InputError {
  return inputError('INPUT_IS_DIRECTORY', source, `${source} is a directory, not an image file. Pass the path of an image file inside it.`)
}

/** `INPUT_INVALID`: a device, pipe or socket; reading one could block or never end. */
export function notRegularFile(source: string, kind: string): InputError {
  return inputError('INPUT_INVALID', source, `${source} is a ${kind}, not a regular file. Copy the image to a regular file and pass that path.`)
}

/**
 * `INPUT_INVALID`: the file exists but cannot be read (permissions, a symbolic link loop, an I/O
 * error), said in words a user can act on; only a permission error asks to check permissions.
 */
export function unreadable(source: string, cause: unknown): InputError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  const known = code !== undefined && ['ELOOP', 'EACCES', 'EPERM', 'ENOTDIR', 'ENAMETOOLONG'].includes(code)
  const detail = known ? describeFsError(cause) : nativeDetail(cause)
  const hint = code === 'EACCES' || code === 'EPERM' ? " Check the file's permissions." : ''
  return inputError('INPUT_INVALID', source, `Cannot read image ${source}: ${detail}.${hint}`, cause)
}

/** `INPUT_EMPTY`: a 0-byte file or buffer. */
export function empty(source: string): InputError {
  return inputError('INPUT_EMPTY', source, `Image ${source} is empty (0 bytes). Re-export or re-download it.`)
}

/**
 * A format recognised by its signature that memgate does not read.
 * @param label With its article, e.g. `an SVG image`.
 * @param why What to do instead. @default 'convert it to PNG or JPEG first'
 */
export function unsupported(source: string, label: string, why = 'convert it to PNG or JPEG first'): InputError {
  return inputError('INPUT_UNSUPPORTED_FORMAT', source, `Image ${source} is ${label}, which memgate does not read: ${why}. Supported formats: ${SUPPORTED_FORMATS_TEXT}.`)
}

/** Bytes whose signature matches no image format at all (random data, text, an executable). */
export function unknownFormat(source: string, firstBytesHex: string, sizeBytes: number): InputError {
  return inputError(
    'INPUT_UNSUPPORTED_FORMAT',
    source,
    `Image ${source} (${sizeBytes} bytes, starting ${firstBytesHex}) matches no known image format. If it is an image, convert it to PNG or JPEG. Supported formats: ${SUPPORTED_FORMATS_TEXT}.`,
  )
}

/**
 * `INPUT_CORRUPT`: the signature matched a supported format but the content is damaged or cut off.
 * @param detail What the decoder found, e.g. libvips' first line or `pixel data cut off: ...`.
 */
export function corrupt(source: string, format: string, detail: string, cause?: unknown): InputError {
  return inputError(
    'INPUT_CORRUPT',
    source,
    `Image ${source} looks like ${format.toUpperCase()} but cannot be decoded (${detail}). The file is truncated or damaged: re-export or re-download it.`,
    cause,
  )
}

/** `INPUT_TOO_SMALL`: a side under `minSidePx` pixels (zero included). */
export function tooSmall(source: string, width: number, height: number, minSidePx: number): InputError {
  return inputError(
    'INPUT_TOO_SMALL',
    source,
    `Image ${source} is ${width}×${height} px; at least ${minSidePx} px on each side are needed to hold a line of text. Pass the original scan rather than a thumbnail.`,
  )
}

/** `INPUT_TOO_LARGE`: more than `maxInputPixels` pixels, with what decoding would have cost. */
export function tooLarge(source: string, width: number, height: number, maxInputPixels: number, cause?: unknown): InputError {
  const megapixels = (n: number) => `${(n / 1e6).toFixed(1)} MP`
  const pixels = width * height
  // 3 bytes per RGB pixel, 4 while alpha is flattened: what decoding would have allocated.
  const gib = ((pixels * 4) / 2 ** 30).toFixed(1)
  return inputError(
    'INPUT_TOO_LARGE',
    source,
    `Image ${source} is ${width}×${height} px (${megapixels(pixels)}), over the limit of ${megapixels(maxInputPixels)} (maxInputPixels = ${maxInputPixels}); ` +
      `decoding it would take up to ${gib} GiB. Downscale it (300 dpi is plenty for OCR), or raise maxInputPixels if the machine has the memory.`,
    cause,
  )
}

/** `INPUT_BAD_ASPECT`: long side over `maxAspectRatio` times the short side. */
export function badAspect(source: string, width: number, height: number, maxAspectRatio: number): InputError {
  const ratio = Math.max(width, height) / Math.min(width, height)
  return inputError(
    'INPUT_BAD_ASPECT',
    source,
    `Image ${source} is ${width}×${height} px, an aspect ratio of ${ratio.toFixed(0)}:1; no page is narrower than ${maxAspectRatio}:1. Crop it, or split a long strip into pages.`,
  )
}
