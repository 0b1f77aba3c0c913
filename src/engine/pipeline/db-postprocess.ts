/**
 * DB (Differentiable Binarization) post-processing, as PaddleOCR's `DBPostProcess` does it:
 * binarise the probability map, take each connected text region, fit a minimum-area rectangle,
 * score it by the mean probability inside (`score_mode: fast`), drop weak or tiny boxes, and
 * grow the survivors by the unclip distance. Works on typed arrays only.
 */
import { convexHull, minAreaRect, rectCorners, type RotatedRect, unclipRect } from './geometry.js'

/** Thresholds of DB post-processing (PaddleOCR's names in brackets). */
export interface DbParams {
  /** Probability above which a pixel is text (`thresh`). */
  threshold: number
  /** Minimum mean probability inside a box (`box_thresh`). */
  boxThreshold: number
  /** Growth of the shrunk kernel back to the text extent (`unclip_ratio`). */
  unclipRatio: number
  /** Minimum short side of a box before unclip, map pixels (`min_size`); after unclip it is `min + 2`. */
  minSizePx: number
  /** At most this many regions are considered, in scan order (`max_candidates`). */
  maxBoxes: number
}

/** A probability map, row-major, values 0..1. */
export interface ProbMap {
  data: Float32Array
  width: number
  height: number
}

/** A detected text region in probability-map pixels. */
export interface MapBox {
  rect: RotatedRect
  /** Mean probability inside the pre-unclip rectangle, 0..1. */
  score: number
}

/**
 * Finds text boxes in a probability map. Regions are 8-connected components of `p > threshold`
 * (OpenCV's outer contours enclose exactly these); their outline is the per-row left-most and
 * right-most pixel centres, which has the same convex hull as the whole region.
 */
export function boxesFromProbMap(map: ProbMap, params: DbParams): MapBox[] {
  const { data, width, height } = map
  const bitmap = new Uint8Array(width * height)
  for (let i = 0; i < bitmap.length; i++) bitmap[i] = data[i]! > params.threshold ? 1 : 0
  const stack = new Int32Array(width * height)
  // Per-row extremes of the current component; rows are reset lazily via the touched list.
  const rowMin = new Int32Array(height).fill(width)
  const rowMax = new Int32Array(height).fill(-1)
  const boxes: MapBox[] = []
  let candidates = 0
  for (let start = 0; start < bitmap.length && candidates < params.maxBoxes; start++) {
    if (bitmap[start] !== 1) continue
    candidates++
    let top = height
    let bottom = -1
    let sp = 0
    stack[sp++] = start
    bitmap[start] = 2
    while (sp > 0) {
      const i = stack[--sp]!
      const y = (i / width) | 0
      const x = i - y * width
      if (x < rowMin[y]!) rowMin[y] = x
      if (x > rowMax[y]!) rowMax[y] = x
      if (y < top) top = y
      if (y > bottom) bottom = y
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy
        if (ny < 0 || ny >= height) continue
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx
          if (nx < 0 || nx >= width) continue
          const j = ny * width + nx
          if (bitmap[j] === 1) {
            bitmap[j] = 2
            stack[sp++] = j
          }
        }
      }
    }
    const outline = new Float64Array(4 * (bottom - top + 1))
    let k = 0
    for (let y = top; y <= bottom; y++) {
      if (rowMax[y]! >= 0) {
        outline[k++] = rowMin[y]!
        outline[k++] = y
        if (rowMax[y] !== rowMin[y]) {
          outline[k++] = rowMax[y]!
          outline[k++] = y
        }
      }
      rowMin[y] = width
      rowMax[y] = -1
    }
    const rect = minAreaRect(convexHull(outline.subarray(0, k)))
    if (Math.min(rect.width, rect.height) < params.minSizePx) continue
    const score = meanInside(map, rect)
    if (score < params.boxThreshold) continue
    const grown = unclipRect(rect, params.unclipRatio)
    if (Math.min(grown.width, grown.height) < params.minSizePx + 2) continue
    boxes.push({ rect: grown, score })
  }
  return boxes
}

/**
 * Mean probability over the pixels whose centres fall inside the rectangle (half a pixel of
 * slack, like a filled polygon's boundary pixels), scanning only its bounding box.
 */
export function meanInside(map: ProbMap, rect: RotatedRect): number {
  const corners = rectCorners(rect)
  const xs = corners.map((c) => c.x)
  const ys = corners.map((c) => c.y)
  const x0 = Math.max(0, Math.floor(Math.min(...xs)))
  const x1 = Math.min(map.width - 1, Math.ceil(Math.max(...xs)))
  const y0 = Math.max(0, Math.floor(Math.min(...ys)))
  const y1 = Math.min(map.height - 1, Math.ceil(Math.max(...ys)))
  const ux = Math.cos(rect.angleRad)
  const uy = Math.sin(rect.angleRad)
  const hw = rect.width / 2 + 0.5
  const hh = rect.height / 2 + 0.5
  let sum = 0
  let count = 0
  for (let y = y0; y <= y1; y++) {
    const dy = y - rect.cy
    for (let x = x0; x <= x1; x++) {
      const dx = x - rect.cx
      if (Math.abs(dx * ux + dy * uy) <= hw && Math.abs(-dx * uy + dy * ux) <= hh) {
        sum += map.data[y * map.width + x]!
        count++
      }
    }
  }
  return count === 0 ? 0 : sum / count
}
