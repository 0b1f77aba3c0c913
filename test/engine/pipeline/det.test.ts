/**
 * Detection with the real PP-OCRv4 det model on a page rendered here: boxes land on the drawn
 * lines, and tiling (which bounds the detector's memory) finds the same boxes as one pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeImage } from '../../../src/engine/decode/decode.js'
import { loadSharpFactory } from '../../../src/engine/decode/decode-sharp.js'
import { detectText, type DetectContext, type DetectParams } from '../../../src/engine/pipeline/det.js'
import { resolveModelFiles } from '../../../src/engine/model/models.js'
import { loadOrt } from '../../../src/engine/model/native.js'
import { renderPage } from '../../helpers/render-page.js'

const LINE_TOPS = [40, 110, 180, 250, 320, 390, 460, 530]

/** 900×620 page; each line starts at x = 50 and is drawn from its top at 22 px. */
function page(): Buffer {
  return renderPage(
    LINE_TOPS.map((_, i) => `Line ${i + 1}: delivery note 4471-${i} for order 58213 and invoice`),
    { width: 900, height: 620, fontPx: 22, x: 50, tops: LINE_TOPS, ink: '#111' },
  )
}

const PARAMS: DetectParams = { maxSidePx: 960, tileSidePx: 2048, tileOverlapPx: 96, threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSizePx: 3, maxBoxes: 1000 }
let ctx: DetectContext

beforeAll(async () => {
  const [ort, sharp, files] = await Promise.all([loadOrt(), loadSharpFactory(), resolveModelFiles({}, ['det'])])
  ctx = { ort, sharp, session: await ort.InferenceSession.create(files.det!.path, { logSeverityLevel: 3 }) }
})
afterAll(async () => {
  await ctx?.session.release()
})

describe('detectText', () => {
  it('finds one box per drawn line, enclosing it', async () => {
    const image = await decodeImage(page(), { maxInputPixels: 40_000_000 })
    const boxes = await detectText(ctx, image, PARAMS)
    expect(boxes).toHaveLength(LINE_TOPS.length)
    const byTop = [...boxes].sort((a, b) => a.quad[0].y - b.quad[0].y)
    byTop.forEach((box, i) => {
      const [tl, tr, br] = box.quad
      expect(tl.x).toBeLessThanOrEqual(56) // "L" has a 2–3 px side bearing
      expect(tr.x).toBeGreaterThan(600)
      expect(tl.y).toBeLessThanOrEqual(LINE_TOPS[i]! + 6)
      expect(br.y).toBeGreaterThanOrEqual(LINE_TOPS[i]! + 18)
      expect(br.y).toBeLessThan(LINE_TOPS[i]! + 40)
      expect(box.score).toBeGreaterThan(0.6)
    })
  })

  it('finds the same boxes in 384 px tiles as in one pass', async () => {
    const image = await decodeImage(page(), { maxInputPixels: 40_000_000 })
    const whole = await detectText(ctx, image, PARAMS)
    const tiled = await detectText(ctx, image, { ...PARAMS, tileSidePx: 384 })
    expect(tiled).toHaveLength(whole.length)
    const key = (b: (typeof whole)[number]) => b.quad[0].y
    const [a, b] = [[...whole].sort((x, y) => key(x) - key(y)), [...tiled].sort((x, y) => key(x) - key(y))]
    a.forEach((box, i) => {
      box.quad.forEach((p, k) => {
        expect(Math.abs(p.x - b[i]!.quad[k]!.x)).toBeLessThan(6)
        expect(Math.abs(p.y - b[i]!.quad[k]!.y)).toBeLessThan(6)
      })
    })
  })
})
