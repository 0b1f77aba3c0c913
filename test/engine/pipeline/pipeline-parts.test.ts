import { describe, expect, it } from 'vitest'
import { boxesFromProbMap, type DbParams } from '../../../src/engine/pipeline/db-postprocess.js'
import { cropLine, cropWidthFor, rotate180, stripLayout } from '../../../src/engine/pipeline/crop.js'
import { ctcGreedyDecode, parseDictionary } from '../../../src/engine/pipeline/ctc.js'
import { detectionSize, detTileTensor, planTiles, stitchTile } from '../../../src/engine/pipeline/det-input.js'
import { pageText, type RecognizedLine } from '../../../src/engine/pipeline/pipeline.js'
import { recBatchTensor, REC_HEIGHT } from '../../../src/engine/pipeline/rec.js'
import type { Quad } from '../../../src/engine/types.js'

const DB: DbParams = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSizePx: 3, maxBoxes: 1000 }

describe('detectionSize', () => {
  it('scales the long side down to the limit and rounds to multiples of 32', () => {
    expect(detectionSize(1240, 1754, 960)).toEqual({ width: 672, height: 960 })
    expect(detectionSize(1754, 1240, 960)).toEqual({ width: 960, height: 672 })
  })
  it('never scales up, only rounds', () => {
    expect(detectionSize(700, 260, 960)).toEqual({ width: 704, height: 256 })
    expect(detectionSize(10, 10, 960)).toEqual({ width: 32, height: 32 })
  })
})

describe('planTiles', () => {
  it('is one tile when the input fits', () => {
    expect(planTiles({ width: 672, height: 960 }, 960, 96)).toEqual([{ x: 0, y: 0, width: 672, height: 960, keepX0: 0, keepX1: 672, keepY0: 0, keepY1: 960 }])
  })

  it.each([
    [672, 960, 480, 96],
    [1248, 1760, 512, 64],
    [2000, 96, 320, 96],
  ])('partitions a %i×%i input exactly with %i px tiles', (width, height, tile, overlap) => {
    const tiles = planTiles({ width, height }, tile, overlap)
    const covered = new Uint8Array(width * height)
    for (const t of tiles) {
      expect(t.width % 32 === 0 || t.width === width).toBe(true)
      expect(t.x).toBeGreaterThanOrEqual(0)
      expect(t.x + t.width).toBeLessThanOrEqual(width)
      expect(t.y + t.height).toBeLessThanOrEqual(height)
      expect(t.keepX0).toBeGreaterThanOrEqual(t.x)
      expect(t.keepX1).toBeLessThanOrEqual(t.x + t.width)
      for (let y = t.keepY0; y < t.keepY1; y++) for (let x = t.keepX0; x < t.keepX1; x++) covered[y * width + x]!++
    }
    expect(covered.every((c) => c === 1)).toBe(true)
  })

  it('uses equal tiles no larger than needed', () => {
    const tiles = planTiles({ width: 672, height: 960 }, 480, 96)
    expect(new Set(tiles.map((t) => `${t.width}x${t.height}`))).toEqual(new Set(['384x384']))
    expect(tiles).toHaveLength(6)
    expect(tiles.map((t) => t.x).filter((x, i, all) => all.indexOf(x) === i)).toEqual([0, 288])
  })

  it('stitches tile maps back into the page map', () => {
    const size = { width: 200, height: 96 }
    const page = new Float32Array(size.width * size.height)
    for (const t of planTiles(size, 96, 32)) {
      const map = new Float32Array(t.width * t.height)
      for (let y = 0; y < t.height; y++) for (let x = 0; x < t.width; x++) map[y * t.width + x] = (t.y + y) * 1000 + t.x + x
      stitchTile(page, size.width, map, t)
    }
    const expected = Float32Array.from(page, (_, i) => Math.floor(i / size.width) * 1000 + (i % size.width))
    expect(page).toEqual(expected)
  })
})

describe('detTileTensor', () => {
  it('normalises in BGR order with ImageNet statistics', () => {
    const rgb = Uint8Array.from([255, 0, 128, 0, 0, 0]) // 2×1 image
    const t = detTileTensor(rgb, 2, { x: 0, y: 0, width: 1, height: 1, keepX0: 0, keepX1: 1, keepY0: 0, keepY1: 1 })
    expect(t[0]).toBeCloseTo((128 / 255 - 0.485) / 0.229, 5) // blue
    expect(t[1]).toBeCloseTo((0 - 0.456) / 0.224, 5) // green
    expect(t[2]).toBeCloseTo((1 - 0.406) / 0.225, 5) // red
  })

  it('writes into a reused buffer of the tile\'s size, overwriting every value, and allocates for another size', () => {
    const rgb = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 37) % 256) // 4×3 image
    const tile = { x: 1, y: 1, width: 2, height: 2, keepX0: 0, keepX1: 2, keepY0: 0, keepY1: 2 }
    const fresh = detTileTensor(rgb, 4, tile)
    const stale = new Float32Array(3 * 4).fill(Number.NaN)
    const reused = detTileTensor(rgb, 4, tile, stale)
    expect(reused).toBe(stale)
    expect(reused).toEqual(fresh)
    const other = detTileTensor(rgb, 4, { ...tile, width: 1 }, stale)
    expect(other).not.toBe(stale)
    expect(other).toHaveLength(3 * 2)
  })
})

describe('boxesFromProbMap', () => {
  function mapWith(width: number, height: number, rects: [number, number, number, number, number][]) {
    const data = new Float32Array(width * height)
    for (const [x0, y0, w, h, p] of rects) for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) data[y * width + x] = p
    return { data, width, height }
  }

  it('finds one unclipped box per text region and scores it', () => {
    const boxes = boxesFromProbMap(mapWith(200, 100, [[10, 10, 81, 11, 0.9], [20, 60, 41, 9, 0.8]]), DB)
    expect(boxes).toHaveLength(2)
    const [a, b] = boxes as [(typeof boxes)[0], (typeof boxes)[0]]
    // Pixel centres span 80×10; unclip distance = 800 × 1.5 / 180.
    const d = (80 * 10 * 1.5) / 180
    expect(Math.max(a.rect.width, a.rect.height)).toBeCloseTo(80 + 2 * d, 5)
    expect(Math.min(a.rect.width, a.rect.height)).toBeCloseTo(10 + 2 * d, 5)
    expect(a.rect.cx).toBeCloseTo(50)
    expect(a.rect.cy).toBeCloseTo(15)
    expect(a.score).toBeGreaterThan(0.8)
    expect(b.rect.cy).toBeCloseTo(64)
  })

  it('drops weak regions, slivers and noise', () => {
    const boxes = boxesFromProbMap(mapWith(200, 100, [[10, 10, 80, 10, 0.45], [10, 40, 80, 2, 0.9], [150, 80, 2, 2, 0.99]]), DB)
    expect(boxes).toEqual([])
  })

  it('stops at maxBoxes regions', () => {
    const rects: [number, number, number, number, number][] = [0, 1, 2, 3].map((i) => [10, 5 + i * 20, 50, 10, 0.9])
    expect(boxesFromProbMap(mapWith(100, 100, rects), { ...DB, maxBoxes: 2 })).toHaveLength(2)
  })
})

describe('ctcGreedyDecode', () => {
  const labels = parseDictionary('a\nb\n')
  it('adds blank first and space last', () => {
    expect(labels).toEqual(['', 'a', 'b', ' '])
  })

  it('merges repeats, drops blanks and averages kept probabilities', () => {
    // steps: a a _ a b ' ' b
    const steps = [
      [0.1, 0.8, 0.05, 0.05],
      [0.1, 0.6, 0.2, 0.1],
      [0.9, 0.05, 0.05, 0],
      [0.2, 0.7, 0.1, 0],
      [0.1, 0, 0.9, 0],
      [0.2, 0, 0.1, 0.7],
      [0.1, 0.1, 0.8, 0],
    ]
    const d = ctcGreedyDecode(Float32Array.from(steps.flat()), 0, steps.length, labels)
    expect(d.text).toBe('aab b')
    expect(d.confidence).toBeCloseTo((0.8 + 0.7 + 0.9 + 0.7 + 0.8) / 5, 5)
    expect(d.chars.map((c) => c.step)).toEqual([0, 3, 4, 5, 6])
    expect(d.chars[0]!.alternatives).toEqual([{ char: '', prob: expect.closeTo(0.1, 5) }, { char: 'b', prob: expect.closeTo(0.05, 5) }])
  })

  it('reads a space from a gap whose space probability reaches the threshold', () => {
    // a _ _ b _ b : the first gap has p(space) 0.2, the second 0.01.
    const steps = [
      [0.1, 0.9, 0, 0],
      [0.75, 0.05, 0, 0.2],
      [0.9, 0.05, 0, 0.05],
      [0.1, 0, 0.9, 0],
      [0.95, 0, 0.04, 0.01],
      [0.1, 0, 0.9, 0],
    ]
    const probs = Float32Array.from(steps.flat())
    expect(ctcGreedyDecode(probs, 0, steps.length, labels).text).toBe('abb')
    const spaced = ctcGreedyDecode(probs, 0, steps.length, labels, 0, 0.03)
    expect(spaced.text).toBe('a bb')
    expect(spaced.chars[1]).toEqual({ char: ' ', prob: expect.closeTo(0.2, 5), step: 1, alternatives: [] })
    expect(spaced.confidence).toBeCloseTo(0.9, 5) // inserted spaces do not count
    expect(ctcGreedyDecode(probs, 0, steps.length, labels, 0, 0.005).text).toBe('a b b')
  })

  it('reads nothing with confidence 0 from all blanks', () => {
    expect(ctcGreedyDecode(Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0]), 0, 2, labels)).toEqual({ text: '', confidence: 0, chars: [] })
  })
})

describe('cropLine', () => {
  // A 60×40 image: grey background with a dark 30×10 bar from (10,15); left half red, right half blue.
  const W = 60
  const H = 40
  const image = { data: new Uint8Array(W * H * 3).fill(200), width: W, height: H }
  for (let y = 15; y < 25; y++) {
    for (let x = 10; x < 40; x++) image.data.set(x < 25 ? [200, 0, 0] : [0, 0, 200], (y * W + x) * 3)
  }
  const bar: Quad = [{ x: 10, y: 15 }, { x: 40, y: 15 }, { x: 40, y: 25 }, { x: 10, y: 25 }]
  const px = (crop: { data: Uint8Array; width: number }, x: number, y: number) => Array.from(crop.data.subarray((y * crop.width + x) * 3, (y * crop.width + x) * 3 + 3))

  it('rectifies a box into a strip of the target height, keeping its aspect', () => {
    const crop = cropLine(image, bar, 20)
    expect(crop.height).toBe(20)
    expect(crop.width).toBe(cropWidthFor(bar, 20))
    expect(crop.width).toBe(60)
    expect(px(crop, 5, 10)).toEqual([200, 0, 0])
    expect(px(crop, 54, 10)).toEqual([0, 0, 200])
  })

  it('frames the text with its background colour', () => {
    const grown: Quad = [{ x: 5, y: 12 }, { x: 45, y: 12 }, { x: 45, y: 28 }, { x: 5, y: 28 }]
    const layout = stripLayout(grown, 24, 0.25)
    expect(layout).toMatchObject({ height: 24, innerHeight: 16, padTop: 4, padX: 4 })
    const crop = cropLine(image, grown, 24, 0.25)
    expect(px(crop, 0, 0)).toEqual([200, 200, 200])
    expect(px(crop, crop.width - 1, 23)).toEqual([200, 200, 200])
  })

  it('turns tall boxes to read left to right, and rotate180 turns them back over', () => {
    const tall: Quad = [{ x: 10, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 40 }, { x: 10, y: 40 }]
    const crop = cropLine(image, tall, 10)
    expect(crop.width).toBe(40)
    // Counter-clockwise: the bottom of the column is now on the right.
    const before = px(crop, 0, 5)
    rotate180(crop)
    expect(px(crop, crop.width - 1, 4)).toEqual(before)
  })
})

describe('recBatchTensor', () => {
  it('pads to the batch width with zeros and normalises to [-1, 1] in BGR order', () => {
    const crop = { data: new Uint8Array(2 * REC_HEIGHT * 3).fill(255), width: 2, height: REC_HEIGHT }
    crop.data[0] = 0 // red of pixel (0,0)
    const t = recBatchTensor([crop], 4)
    const plane = REC_HEIGHT * 4
    expect(t.length).toBe(3 * plane)
    expect(t[2 * plane]).toBe(-1) // channel 2 = red
    expect(t[0]).toBe(1) // channel 0 = blue
    expect(t[2]).toBe(0) // padding
    expect(t[3]).toBe(0)
  })
})

describe('pageText', () => {
  it('joins same-row lines with spaces and rows with newlines', () => {
    const line = (text: string, row: number) => ({ text, row }) as RecognizedLine
    expect(pageText([line('Total', 0), line('12.50', 0), line('Thanks', 1)])).toBe('Total 12.50\nThanks')
  })
})
