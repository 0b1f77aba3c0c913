/**
 * Decoding through sharp (libvips) for PNG, JPEG, WebP, TIFF, GIF and AVIF: header first, pixels
 * only after the geometry checks pass. libvips converts CMYK (with the embedded profile, else its
 * built-in CMYK profile), greyscale, palette and 16-bit input to 8-bit sRGB in `toColourspace`.
 */
import { MemgateError } from '../../common/errors.js'
import { loadSharp, type SharpModule } from '../model/native.js'
import type { RasterImage } from './decode-alpha.js'
import { corrupt, nativeDetail, notFound, tooLarge } from './decode-errors.js'
import type { OpenedSource } from './decode-source.js'
import type { SupportedFormat } from './decode-sniff.js'

/**
 * The callable `sharp` factory. With sharp ≥ 0.35's ESM typings `typeof import('sharp')` is the
 * module namespace, while `loadSharp()` resolves to its default export (the function); this type
 * is right either way.
 */
export type SharpFactory = SharpModule extends { default: infer F } ? F : SharpModule

/** Loads sharp through `native.ts` (lazily, with its diagnostics), typed as the factory it returns. */
export async function loadSharpFactory(): Promise<SharpFactory> {
  return (await loadSharp()) as unknown as SharpFactory
}

/** What the header says, before any pixel is decoded. */
export interface SharpHeader {
  /** Pixels, after EXIF orientation (5–8 swap the sides). */
  width: number
  /** Pixels, after EXIF orientation. */
  height: number
  hasAlpha: boolean
}

/**
 * `'error'`, not sharp's default `'warning'`: truncated and undecodable data still fail, while the
 * harmless libjpeg warnings that phone and scanner JPEGs often carry ("extraneous bytes before
 * marker") do not turn a readable page into an error.
 */
const FAIL_ON = 'error' as const

function mapSharpError(error: unknown, source: OpenedSource, format: SupportedFormat, header?: SharpHeader, maxInputPixels?: number): Error {
  const detail = nativeDetail(error)
  if (/input file is missing/i.test(detail)) return notFound(source.source, error)
  if (header && maxInputPixels !== undefined && /exceeds pixel limit/i.test(detail)) {
    return tooLarge(source.source, header.width, header.height, maxInputPixels, error)
  }
  return corrupt(source.source, format, detail, error)
}

/**
 * Reads dimensions and alpha from the header only. The pixel limit is off here on purpose, so the
 * caller learns the real dimensions and can say how far over the limit they are; nothing is
 * decoded, so a bomb costs nothing yet.
 * @throws InputError `INPUT_CORRUPT` (unreadable header) or `INPUT_NOT_FOUND` (file vanished).
 */
export async function readSharpHeader(sharp: SharpFactory, source: OpenedSource, format: SupportedFormat): Promise<SharpHeader> {
  try {
    const meta = await sharp(source.sharpInput, { limitInputPixels: false, failOn: FAIL_ON, pages: 1 }).metadata()
    const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height }
    return { width: oriented.width ?? 0, height: oriented.height ?? 0, hasAlpha: meta.hasAlpha }
  } catch (error) {
    throw mapSharpError(error, source, format)
  }
}

/**
 * Decodes the first page/frame to 8-bit sRGB, EXIF-oriented, keeping alpha when there is one.
 * `limitInputPixels` repeats the caller's pixel cap inside libvips, a second guard should the
 * header and the decoder ever disagree.
 * @throws InputError `INPUT_CORRUPT` (truncated or damaged data) or `INPUT_TOO_LARGE`.
 */
export async function decodeWithSharp(
  sharp: SharpFactory,
  source: OpenedSource,
  format: SupportedFormat,
  header: SharpHeader,
  maxInputPixels: number,
  maxDecodedPixels = 0,
): Promise<RasterImage> {
  let out: { data: Buffer; info: { width: number; height: number; channels: number } }
  const target = decodedSize(header.width, header.height, maxDecodedPixels)
  try {
    let pipeline = sharp(source.sharpInput, { limitInputPixels: maxInputPixels, failOn: FAIL_ON, autoOrient: true, pages: 1, unlimited: false })
    // Resizing in the pipeline lets libjpeg/libwebp decode at 1/2, 1/4 or 1/8 scale and libvips
    // stream the rest in strips: the full-size raster never exists.
    if (target.width !== header.width || target.height !== header.height) pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' })
    pipeline = pipeline.toColourspace('srgb')
    out = await (header.hasAlpha ? pipeline.ensureAlpha() : pipeline.removeAlpha()).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true })
  } catch (error) {
    throw mapSharpError(error, source, format, header, maxInputPixels)
  }
  const { width, height, channels } = out.info
  const expected = header.hasAlpha ? 4 : 3
  if (width !== target.width || height !== target.height || channels !== expected || out.data.length !== width * height * channels) {
    throw new MemgateError(
      'INTERNAL',
      `sharp decoded ${source.source} (${format}) to ${width}×${height}×${channels} in ${out.data.length} bytes, but its header said ${header.width}×${header.height}×${expected}. This is a bug in memgate's decoder; please report it with the file.`,
    )
  }
  return { data: out.data, width, height, channels: expected }
}

/**
 * The size a `width`×`height` image decodes at under a pixel cap: the same aspect, scaled so
 * width × height ≤ `maxPixels` (0 = no cap), at least 1 px a side.
 * @example decodedSize(6000, 4000, 4_000_000) // { width: 2449, height: 1633 }
 */
export function decodedSize(width: number, height: number, maxPixels: number): { width: number; height: number } {
  if (maxPixels <= 0 || width * height <= maxPixels) return { width, height }
  const s = Math.sqrt(maxPixels / (width * height))
  return { width: Math.max(1, Math.floor(width * s)), height: Math.max(1, Math.floor(height * s)) }
}
