/**
 * Plane geometry for text boxes: convex hull, minimum-area rectangle (rotating calipers), corner
 * ordering and the DB "unclip" expansion. Points are flat `Float64Array`s `[x0, y0, x1, y1, ...]`
 * so a component's outline never becomes thousands of small objects.
 */
import type { Point, Quad } from '../types.js'

/** A rotated rectangle: centre, side lengths and the direction of the `width` side, in pixels/radians. */
export interface RotatedRect {
  cx: number
  cy: number
  /** Length of the side along `angleRad`, pixels. */
  width: number
  /** Length of the perpendicular side, pixels. */
  height: number
  /** Direction of the width side, radians, in (-π/2, π/2]. */
  angleRad: number
}

function cross(ox: number, oy: number, ax: number, ay: number, bx: number, by: number): number {
  return (ax - ox) * (by - oy) - (ay - oy) * (bx - ox)
}

/**
 * Convex hull (Andrew's monotone chain), counter-clockwise in image coordinates' maths sense.
 * Collinear points are dropped. Fewer than 3 distinct points come back as they are (deduplicated).
 */
export function convexHull(points: Float64Array): Float64Array {
  const n = points.length >> 1
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((a, b) => points[2 * a]! - points[2 * b]! || points[2 * a + 1]! - points[2 * b + 1]!)
  if (n < 3) return Float64Array.from(Array.from(order).flatMap((i) => [points[2 * i]!, points[2 * i + 1]!]))
  const hull = new Uint32Array(2 * n)
  let k = 0
  const push = (i: number, floor: number) => {
    while (k >= floor) {
      const a = hull[k - 2]!
      const b = hull[k - 1]!
      if (cross(points[2 * a]!, points[2 * a + 1]!, points[2 * b]!, points[2 * b + 1]!, points[2 * i]!, points[2 * i + 1]!) > 0) break
      k--
    }
    hull[k++] = i
  }
  for (let j = 0; j < n; j++) push(order[j]!, 2)
  const lower = k + 1
  for (let j = n - 2; j >= 0; j--) push(order[j]!, lower)
  k-- // the last point repeats the first
  const out = new Float64Array(2 * k)
  for (let j = 0; j < k; j++) {
    out[2 * j] = points[2 * hull[j]!]!
    out[2 * j + 1] = points[2 * hull[j]! + 1]!
  }
  return out
}

/**
 * Minimum-area enclosing rectangle of a convex polygon: the optimal rectangle has a side on one
 * hull edge (rotating calipers), so each edge direction is tried. O(h²) for h hull points, which
 * is small (tens) for text components.
 */
export function minAreaRect(hull: Float64Array): RotatedRect {
  const n = hull.length >> 1
  if (n === 0) return { cx: 0, cy: 0, width: 0, height: 0, angleRad: 0 }
  if (n === 1) return { cx: hull[0]!, cy: hull[1]!, width: 0, height: 0, angleRad: 0 }
  let best: RotatedRect | undefined
  let bestArea = Infinity
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n
    let ux = hull[2 * j]! - hull[2 * i]!
    let uy = hull[2 * j + 1]! - hull[2 * i + 1]!
    const len = Math.hypot(ux, uy)
    if (len === 0) continue
    ux /= len
    uy /= len
    let minU = Infinity
    let maxU = -Infinity
    let minV = Infinity
    let maxV = -Infinity
    for (let p = 0; p < n; p++) {
      const x = hull[2 * p]!
      const y = hull[2 * p + 1]!
      const u = x * ux + y * uy
      const v = -x * uy + y * ux
      if (u < minU) minU = u
      if (u > maxU) maxU = u
      if (v < minV) minV = v
      if (v > maxV) maxV = v
    }
    const w = maxU - minU
    const h = maxV - minV
    const area = w * h
    // Prefer the wider-than-tall orientation on ties so degenerate (collinear) hulls still get a width.
    const tie = Math.abs(area - bestArea) <= 1e-9 * Math.max(1, bestArea)
    if (best === undefined || (tie ? w > best.width : area < bestArea)) {
      bestArea = area
      const cu = (minU + maxU) / 2
      const cv = (minV + maxV) / 2
      best = { cx: cu * ux - cv * uy, cy: cu * uy + cv * ux, width: w, height: h, angleRad: Math.atan2(uy, ux) }
    }
  }
  return normalizeRect(best ?? { cx: hull[0]!, cy: hull[1]!, width: 0, height: 0, angleRad: 0 })
}

/** Brings the angle into (-π/2, π/2] so "width" runs left to right for near-horizontal text. */
function normalizeRect(r: RotatedRect): RotatedRect {
  let a = r.angleRad
  while (a > Math.PI / 2) a -= Math.PI
  while (a <= -Math.PI / 2) a += Math.PI
  return { ...r, angleRad: a }
}

/** The four corners of a rotated rectangle, in no particular order. */
export function rectCorners(r: RotatedRect): [Point, Point, Point, Point] {
  const ux = Math.cos(r.angleRad)
  const uy = Math.sin(r.angleRad)
  const hw = r.width / 2
  const hh = r.height / 2
  const at = (su: number, sv: number): Point => ({ x: r.cx + su * hw * ux - sv * hh * uy, y: r.cy + su * hw * uy + sv * hh * ux })
  return [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)]
}

/**
 * Orders four corners clockwise from top-left (PaddleOCR's `order_points_clockwise`): the two
 * left-most points give top-left/bottom-left by y, the two right-most give top-right/bottom-right.
 */
export function orderQuad(points: readonly Point[]): Quad {
  const byX = [...points].sort((a, b) => a.x - b.x || a.y - b.y)
  const [l0, l1, r0, r1] = byX as [Point, Point, Point, Point]
  const [tl, bl] = l0.y <= l1.y ? [l0, l1] : [l1, l0]
  const [tr, br] = r0.y <= r1.y ? [r0, r1] : [r1, r0]
  return [tl, tr, br, bl]
}

/**
 * DB's unclip: the detector predicts a shrunk text kernel, so the box is offset outwards by
 * `area × ratio / perimeter`. For a rectangle, the minimum-area rectangle of the rounded offset
 * polygon (what PaddleOCR computes through pyclipper) is the rectangle grown by that distance on
 * every side, so no polygon clipping is needed.
 */
export function unclipRect(r: RotatedRect, ratio: number): RotatedRect {
  const perimeter = 2 * (r.width + r.height)
  if (perimeter === 0) return r
  const d = (r.width * r.height * ratio) / perimeter
  return { ...r, width: r.width + 2 * d, height: r.height + 2 * d }
}

/** Euclidean distance between two points, pixels. */
export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}

/** Side lengths of a clockwise quad: width (max of top/bottom) and height (max of left/right). */
export function quadSize(q: Quad): { width: number; height: number } {
  return {
    width: Math.max(distance(q[0], q[1]), distance(q[3], q[2])),
    height: Math.max(distance(q[0], q[3]), distance(q[1], q[2])),
  }
}
