/**
 * Good-image fixtures and pixel probes for the decoder tests: a marker raster whose corners reveal
 * orientation, text drawn on transparency with @napi-rs/canvas, and the EXIF orientation maths.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createCanvas, GlobalFonts } from '@napi-rs/canvas'
import type { Raster } from './encode-bmp.js'

export const RED = [255, 0, 0] as const
export const BLUE = [0, 0, 255] as const

/** White raster with a red block at the top-left and a blue block at the top-right (each a quarter of each side). */
export function markerRaster(width: number, height: number, channels: 3 | 4 = 3): Raster {
  const data = Buffer.alloc(width * height * channels, 255)
  const bw = Math.floor(width / 4)
  const bh = Math.floor(height / 4)
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      data.set(RED, (y * width + x) * channels)
      data.set(BLUE, (y * width + (width - 1 - x)) * channels)
    }
  }
  return { data, width, height, channels }
}

export interface RgbImage {
  data: Buffer
  width: number
  height: number
}

/** Mean position of the pixels close to `colour` (each channel within `tolerance`). */
export function centroid(image: RgbImage, colour: readonly number[], tolerance = 60): { x: number; y: number; count: number } {
  let sx = 0
  let sy = 0
  let count = 0
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const o = (y * image.width + x) * 3
      if (colour.every((c, i) => Math.abs(image.data[o + i]! - c) <= tolerance)) {
        sx += x
        sy += y
        count++
      }
    }
  }
  return { x: sx / count, y: sy / count, count }
}

/**
 * Where a stored pixel (x, y) of a `width`×`height` image appears once EXIF orientation
 * `orientation` is applied (TIFF/EXIF 2.32, tag 0x0112: 2 mirror, 3 rotate 180°, 4 flip, 5
 * transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° anticlockwise).
 */
export function orientPoint(x: number, y: number, width: number, height: number, orientation: number): { x: number; y: number } {
  const [r, b] = [width - 1 - x, height - 1 - y]
  const table: Record<number, [number, number]> = { 1: [x, y], 2: [r, y], 3: [r, b], 4: [x, b], 5: [y, x], 6: [b, x], 7: [b, r], 8: [y, r] }
  const [ox, oy] = table[orientation]!
  return { x: ox, y: oy }
}

/** Rec. 601 luma of the RGB pixel at (x, y). */
export function lumaAt(image: RgbImage, x: number, y: number): number {
  const o = (y * image.width + x) * 3
  return 0.299 * image.data[o]! + 0.587 * image.data[o + 1]! + 0.114 * image.data[o + 2]!
}

let fontRegistered = false
function font(): string {
  if (!fontRegistered) {
    const pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')
    GlobalFonts.registerFromPath(join(dirname(pkg), 'ttf', 'DejaVuSans-Bold.ttf'), 'DejaVu Sans Bold')
    fontRegistered = true
  }
  return 'bold 40px "DejaVu Sans Bold"'
}

export interface TextFixture {
  png: Buffer
  width: number
  height: number
  /** Where the text is: alpha ≥ 200 in the drawn image (`knockout`: where the card was cut away). */
  ink: Uint8Array
}

/**
 * "Total 42" in bold on a transparent 240×64 canvas, filled with `fill` (a left-to-right gradient
 * to `gradientTo` when given). With `card`, the text is instead cut out of an opaque card of that
 * colour (transparent letters, "knockout" text).
 */
export async function textOnTransparent(fill: string, options: { card?: boolean; gradientTo?: string } = {}): Promise<TextFixture> {
  const width = 240
  const height = 64
  const canvas = createCanvas(width, height)
  const ctx = canvas.getContext('2d')
  ctx.font = font()
  ctx.textBaseline = 'middle'
  ctx.fillStyle = fill
  if (options.gradientTo) {
    // Two-tone text: its colour channels carry contrast of their own.
    const gradient = ctx.createLinearGradient(0, 0, width, 0)
    gradient.addColorStop(0, fill)
    gradient.addColorStop(1, options.gradientTo)
    ctx.fillStyle = gradient
  }
  if (options.card) {
    ctx.fillRect(0, 0, width, height)
    ctx.globalCompositeOperation = 'destination-out'
  }
  ctx.fillText('Total 42', 12, height / 2)
  const rgba = ctx.getImageData(0, 0, width, height).data
  const ink = new Uint8Array(width * height)
  for (let i = 0; i < ink.length; i++) ink[i] = options.card ? (rgba[i * 4 + 3]! <= 55 ? 1 : 0) : rgba[i * 4 + 3]! >= 200 ? 1 : 0
  return { png: await canvas.encode('png'), width, height, ink }
}

/** Mean luma over pixels where `mask` is 1 (`which` = 1) or 0 (`which` = 0). */
export function meanLuma(image: RgbImage, mask: Uint8Array, which: 0 | 1): number {
  let sum = 0
  let n = 0
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== which) continue
    sum += lumaAt(image, i % image.width, Math.floor(i / image.width))
    n++
  }
  return sum / n
}
