/**
 * Line rectification: map a detected quadrilateral onto an upright strip of the recogniser's
 * height with a projective warp (PaddleOCR's `get_rotate_crop_image`, fused with the resize to
 * height 48 so no full-resolution crop is ever allocated). Bilinear sampling with edge
 * replication; when the strip is smaller than the source, several samples per output pixel are
 * averaged so large type does not alias.
 */
import { distance } from './geometry.js'
import type { RgbImage } from './det.js'
import type { Point, Quad } from '../types.js'

/** An upright line image, 8-bit RGB interleaved. */
export interface LineCrop {
  data: Uint8Array
  width: number
  height: number
}

/** Source size of a quad's rectified crop and whether it stands on end (PaddleOCR: h/w ≥ 1.5). */
export function cropGeometry(quad: Quad): { widthPx: number; heightPx: number; rotate: boolean } {
  const widthPx = Math.max(distance(quad[0], quad[1]), distance(quad[3], quad[2]))
  const heightPx = Math.max(distance(quad[0], quad[3]), distance(quad[1], quad[2]))
  return { widthPx, heightPx, rotate: heightPx >= 1.5 * widthPx }
}

/** Where the rectified text sits inside a strip: text area size and the padding around it, pixels. */
export interface StripLayout {
  width: number
  height: number
  innerWidth: number
  innerHeight: number
  padX: number
  padTop: number
}

/**
 * Layout of the strip for `quad`: the text is scaled to `targetHeight / (1 + 2 × padRatio)` and
 * surrounded by `padRatio` × that height of background on every side.
 */
export function stripLayout(quad: Quad, targetHeight: number, padRatio = 0): StripLayout {
  const g = cropGeometry(quad)
  const [w, h] = g.rotate ? [g.heightPx, g.widthPx] : [g.widthPx, g.heightPx]
  const innerHeight = Math.max(1, Math.min(targetHeight, Math.round(targetHeight / (1 + 2 * padRatio))))
  const padTop = Math.floor((targetHeight - innerHeight) / 2)
  const innerWidth = Math.max(1, Math.ceil((innerHeight * w) / Math.max(h, 1)))
  return { width: innerWidth + 2 * padTop, height: targetHeight, innerWidth, innerHeight, padX: padTop, padTop }
}

/** Width of the strip for a quad, pixels (≥ 1). */
export function cropWidthFor(quad: Quad, targetHeight: number, padRatio = 0): number {
  return stripLayout(quad, targetHeight, padRatio).width
}

/** Coefficients of a projective map: x = (a·s + b·t + c) / w, y = (d·s + e·t + f) / w, w = g·s + h·t + 1. */
interface Homography {
  a: number
  b: number
  c: number
  d: number
  e: number
  f: number
  g: number
  h: number
}

/** Projective map from the unit square (s, t) to a quad p0 (0,0), p1 (1,0), p2 (1,1), p3 (0,1) — Heckbert's closed form. */
function squareToQuad(p0: Point, p1: Point, p2: Point, p3: Point): Homography {
  const dx1 = p1.x - p2.x
  const dx2 = p3.x - p2.x
  const dx3 = p0.x - p1.x + p2.x - p3.x
  const dy1 = p1.y - p2.y
  const dy2 = p3.y - p2.y
  const dy3 = p0.y - p1.y + p2.y - p3.y
  let g = 0
  let h = 0
  const den = dx1 * dy2 - dx2 * dy1
  if ((dx3 !== 0 || dy3 !== 0) && den !== 0) {
    g = (dx3 * dy2 - dx2 * dy3) / den
    h = (dx1 * dy3 - dx3 * dy1) / den
  }
  return { a: p1.x - p0.x + g * p1.x, b: p3.x - p0.x + h * p3.x, c: p0.x, d: p1.y - p0.y + g * p1.y, e: p3.y - p0.y + h * p3.y, f: p0.y, g, h }
}

/**
 * Rectifies `quad` (clockwise from top-left) of `image` into a strip `targetHeight` pixels high,
 * the text scaled down by `1 + 2 × padRatio` and framed by the line's own background colour.
 * Tall boxes are turned 90° counter-clockwise first, as PaddleOCR does for vertical crops.
 *
 * Why the frame: the PP-OCRv4 recogniser drops most word spaces when glyphs fill the strip's
 * height (PaddleOCR issues #11386, #8185), and a larger box would pull in the neighbouring lines'
 * ink on tightly set pages; a plain frame gives the scale without the neighbours.
 */
export function cropLine(image: RgbImage, quad: Quad, targetHeight: number, padRatio = 0): LineCrop {
  const g = cropGeometry(quad)
  // Rotating the strip 90° counter-clockwise is relabelling the corners.
  const [p0, p1, p2, p3] = g.rotate ? [quad[1], quad[2], quad[3], quad[0]] : quad
  const srcH = g.rotate ? g.widthPx : g.heightPx
  const layout = stripLayout(quad, targetHeight, padRatio)
  const { width, height, innerWidth, innerHeight, padX, padTop } = layout
  const { a, b, c, d, e, f, g: hg, h: hh } = squareToQuad(p0, p1, p2, p3)
  // Large type is averaged over n×n samples per output pixel so it does not alias.
  const n = Math.min(8, Math.max(1, Math.ceil(srcH / innerHeight - 0.25)))
  const inv = 1 / (n * n)
  const out = new Uint8Array(width * height * 3)
  const { data, width: iw, height: ih } = image
  const maxX = iw - 1
  const maxY = ih - 1
  for (let v = 0; v < innerHeight; v++) {
    let o = ((v + padTop) * width + padX) * 3
    for (let u = 0; u < innerWidth; u++, o += 3) {
      let r = 0
      let gr = 0
      let bl = 0
      for (let j = 0; j < n; j++) {
        const t = (v + (j + 0.5) / n) / innerHeight
        for (let i = 0; i < n; i++) {
          const s = (u + (i + 0.5) / n) / innerWidth
          const w = hg * s + hh * t + 1
          // Quads are in pixel-index coordinates (pixel centres at integers), as OpenCV's are.
          let x = (a * s + b * t + c) / w
          let y = (d * s + e * t + f) / w
          x = x < 0 ? 0 : x > maxX ? maxX : x
          y = y < 0 ? 0 : y > maxY ? maxY : y
          const x0 = x | 0
          const y0 = y | 0
          const fx = x - x0
          const fy = y - y0
          const dx = x0 < maxX ? 3 : 0
          const dy = y0 < maxY ? iw * 3 : 0
          const i00 = (y0 * iw + x0) * 3
          const i10 = i00 + dy
          const w00 = (1 - fx) * (1 - fy)
          const w01 = fx * (1 - fy)
          const w10 = (1 - fx) * fy
          const w11 = fx * fy
          r += data[i00]! * w00 + data[i00 + dx]! * w01 + data[i10]! * w10 + data[i10 + dx]! * w11
          gr += data[i00 + 1]! * w00 + data[i00 + dx + 1]! * w01 + data[i10 + 1]! * w10 + data[i10 + dx + 1]! * w11
          bl += data[i00 + 2]! * w00 + data[i00 + dx + 2]! * w01 + data[i10 + 2]! * w10 + data[i10 + dx + 2]! * w11
        }
      }
      out[o] = Math.round(r * inv)
      out[o + 1] = Math.round(gr * inv)
      out[o + 2] = Math.round(bl * inv)
    }
  }
  if (width !== innerWidth || height !== innerHeight) fillFrame(out, layout)
  return { data: out, width, height }
}

/**
 * Fills the frame around the text area with the per-channel median of the text area's border
 * pixels: a box fitted to a line touches ink only here and there, so its border is mostly ground.
 */
function fillFrame(out: Uint8Array, l: StripLayout): void {
  const hist = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as const
  let count = 0
  const add = (x: number, y: number) => {
    const o = ((y + l.padTop) * l.width + x + l.padX) * 3
    for (let c = 0; c < 3; c++) hist[c as 0 | 1 | 2][out[o + c]!]!++
    count++
  }
  for (let x = 0; x < l.innerWidth; x++) {
    add(x, 0)
    add(x, l.innerHeight - 1)
  }
  for (let y = 1; y < l.innerHeight - 1; y++) {
    add(0, y)
    add(l.innerWidth - 1, y)
  }
  const ground = hist.map((h) => {
    let seen = 0
    for (let v = 0; v < 256; v++) if ((seen += h[v]!) * 2 >= count) return v
    return 255
  })
  for (let y = 0; y < l.height; y++) {
    const inRows = y >= l.padTop && y < l.padTop + l.innerHeight
    for (let x = 0; x < l.width; x++) {
      if (inRows && x >= l.padX && x < l.padX + l.innerWidth) continue
      const o = (y * l.width + x) * 3
      out[o] = ground[0]!
      out[o + 1] = ground[1]!
      out[o + 2] = ground[2]!
    }
  }
}

/** Turns a crop upside down in place (the angle classifier's 180° fix). */
export function rotate180(crop: LineCrop): LineCrop {
  const { data } = crop
  const pixels = crop.width * crop.height
  for (let i = 0, j = pixels - 1; i < j; i++, j--) {
    for (let c = 0; c < 3; c++) {
      const a = data[i * 3 + c]!
      data[i * 3 + c] = data[j * 3 + c]!
      data[j * 3 + c] = a
    }
  }
  return crop
}
