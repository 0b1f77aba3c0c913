/**
 * Dogfood: memgate's leak matcher on memgate's own OCR engine. Opted in per file with
 * `useMemgate()`, so the main suite's config stays as it is.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openEngine, type OcrEngine } from '../../../src/engine/index.js'
import { memoryLimits, useMemgate } from '../../../src/vitest/index.js'
import { renderPage } from '../../helpers/render-page.js'

useMemgate()

let engine: OcrEngine
const page = renderPage(['Invoice 2041', 'Total 318.40 EUR'], { width: 480, height: 140, fontPx: 26 })

beforeAll(async () => {
  engine = await openEngine()
}, 120_000)
afterAll(async () => {
  await engine?.close()
})

test('the engine retains < 1 MiB of JS heap + external over 50 recognitions of the same page', { ...memoryLimits({ peakRss: '1.5 GB' }), timeout: 240_000 }, async () => {
  await expect(() => engine.recognize(page)).not.toLeakMemory({ iterations: 50, warmup: 3, heap: '1 MiB' })
})
