/**
 * Reading order: rows top to bottom, boxes left to right within a row. Boxes are first turned
 * by the page's dominant text angle (median of the boxes' top edges), so that on a page scanned
 * 2° askew the pieces of one line still share a row while the next line does not.
 */
import type { Quad } from '../types.js'

/** Where each box goes: `order[k]` is the index of the k-th box to read; `row[k]` its row number. */
export interface ReadingOrder {
  order: number[]
  row: number[]
}

interface Extent {
  index: number
  top: number
  bottom: number
  left: number
  centre: number
}

function median(values: number[]): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/**
 * Groups boxes into rows. A box joins the current row when its vertical extent (in the deskewed
 * frame) overlaps the row's by at least half of the smaller height; boxes are visited by centre.
 */
export function readingOrder(quads: readonly Quad[]): ReadingOrder {
  const angle = median(quads.map((q) => Math.atan2(q[1].y - q[0].y, q[1].x - q[0].x)))
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  const extents: Extent[] = quads.map((q, index) => {
    const xs = q.map((p) => p.x * cos + p.y * sin)
    const ys = q.map((p) => -p.x * sin + p.y * cos)
    const top = Math.min(...ys)
    const bottom = Math.max(...ys)
    return { index, top, bottom, left: Math.min(...xs), centre: (top + bottom) / 2 }
  })
  extents.sort((a, b) => a.centre - b.centre || a.left - b.left)
  const rows: { top: number; bottom: number; members: Extent[] }[] = []
  for (const e of extents) {
    const current = rows.at(-1)
    if (current) {
      const overlap = Math.min(current.bottom, e.bottom) - Math.max(current.top, e.top)
      const rowHeight = current.bottom - current.top
      if (overlap >= 0.5 * Math.min(rowHeight, e.bottom - e.top)) {
        current.members.push(e)
        // The row's band is the members' mean extent, so one tall box does not swallow the next line.
        const n = current.members.length
        current.top += (e.top - current.top) / n
        current.bottom += (e.bottom - current.bottom) / n
        continue
      }
    }
    rows.push({ top: e.top, bottom: e.bottom, members: [e] })
  }
  const order: number[] = []
  const row: number[] = []
  rows.forEach((r, i) => {
    r.members.sort((a, b) => a.left - b.left)
    for (const m of r.members) {
      order.push(m.index)
      row.push(i)
    }
  })
  return { order, row }
}
