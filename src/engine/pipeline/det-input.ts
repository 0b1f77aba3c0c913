/**
 * Detection input geometry and normalisation, as PaddleOCR's `DetResizeForTest` (limit type
 * `max`) and `NormalizeImage` do it, plus tiling: the detector's working memory grows faster than
 * its input (measured: 448×640 peaks ~60 MB over the loaded model, 672×960 ~220 MB, 1248×1760
 * ~480 MB), so large inputs are cut into overlapping tiles whose probability maps are stitched.
 */

/** Size of the detector input for a source image. */
export interface DetSize {
  width: number
  height: number
}

/**
 * PaddleOCR's resize rule: scale the long side down to `maxSidePx` (never up), then round each
 * side to a multiple of 32 (the network's stride), at least 32.
 */
export function detectionSize(srcWidth: number, srcHeight: number, maxSidePx: number): DetSize {
  const longSide = Math.max(srcWidth, srcHeight)
  const ratio = longSide > maxSidePx ? maxSidePx / longSide : 1
  const round32 = (n: number) => Math.max(32, Math.round((n * ratio) / 32) * 32)
  return { width: round32(srcWidth), height: round32(srcHeight) }
}

/** One tile of the detector input and the part of it that is kept when stitching. */
export interface Tile {
  /** Tile origin and size in detector-input pixels; sizes are multiples of 32. */
  x: number
  y: number
  width: number
  height: number
  /** Half-open range of detector-input columns/rows this tile contributes to the stitched map. */
  keepX0: number
  keepX1: number
  keepY0: number
  keepY1: number
}

/**
 * Splits one axis of `length` into the fewest windows of at most `tile` that overlap by at least
 * `overlap`, all the same size (a multiple of 32, as small as that allows), spread evenly: equal
 * windows waste the least work on overlap (672 px with 480 px tiles is two 384 px windows, not two
 * 480 px windows overlapping by 288 px).
 */
function axisWindows(length: number, tile: number, overlap: number): { start: number; keep0: number; keep1: number; size: number }[] {
  if (length <= tile) return [{ start: 0, size: length, keep0: 0, keep1: length }]
  const count = Math.ceil((length - overlap) / (tile - overlap))
  const size = Math.min(tile, Math.ceil((length + (count - 1) * overlap) / count / 32) * 32)
  const starts: number[] = []
  for (let i = 0; i < count; i++) starts.push(Math.round((i * (length - size)) / (count - 1)))
  return starts.map((start, i) => {
    // Cut in the middle of each overlap, so every kept pixel has half the overlap of context.
    const prev = starts[i - 1]
    const next = starts[i + 1]
    const keep0 = prev === undefined ? 0 : Math.round((prev + size + start) / 2)
    const keep1 = next === undefined ? length : Math.round((start + size + next) / 2)
    return { start, size, keep0, keep1 }
  })
}

/**
 * Tiles covering a detector input of `size`. `tileSidePx` and `overlapPx` are multiples of 32;
 * an input that fits in one tile gives exactly one tile, the whole input.
 */
export function planTiles(size: DetSize, tileSidePx: number, overlapPx: number): Tile[] {
  const cols = axisWindows(size.width, tileSidePx, overlapPx)
  const rows = axisWindows(size.height, tileSidePx, overlapPx)
  const tiles: Tile[] = []
  for (const r of rows) {
    for (const c of cols) {
      tiles.push({ x: c.start, y: r.start, width: c.size, height: r.size, keepX0: c.keep0, keepX1: c.keep1, keepY0: r.keep0, keepY1: r.keep1 })
    }
  }
  return tiles
}

// ImageNet statistics in BGR order: PaddleOCR reads images with OpenCV (BGR) and normalises the
// channels in that order, so the network expects channel 0 = blue.
const MEAN_BGR = [0.485, 0.456, 0.406] as const
const STD_BGR = [0.229, 0.224, 0.225] as const

/**
 * Writes one tile of an RGB interleaved image into an NCHW Float32 tensor buffer (batch 1),
 * channels in BGR order, `(v / 255 - mean) / std`: into `reuse` when it has the tile's size (every
 * value is written), else into a new buffer.
 */
export function detTileTensor(rgb: Uint8Array, imageWidth: number, tile: Tile, reuse?: Float32Array): Float32Array {
  const plane = tile.width * tile.height
  const out = reuse?.length === 3 * plane ? reuse : new Float32Array(3 * plane)
  for (let c = 0; c < 3; c++) {
    const srcChannel = 2 - c // BGR from RGB
    const scale = 1 / (255 * STD_BGR[c as 0 | 1 | 2])
    const offset = MEAN_BGR[c as 0 | 1 | 2] / STD_BGR[c as 0 | 1 | 2]
    const base = c * plane
    for (let y = 0; y < tile.height; y++) {
      let s = ((tile.y + y) * imageWidth + tile.x) * 3 + srcChannel
      let d = base + y * tile.width
      for (let x = 0; x < tile.width; x++, s += 3) out[d++] = rgb[s]! * scale - offset
    }
  }
  return out
}

/** Copies a tile's kept region of its probability map into the page map. */
export function stitchTile(page: Float32Array, pageWidth: number, tileMap: Float32Array, tile: Tile): void {
  for (let y = tile.keepY0; y < tile.keepY1; y++) {
    const from = (y - tile.y) * tile.width + (tile.keepX0 - tile.x)
    page.set(tileMap.subarray(from, from + (tile.keepX1 - tile.keepX0)), y * pageWidth + tile.keepX0)
  }
}
