/**
 * Alpha flattening that keeps text readable. OCR wants dark text on a light ground; a transparent
 * image can carry its text in the colour channels (black on transparent, white on transparent) or
 * only in the alpha channel (one flat colour whose shape is the alpha). Flattening onto a fixed
 * white would erase white text; onto black would erase black text. So the ground is chosen from
 * what the visible pixels look like.
 */

/** 8-bit interleaved pixels, RGB or RGBA (unassociated alpha), row-major, no row padding. */
export interface RasterImage {
  data: Buffer
  /** Pixels. */
  width: number
  /** Pixels. */
  height: number
  channels: 3 | 4
}

/** How {@link toRgb} turned RGBA into RGB. */
export type AlphaMode =
  /** No alpha channel, or every pixel opaque: the alpha was dropped. */
  | 'opaque'
  /** Composited over white: the visible pixels are a page, or dark marks. */
  | 'over-white'
  /** Composited over black, then inverted: light marks on transparency become dark on white. */
  | 'inverted-over-black'
  /** The colour is flat and the opaque pixels are the few marks: grey = 255 − alpha. */
  | 'alpha-as-ink'
  /** The colour is flat and the transparent pixels are the few marks (knocked-out text): grey = alpha. */
  | 'alpha-as-ground'

/** An alpha of at least this (of 255) counts as visible when judging what the picture is. */
const VISIBLE_ALPHA = 128
/** Below this spread (2nd to 98th percentile of visible luminance, of 255) the colour is flat. */
const MIN_CONTRAST = 32
/** Marks (text) cover less of a page than the ground does. */
const MARKS_MAX_FRACTION = 0.5

/** Rec. 601 luma in 0..255, in integers: (77 R + 150 G + 29 B) / 256. */
const luma = (r: number, g: number, b: number): number => (77 * r + 150 * g + 29 * b) >> 8

/** Pixels examined at most when judging an image; above this a regular grid of pixels is used. */
const SAMPLE_PIXELS = 1 << 20

interface VisibleStats {
  /** Share of examined pixels with alpha ≥ {@link VISIBLE_ALPHA}, 0..1. */
  visibleFraction: number
  meanLuma: number
  contrast: number
}

/** Whether any pixel is less than opaque. Exact (every pixel), stopping at the first one. */
function hasTransparency(data: Buffer, pixels: number): boolean {
  for (let o = 3, end = pixels * 4; o < end; o += 4) if (data[o] !== 255) return true
  return false
}

/**
 * Statistics of the visible pixels, on a grid of at most ~{@link SAMPLE_PIXELS} pixels: the
 * decision is about the whole picture, and a 40 MP page would otherwise cost a second full pass
 * (measured: 250 ms for 12 MP). A grid, not every n-th pixel, so no column is sampled alone.
 */
function visibleStats(data: Buffer, width: number, height: number): VisibleStats {
  const step = Math.max(1, Math.ceil(Math.sqrt((width * height) / SAMPLE_PIXELS)))
  const histogram = new Uint32Array(256)
  let examined = 0
  let visible = 0
  let lumaSum = 0
  for (let y = 0; y < height; y += step) {
    for (let o = y * width * 4, end = (y + 1) * width * 4; o < end; o += step * 4) {
      examined++
      if (data[o + 3]! < VISIBLE_ALPHA) continue
      const v = luma(data[o]!, data[o + 1]!, data[o + 2]!)
      histogram[v]!++
      lumaSum += v
      visible++
    }
  }
  return { visibleFraction: visible / examined, meanLuma: visible ? lumaSum / visible : 0, contrast: spread(histogram, visible) }
}

/** 98th minus 2nd percentile of a histogram, so a few stray pixels do not count as contrast. */
function spread(histogram: Uint32Array, total: number): number {
  if (total === 0) return 0
  const lowRank = Math.floor(total * 0.02)
  const highRank = Math.ceil(total * 0.98) - 1
  let low = -1
  let high = -1
  for (let v = 0, seen = 0; v < 256; v++) {
    seen += histogram[v]!
    if (low < 0 && seen > lowRank) low = v
    if (high < 0 && seen > highRank) high = v
  }
  return high - low
}

/**
 * Decides how to flatten an RGBA raster (see {@link AlphaMode}) from its visible pixels: with
 * contrast in the colour channels, a mostly visible picture is a page (over white) and a mostly
 * transparent one is marks, put on the ground that contrasts with them and kept dark-on-light;
 * without contrast, the alpha channel is the picture and the minority becomes the dark ink.
 */
export function chooseAlphaMode(rgba: Buffer, width: number, height: number): AlphaMode {
  if (!hasTransparency(rgba, width * height)) return 'opaque'
  const stats = visibleStats(rgba, width, height)
  const marksAreVisible = stats.visibleFraction < MARKS_MAX_FRACTION
  if (stats.contrast < MIN_CONTRAST) return marksAreVisible ? 'alpha-as-ink' : 'alpha-as-ground'
  if (!marksAreVisible || stats.meanLuma < 128) return 'over-white'
  return 'inverted-over-black'
}

/** Rounded x / 255 for 0 ≤ x ≤ 255². */
const div255 = (x: number): number => Math.round(x / 255)

/** out = table[alpha * 256 + channel]: one 64 KiB table turns every mode into the same loop. */
function blendTable(mode: AlphaMode): Uint8Array {
  const table = new Uint8Array(256 * 256)
  for (let a = 0; a < 256; a++) {
    for (let c = 0; c < 256; c++) {
      table[a * 256 + c] =
        mode === 'opaque' ? c
        : mode === 'over-white' ? 255 - div255((255 - c) * a)
        : mode === 'inverted-over-black' ? 255 - div255(c * a)
        : mode === 'alpha-as-ink' ? 255 - a
        : a
    }
  }
  return table
}

/**
 * Converts a raster to 8-bit RGB, flattening alpha per {@link chooseAlphaMode}. Works in place:
 * pixel i's RGB is written at 3i, never ahead of the 4i still to be read, so no second full-size
 * buffer is allocated; the result is a view on the front of the input's memory.
 *
 * @example toRgb({ data, width: 640, height: 480, channels: 4 }).data.length // 921600
 */
export function toRgb(raster: RasterImage): { data: Buffer; mode: AlphaMode } {
  const pixels = raster.width * raster.height
  if (raster.channels === 3) return { data: raster.data.subarray(0, pixels * 3), mode: 'opaque' }
  const data = raster.data
  const mode = chooseAlphaMode(data, raster.width, raster.height)
  const table = blendTable(mode)
  for (let o = 0, w = 0, end = pixels * 4; o < end; o += 4, w += 3) {
    const row = data[o + 3]! << 8
    data[w] = table[row + data[o]!]!
    data[w + 1] = table[row + data[o + 1]!]!
    data[w + 2] = table[row + data[o + 2]!]!
  }
  return { data: data.subarray(0, pixels * 3), mode }
}
