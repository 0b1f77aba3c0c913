/**
 * The engine's front door for images: any supported file or buffer in, 8-bit RGB out, oriented
 * and flattened, or a typed {@link InputError} that says what was wrong and what to do.
 *
 * Order of work, cheapest first, so bad input costs little and a bomb costs nothing:
 * 1. file-system checks and the first 4 KiB (`decode-source.ts`);
 * 2. the format from magic bytes (`decode-sniff.ts`); unknown → `INPUT_UNSUPPORTED_FORMAT`;
 * 3. header dimensions only, then the geometry checks (`decode-limits.ts`);
 * 4. pixels (sharp, or the BMP/Netpbm decoders here); damaged data → `INPUT_CORRUPT`;
 * 5. alpha flattened so text stays dark on light (`decode-alpha.ts`).
 *
 * Error codes are consistent on one rule: bytes whose signature matches no supported format are
 * `INPUT_UNSUPPORTED_FORMAT` (random bytes included); bytes that start like a supported format but
 * do not decode (truncated PNG/JPEG, a cut-off signature) are `INPUT_CORRUPT`.
 */
import { toRgb } from './decode-alpha.js'
import { decodeBmp, readBmpHeader } from './decode-bmp.js'
import { corrupt, unknownFormat, unsupported } from './decode-errors.js'
import { checkGeometry, checkMaxInputPixels } from './decode-limits.js'
import { decodePnm, readPnmHeader } from './decode-pnm.js'
import { decodeWithSharp, loadSharpFactory, readSharpHeader } from './decode-sharp.js'
import { hexPreview, pngHeaderDimensions, SHARP_FORMATS, sniffFormat, type SupportedFormat } from './decode-sniff.js'
import { openSource, type OpenedSource } from './decode-source.js'
import type { RasterImage } from './decode-alpha.js'
import type { ImageInput } from '../types.js'

export { DEFAULT_MAX_INPUT_PIXELS, MAX_INPUT_ASPECT_RATIO, MIN_INPUT_SIDE_PX } from './decode-limits.js'
export { SUPPORTED_FORMATS_TEXT, type SupportedFormat } from './decode-sniff.js'
export { BUFFER_SOURCE } from './decode-errors.js'

/** Limits applied to every decode, from the header, before pixels are allocated. */
export interface DecodeLimits {
  /**
   * Largest width × height accepted, pixels. Larger inputs fail with `INPUT_TOO_LARGE` without
   * being decoded; decoding costs about 4 bytes per pixel at peak (160 MB at the default).
   * @default 40_000_000
   */
  maxInputPixels: number
  /**
   * Images with more pixels are scaled down while decoding (shrink-on-load where the format has
   * it) to at most this many; 0 or absent decodes at full size. Formats decoded here rather than
   * by sharp (BMP, PNM) are always full size.
   */
  maxDecodedPixels?: number
}

/** A decoded image: what the detector and recogniser read. */
export interface DecodedImage {
  /** 8-bit RGB, interleaved, row-major, no padding: `width * height * 3` bytes. */
  data: Buffer
  /** Pixels, after EXIF orientation. */
  width: number
  /** Pixels, after EXIF orientation. */
  height: number
  channels: 3
  /** Decoded pixels per input pixel: 1 at full size, less when `maxDecodedPixels` scaled it down. */
  scale: number
  /** The input's own size, after EXIF orientation (equal to width × height when `scale` is 1). */
  sourceWidth: number
  sourceHeight: number
  /** The format found by its signature: `png`, `jpeg`, `webp`, `tiff`, `gif`, `avif`, `bmp`, `pbm`, `pgm`, `ppm` or `pam`. */
  format: string
}

async function decodeSharpFormat(source: OpenedSource, format: SupportedFormat, maxInputPixels: number, maxDecodedPixels: number): Promise<RasterImage & { sourceWidth: number; sourceHeight: number }> {
  const declared = format === 'png' ? pngHeaderDimensions(source.head) : undefined
  if (declared) checkGeometry(source.source, declared.width, declared.height, maxInputPixels)
  const sharp = await loadSharpFactory()
  const header = await readSharpHeader(sharp, source, format)
  checkGeometry(source.source, header.width, header.height, maxInputPixels)
  return { ...(await decodeWithSharp(sharp, source, format, header, maxInputPixels, maxDecodedPixels)), sourceWidth: header.width, sourceHeight: header.height }
}

async function decodeHere(source: OpenedSource, format: SupportedFormat, maxInputPixels: number): Promise<RasterImage> {
  // BMP and Netpbm have no sharp loader; their encoded bytes are read whole (needed to decode).
  const bytes = await source.readAll()
  if (format === 'bmp') {
    const header = readBmpHeader(bytes, source.source)
    checkGeometry(source.source, header.width, header.height, maxInputPixels)
    return decodeBmp(bytes, header, source.source)
  }
  const pnm = format === 'pbm' || format === 'pgm' || format === 'ppm' || format === 'pam' ? format : undefined
  if (!pnm) throw unsupported(source.source, `a ${format} image`) // unreachable: SHARP_FORMATS covers the rest
  const header = readPnmHeader(bytes, pnm, source.source)
  checkGeometry(source.source, header.width, header.height, maxInputPixels)
  return decodePnm(bytes, header, source.source)
}

/**
 * Decodes an image file or buffer to 8-bit sRGB: EXIF orientation applied (1–8); greyscale,
 * palette, 16-bit and CMYK converted; alpha flattened so that dark-on-transparent and
 * light-on-transparent text both come out dark on a light ground; first page/frame only.
 *
 * A file path is read by sharp directly, never buffered here (BMP and Netpbm excepted, which are
 * decoded in JavaScript). Only one decoded copy of the pixels exists at any time.
 *
 * @param input A file path, or the encoded bytes of an image file (not copied).
 * @param limits Checked against header dimensions before any pixel is decoded.
 * @returns RGB pixels and their size.
 * @throws InputError (`source` = the path, or `<buffer>`), with code `INPUT_NOT_FOUND`,
 *   `INPUT_IS_DIRECTORY`, `INPUT_EMPTY`, `INPUT_INVALID` (not a regular file, unreadable),
 *   `INPUT_UNSUPPORTED_FORMAT` (signature of an unsupported format, or of none), `INPUT_CORRUPT`
 *   (a supported signature but undecodable data), `INPUT_TOO_SMALL` (a side under 8 px),
 *   `INPUT_TOO_LARGE` (over `maxInputPixels`) or `INPUT_BAD_ASPECT` (over 50:1).
 * @throws ConfigError when `limits.maxInputPixels` is not a positive integer.
 * @throws ModelError `NATIVE_LOAD_FAILED` when sharp cannot be loaded.
 *
 * @example
 * const image = await decodeImage('receipt.jpg', { maxInputPixels: 40_000_000 })
 * image.data.length === image.width * image.height * 3 // true
 */
export async function decodeImage(input: ImageInput, limits: DecodeLimits): Promise<DecodedImage> {
  checkMaxInputPixels(limits.maxInputPixels)
  const source = await openSource(input)
  const sniffed = sniffFormat(source.head)
  switch (sniffed.kind) {
    case 'unknown':
      throw unknownFormat(source.source, hexPreview(source.head), source.sizeBytes)
    case 'unsupported':
      throw unsupported(source.source, sniffed.label, sniffed.why)
    case 'truncated':
      throw corrupt(source.source, sniffed.format, `only ${source.sizeBytes} bytes, less than its signature`)
    case 'supported':
      break
  }
  const format = sniffed.format
  const raster: RasterImage & { sourceWidth?: number; sourceHeight?: number } = SHARP_FORMATS.has(format)
    ? await decodeSharpFormat(source, format, limits.maxInputPixels, limits.maxDecodedPixels ?? 0)
    : await decodeHere(source, format, limits.maxInputPixels)
  const sourceWidth = raster.sourceWidth ?? raster.width
  const sourceHeight = raster.sourceHeight ?? raster.height
  const scale = raster.width === sourceWidth ? 1 : raster.width / sourceWidth
  return { data: toRgb(raster).data, width: raster.width, height: raster.height, channels: 3, format, scale, sourceWidth, sourceHeight }
}
