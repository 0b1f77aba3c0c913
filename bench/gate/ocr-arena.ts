/**
 * The real OCR engine on a few pages, for the "memory arena switched on" variant of `bench:gate`.
 * `GATE_ORT_ARENA=1` in the worker's environment turns ONNX Runtime's CPU arena on (the arena
 * keeps freed blocks, so RSS stays at its high-water mark); otherwise the lean profile runs with
 * it off. Same scenario and parameters either way, as a code change would be. The worker has the
 * lean allocator environment (as the OCR scenarios do): without `MALLOC_MMAP_THRESHOLD_`, glibc
 * keeps freed blocks in its own heap too, and switching the arena on made no measurable
 * difference (peak RSS −6%…−9% on 640 px pages).
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { OcrEngine } from '../../src/engine/index.js'
import { defineScenario, type Stage } from '../../src/scenario/index.js'
import { ocrEnvironment, OCR_VARIANTS, prepareCorpus, profileOf } from '../../scenarios/_ocr.js'

interface State {
  engine: OcrEngine
  pages: string[]
}

type Params = { readonly pages: number; readonly widthPx: number }

/**
 * Downscales the first `pages` sample documents (in the runner's process) to widths rising up to
 * `widthPx`: tensors of different sizes are what an arena keeps blocks for.
 */
async function smallPages(pages: number, widthPx: number): Promise<string[]> {
  const corpus = await prepareCorpus('sample')
  const { default: sharp } = await import('sharp')
  const dir = join(corpus.dir, '..', 'bench-gate-pages')
  await mkdir(dir, { recursive: true })
  const out: string[] = []
  for (const [i, doc] of corpus.documents.slice(0, pages).entries()) {
    const width = Math.round((widthPx * (i + 1)) / pages)
    const file = join(dir, `${doc.id}-${width}.png`)
    await sharp(doc.image).resize({ width }).png().toFile(file)
    out.push(file)
  }
  return out
}

function cycle(index: number): Stage<Params, State> {
  return {
    name: `cycle-${index + 1}`,
    kind: 'cycle',
    async run(ctx, { engine, pages }) {
      for (const page of pages) await ctx.op(() => engine.recognize(page))
    },
  }
}

export default defineScenario({
  name: 'gate-ocr',
  description: 'A few pages through the OCR engine; GATE_ORT_ARENA=1 switches the ONNX Runtime CPU arena on',
  variants: OCR_VARIANTS,
  env: ocrEnvironment,
  params: {
    pages: { default: 3, description: 'pages per cycle', min: 1, max: 6 },
    widthPx: { default: 1240, description: 'width of the widest page after downscaling, pixels', min: 200 },
  },
  prepare: (p) => smallPages(p.pages, p.widthPx),
  async setup(ctx, pages): Promise<State> {
    const { openEngine } = await import('../../src/engine/index.js')
    const engine = await openEngine({ profile: profileOf(ctx.variant), enableCpuMemArena: process.env.GATE_ORT_ARENA === '1' })
    ctx.recordSettings({ engine: engine.settings() })
    return { engine, pages }
  },
  stages: [cycle(0), cycle(1)],
  async teardown(_ctx, { engine }) {
    await engine.close()
  },
})
