/**
 * The 180° angle classifier with the real models: an upside-down page reads correctly only when
 * the classifier is on. One engine (classifier on) for the file.
 */
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { characterErrorRate } from '../../src/common/text-metrics.js'
import { openEngine, type OcrEngine } from '../../src/engine/index.js'

const require = createRequire(import.meta.url)
const { createCanvas, GlobalFonts } = require('@napi-rs/canvas') as typeof import('@napi-rs/canvas')
GlobalFonts.registerFromPath(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), 'DejaVu Sans')

const LINES = ['Payment received 2024-06-01', 'Reference ORD-77812']

function upsideDownPage(): Buffer {
  const canvas = createCanvas(520, 140)
  const g = canvas.getContext('2d')
  g.fillStyle = '#ffffff'
  g.fillRect(0, 0, 520, 140)
  g.translate(520, 140)
  g.rotate(Math.PI)
  g.fillStyle = '#141414'
  g.font = '24px "DejaVu Sans"'
  g.textBaseline = 'top'
  LINES.forEach((line, i) => g.fillText(line, 30, 25 + i * 45))
  return canvas.toBuffer('image/png')
}

let engine: OcrEngine
beforeAll(async () => {
  engine = await openEngine({ profile: 'lean', angleClassifier: true })
})
afterAll(async () => {
  await engine?.close()
})

describe('angle classifier', () => {
  it('turns upside-down lines before recognition', async () => {
    const result = await engine.recognizeDetailed(upsideDownPage())
    expect(result.details.map((d) => d.flipped)).toEqual([true, true])
    // Rows come out bottom-up on an upside-down page; each line must read right.
    expect(result.lines.map((l) => l.text).sort()).toEqual([...LINES].sort())
    expect(characterErrorRate([...LINES].reverse().join('\n'), result.text)).toBe(0)
  })

  it('records the classifier session and model', () => {
    const s = engine.settings()
    expect(s.sessions.cls).toEqual(s.sessions.det)
    expect(s.models.map((m) => m.role)).toEqual(['det', 'rec', 'cls', 'keys'])
  })
})
