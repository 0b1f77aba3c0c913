/**
 * The real PP-OCRv4 models on small pages rendered here with @napi-rs/canvas (DejaVu fonts).
 * One engine for the whole file: opening one costs about a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemgateError } from '../../src/common/errors.js'
import { characterErrorRate } from '../../src/common/text-metrics.js'
import { openEngine, PROFILE_ENVIRONMENT, type OcrEngine } from '../../src/engine/index.js'
import type { ImageInput } from '../../src/engine/types.js'
import { renderPage } from '../helpers/render-page.js'

const INVOICE = ['Invoice No. INV-2024-0042', 'Date: 2024-03-15', 'Total due: 1,234.56 EUR', 'The quick brown fox jumps over the lazy dog.']
const PAGE = [
  'ACME Supplies Ltd, 12 Harbour Road, Bristol',
  'Order 58213 shipped on 2024-02-09 by courier',
  'Item 1: Printer paper A4, 10 reams   45.90',
  'Item 2: Toner cartridge black         89.00',
  'Subtotal 134.90   VAT 20% 26.98',
  'Amount payable within 30 days of invoice',
  'Bank transfer to account 0412 7789 3321',
  'Thank you for your business!',
]

let engine: OcrEngine
const invoicePng = renderPage(INVOICE, { width: 640, height: 220, fontPx: 24 })

beforeAll(async () => {
  engine = await openEngine({ profile: 'lean' })
})
afterAll(async () => {
  await engine?.close()
})

describe('recognize', () => {
  it('reads rendered lines of known text', async () => {
    const result = await engine.recognize(invoicePng)
    expect(result.lines.map((l) => l.text)).toHaveLength(4)
    expect(characterErrorRate(INVOICE.join('\n'), result.text)).toBeLessThanOrEqual(0.02)
    expect(result.text).toContain('Total due: 1,234.56 EUR')
    expect(result.width).toBe(640)
    expect(result.height).toBe(220)
    expect(result.confidence).toBeGreaterThan(0.9)
    expect(result.ms).toBeGreaterThan(0)
    const first = result.lines[0]!
    // The first line's box encloses where it was drawn: x from 40, y from 30, 24 px type.
    expect(first.box[0].x).toBeLessThanOrEqual(42)
    expect(first.box[0].y).toBeLessThanOrEqual(34)
    expect(first.box[2].y).toBeGreaterThanOrEqual(50)
    expect(first.box[2].y).toBeLessThan(30 + 41)
    expect(result.fields.total?.value).toBe('1234.56')
  })

  it('reads a page turned 2° with a low character error rate, line by line', async () => {
    const png = renderPage(PAGE, { width: 760, height: 400, fontPx: 20, angleDeg: 2 })
    const result = await engine.recognize(png)
    expect(result.text.split('\n')).toHaveLength(PAGE.length)
    expect(characterErrorRate(PAGE.join('\n'), result.text)).toBeLessThanOrEqual(0.03)
    // Boxes follow the slope: the right end of the first line is lower than its left end.
    const box = result.lines[0]!.box
    expect(box[1].y - box[0].y).toBeGreaterThan(0.02 * (box[1].x - box[0].x))
  })

  it('gives an empty result, not an error, for an image without text', async () => {
    const blank = renderPage([], { width: 300, height: 200, fontPx: 20 })
    const result = await engine.recognize(blank)
    expect(result).toMatchObject({ text: '', lines: [], confidence: 0, fields: {}, width: 300, height: 200 })
  })

  it('throws InputError codes for bad input', async () => {
    await expect(engine.recognize('/nonexistent/page.png')).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' })
    await expect(engine.recognize(Buffer.from('not an image at all'))).rejects.toMatchObject({ code: 'INPUT_UNSUPPORTED_FORMAT' })
  })

  it('keeps per-character evidence in recognizeDetailed', async () => {
    const result = await engine.recognizeDetailed(invoicePng)
    expect(result.details).toHaveLength(result.lines.length)
    const line = result.details[2]!
    expect(line.chars.map((c) => c.char).join('')).toBe(line.text)
    for (const c of line.chars) {
      expect(c.prob).toBeGreaterThan(0)
      expect(c.alternatives).toHaveLength(2)
      expect(c.alternatives[0]!.prob).toBeLessThanOrEqual(c.prob)
    }
  })
})

describe('recognizeMany', () => {
  it('yields in input order, pulls lazily and reports bad entries without stopping', async () => {
    const inputs: ImageInput[] = [invoicePng, '/nonexistent/a.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), invoicePng]
    let pulled = 0
    async function* source() {
      for (const input of inputs) {
        pulled++
        yield input
      }
    }
    const seen: { ok: boolean; pulledAtYield: number; code?: string; input: ImageInput }[] = []
    for await (const item of engine.recognizeMany(source())) {
      seen.push({ ok: item.ok, pulledAtYield: pulled, input: item.input, ...(item.ok ? {} : { code: item.error.code }) })
    }
    expect(seen.map((s) => s.pulledAtYield)).toEqual([1, 2, 3, 4])
    expect(seen.map((s) => s.input)).toEqual(inputs)
    expect(seen.map((s) => s.ok)).toEqual([true, false, false, true])
    expect(seen[1]!.code).toBe('INPUT_NOT_FOUND')
    expect(seen[2]!.code).toBe('INPUT_CORRUPT')
  })

  it('accepts plain iterables', async () => {
    const items = []
    for await (const item of engine.recognizeMany(['/nonexistent/b.png'])) items.push(item)
    expect(items).toHaveLength(1)
    expect(items[0]!.ok).toBe(false)
    if (!items[0]!.ok) expect(items[0]!.error).toBeInstanceOf(MemgateError)
  })
})

describe('settings', () => {
  it('reports the native settings in effect', () => {
    const s = engine.settings()
    expect(s.profile).toBe('lean')
    expect(s.onnxruntimeVersion).toBe((require('onnxruntime-node/package.json') as { version: string }).version)
    expect(s.sharpVersions.sharp).toMatch(/^\d+\.\d+\.\d+/)
    expect(s.sharpVersions.vips).toMatch(/^\d+\.\d+/)
    expect(s.sessions.det).toEqual({
      enableCpuMemArena: s.options.enableCpuMemArena,
      enableMemPattern: s.options.enableMemPattern,
      intraOpNumThreads: s.options.intraOpNumThreads,
      interOpNumThreads: s.options.interOpNumThreads,
      allowSpinning: s.options.allowSpinning,
      executionMode: s.options.executionMode,
      graphOptimizationLevel: s.options.graphOptimizationLevel,
    })
    expect(s.sessions.cls).toBeNull()
    expect(s.models.map((m) => m.role)).toEqual(['det', 'rec', 'keys'])
    for (const m of s.models) expect(m.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(s.sharpCache.memoryMaxBytes).toBe(s.options.sharpCache === false ? 0 : expect.any(Number))
    expect(s.sharpConcurrency).toBe(s.options.sharpConcurrency)
    expect(s.mallocArenaMax).toBe(process.env.MALLOC_ARENA_MAX ?? null)
    expect(s.ldPreload).toBe(process.env.LD_PRELOAD ?? null)
    for (const [k, v] of Object.entries(s.mallocEnv)) expect([k, v]).toEqual([k, process.env[k]])
    expect(s.profileEnvironment.recommended).toEqual(PROFILE_ENVIRONMENT[s.profile])
    expect(s.nodeVersion).toBe(process.version)
    if (process.platform === 'linux') expect(s.glibcVersion === null || /^\d+\.\d+/.test(s.glibcVersion)).toBe(true)
  })
})

describe('latin option', () => {
  const SPANISH = ['Factura Nº 2024-118', 'Señor José Núñez, Logroño, España', 'Año fiscal 2024, pequeño importe', 'Total a pagar: 1.234,56 €']
  const spanishPng = renderPage(SPANISH, { width: 900, height: 260, fontPx: 26 })

  it("restores ñ on a Spanish page by default, and returns the recogniser's text with 'off'", async () => {
    const restored = (await engine.recognize(spanishPng)).text
    expect(restored).toContain('Señor')
    expect(restored).toContain('España')
    const off = await openEngine({ profile: 'lean', latin: 'off' })
    try {
      const raw = (await off.recognize(spanishPng)).text
      expect(raw).not.toContain('ñ') // PP-OCRv4's dictionary has no ñ
      expect(characterErrorRate(SPANISH.join('\n'), raw)).toBeGreaterThan(characterErrorRate(SPANISH.join('\n'), restored))
    } finally {
      await off.close()
    }
  })
})

// Last: it closes the file's engine.
describe('close', () => {
  it('releases the engine; later calls throw ENGINE_CLOSED', async () => {
    const other = engine
    await other.close()
    await other.close() // idempotent
    await expect(other.recognize(invoicePng)).rejects.toMatchObject({ code: 'ENGINE_CLOSED' })
    const iterate = async () => {
      for await (const _ of other.recognizeMany([invoicePng])) void _
    }
    await expect(iterate()).rejects.toMatchObject({ code: 'ENGINE_CLOSED' })
    expect(other.settings().profile).toBe('lean')
  })
})
