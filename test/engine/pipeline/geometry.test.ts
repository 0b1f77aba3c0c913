import { describe, expect, it } from 'vitest'
import { convexHull, minAreaRect, orderQuad, quadSize, rectCorners, unclipRect } from '../../../src/engine/pipeline/geometry.js'
import { readingOrder } from '../../../src/engine/pipeline/reading-order.js'
import type { Point, Quad } from '../../../src/engine/types.js'

const flat = (pts: [number, number][]) => Float64Array.from(pts.flat())

/** Grid points filling a w×h rectangle turned by `deg` around (cx, cy). */
function rotatedGrid(cx: number, cy: number, w: number, h: number, deg: number): Float64Array {
  const a = (deg * Math.PI) / 180
  const pts: [number, number][] = []
  for (let u = -w / 2; u <= w / 2; u += 1) {
    for (let v = -h / 2; v <= h / 2; v += 1) pts.push([cx + u * Math.cos(a) - v * Math.sin(a), cy + u * Math.sin(a) + v * Math.cos(a)])
  }
  return flat(pts)
}

function rotatedQuad(cx: number, cy: number, w: number, h: number, deg: number): Quad {
  return orderQuad(rectCorners({ cx, cy, width: w, height: h, angleRad: (deg * Math.PI) / 180 }))
}

describe('convexHull', () => {
  it('keeps only the corners of a filled square', () => {
    const pts: [number, number][] = []
    for (let x = 0; x <= 4; x++) for (let y = 0; y <= 4; y++) pts.push([x, y])
    const hull = convexHull(flat(pts))
    const corners = new Set<string>()
    for (let i = 0; i < hull.length; i += 2) corners.add(`${hull[i]},${hull[i + 1]}`)
    expect(corners).toEqual(new Set(['0,0', '4,0', '4,4', '0,4']))
  })
})

describe('minAreaRect', () => {
  it.each([0, 2, -3, 30, 89])('recovers a %s° rotated 40×10 rectangle', (deg) => {
    const r = minAreaRect(convexHull(rotatedGrid(100, 50, 40, 10, deg)))
    expect(r.cx).toBeCloseTo(100, 6)
    expect(r.cy).toBeCloseTo(50, 6)
    expect(Math.max(r.width, r.height)).toBeCloseTo(40, 6)
    expect(Math.min(r.width, r.height)).toBeCloseTo(10, 6)
    expect(r.width * r.height).toBeCloseTo(400, 4)
  })

  it('gives a zero-height rectangle for collinear points', () => {
    const r = minAreaRect(convexHull(flat([[0, 0], [5, 0], [10, 0]])))
    expect(r.width).toBeCloseTo(10)
    expect(r.height).toBeCloseTo(0)
  })
})

describe('orderQuad', () => {
  it('orders clockwise from top-left whatever the input order', () => {
    const pts: Point[] = [{ x: 10, y: 20 }, { x: 0, y: 0 }, { x: 0, y: 20 }, { x: 10, y: 0 }]
    expect(orderQuad(pts)).toEqual([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 20 }, { x: 0, y: 20 }])
  })
})

describe('unclipRect', () => {
  it('grows each side by area × ratio / perimeter', () => {
    const r = unclipRect({ cx: 0, cy: 0, width: 40, height: 10, angleRad: 0.1 }, 1.5)
    const d = (400 * 1.5) / 100
    expect(r.width).toBeCloseTo(40 + 2 * d)
    expect(r.height).toBeCloseTo(10 + 2 * d)
    expect(r.angleRad).toBe(0.1)
  })
})

describe('quadSize', () => {
  it('measures a rotated rectangle', () => {
    const s = quadSize(rotatedQuad(50, 50, 30, 8, 2))
    expect(s.width).toBeCloseTo(30)
    expect(s.height).toBeCloseTo(8)
  })
})

describe('readingOrder', () => {
  it('reads rows top to bottom and boxes left to right', () => {
    const quads = [rotatedQuad(300, 100, 100, 20, 0), rotatedQuad(100, 40, 100, 20, 0), rotatedQuad(100, 100, 100, 20, 0), rotatedQuad(300, 42, 100, 20, 0)]
    expect(readingOrder(quads)).toEqual({ order: [1, 3, 2, 0], row: [0, 0, 1, 1] })
  })

  it('keeps the pieces of one line together on a page turned 3°', () => {
    // Two lines 30 px apart, each cut into three pieces along a 3° slope: the right-hand pieces
    // of line 1 sit lower than the left-hand piece of line 2 would without deskewing.
    const slope = Math.tan((3 * Math.PI) / 180)
    const piece = (x: number, line: number) => rotatedQuad(x, 100 + line * 30 + x * slope, 150, 16, 3)
    const quads = [piece(900, 0), piece(100, 1), piece(500, 0), piece(100, 0), piece(900, 1), piece(500, 1)]
    expect(readingOrder(quads)).toEqual({ order: [3, 2, 0, 1, 5, 4], row: [0, 0, 0, 1, 1, 1] })
  })

  it('handles no boxes', () => {
    expect(readingOrder([])).toEqual({ order: [], row: [] })
  })
})
