/**
 * Geometry checks run on header dimensions, before any pixel is decoded, so a decompression bomb
 * (a few KB declaring 30000×30000 px) is refused without allocating its pixels.
 */
import { ConfigError } from '../../common/errors.js'
import { badAspect, tooLarge, tooSmall } from './decode-errors.js'

/** Default cap on decoded pixels (width × height): 40 MP is an A4 page at 600 dpi plus margin. */
export const DEFAULT_MAX_INPUT_PIXELS = 40_000_000

/**
 * Smallest side in pixels. PP-OCR's recogniser reads 48 px high lines; below 8 px a line of text
 * has no legible strokes, so such an input is a thumbnail, an icon or a mistake.
 */
export const MIN_INPUT_SIDE_PX = 8

/**
 * Largest long-side/short-side ratio. A4 is 1.41:1 and a long till receipt (80 mm × 2 m) 25:1, a
 * single cropped text line rarely passes 30:1; 50:1 leaves room for those and refuses 1-px strips
 * and corrupted headers whose dimensions are nonsense.
 */
export const MAX_INPUT_ASPECT_RATIO = 50

/**
 * Checks `maxInputPixels` once per call, so a bad engine option fails loudly rather than
 * disabling the bomb guard (`NaN` comparisons are always false).
 * @throws ConfigError when it is not a positive integer.
 */
export function checkMaxInputPixels(maxInputPixels: number): void {
  if (!Number.isSafeInteger(maxInputPixels) || maxInputPixels <= 0) {
    throw new ConfigError(`Expected a positive integer for maxInputPixels but received ${String(maxInputPixels)}; the default is ${DEFAULT_MAX_INPUT_PIXELS}.`)
  }
}

/**
 * Refuses dimensions no page can have, in this order: a side under {@link MIN_INPUT_SIDE_PX}
 * (`INPUT_TOO_SMALL`), more than `maxInputPixels` pixels (`INPUT_TOO_LARGE`), a ratio over
 * {@link MAX_INPUT_ASPECT_RATIO} (`INPUT_BAD_ASPECT`).
 *
 * @param width Pixels, as oriented for display.
 * @param height Pixels, as oriented for display.
 * @throws InputError with the figures and the source.
 */
export function checkGeometry(source: string, width: number, height: number, maxInputPixels: number): void {
  if (!(width >= MIN_INPUT_SIDE_PX && height >= MIN_INPUT_SIDE_PX)) throw tooSmall(source, width, height, MIN_INPUT_SIDE_PX)
  if (width * height > maxInputPixels) throw tooLarge(source, width, height, maxInputPixels)
  if (Math.max(width, height) > MAX_INPUT_ASPECT_RATIO * Math.min(width, height)) throw badAspect(source, width, height, MAX_INPUT_ASPECT_RATIO)
}
