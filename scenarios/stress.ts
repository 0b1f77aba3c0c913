/**
 * Stress: K requests in flight at once, oversized pages, tall pages with many lines, and bursts
 * with pauses between them, then a quiet period to see what memory comes back. The oversized and
 * tall pages are made from the load corpus in `prepare` (the runner's process, with sharp), so the
 * worker only reads files.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { OcrEngine } from '../src/engine/index.js'
import { defineScenario, type StageContext } from '../src/scenario/index.js'
import { openOcr, pagesOf, prepareCorpus, type PreparedCorpus, ocrEnvironment, OCR_VARIANTS } from './_ocr.js'

interface Inputs {
  corpus: PreparedCorpus
  /** Pages scaled up by `scale`. */
  large: string[]
  /** Pages made of `stack` pages one under the other. */
  tall: string[]
}

interface State extends Inputs {
  engine: OcrEngine
}

const params = {
  concurrency: { default: 4, description: 'requests in flight at once', min: 1, max: 256 },
  pages: { default: 12, description: 'normal pages in the concurrent stage', min: 1 },
  largePages: { default: 2, description: 'oversized pages', min: 0 },
  scale: { default: 2, description: 'oversized pages: linear scale factor', min: 1, max: 4 },
  tallPages: { default: 2, description: 'tall many-line pages', min: 0 },
  stack: { default: 3, description: 'tall pages: pages stacked per image', min: 2, max: 8 },
  bursts: { default: 3, description: 'bursts', min: 0 },
  burstSize: { default: 8, description: 'requests fired at once per burst', min: 1 },
  burstGapMs: { default: 500, description: 'pause between bursts, ms', min: 0 },
  cooldownMs: { default: 1000, description: 'quiet period at the end, ms', min: 0 },
}

type Params = { readonly [K in keyof typeof params]: number }

/** Writes the oversized and tall pages next to the corpus once; later runs reuse them. */
async function prepareInputs(p: Params): Promise<Inputs> {
  const corpus = await prepareCorpus('load')
  const dir = `${corpus.dir}-stress`
  await mkdir(dir, { recursive: true })
  const { default: sharp } = await import('sharp')
  const large: string[] = []
  const tall: string[] = []
  for (let i = 0; i < p.largePages; i++) {
    const doc = corpus.documents[i % corpus.documents.length]!
    const file = join(dir, `large-x${p.scale}-${doc.id}.png`)
    if (!existsSync(file)) await sharp(doc.image).resize(Math.round(doc.width * p.scale)).png().toFile(file)
    large.push(file)
  }
  for (let i = 0; i < p.tallPages; i++) {
    const docs = Array.from({ length: p.stack }, (_, k) => corpus.documents[(i * p.stack + k) % corpus.documents.length]!)
    const file = join(dir, `tall-${p.stack}-${docs[0]!.id}.png`)
    if (!existsSync(file)) {
      const width = Math.max(...docs.map((d) => d.width))
      const height = docs.reduce((h, d) => h + d.height, 0)
      let top = 0
      const layers = docs.map((d) => ({ input: d.image, left: 0, top: (top += d.height) - d.height }))
      await sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(layers).png().toFile(file)
    }
    tall.push(file)
  }
  return { corpus, large, tall }
}

/** Reads `pages` with `concurrency` requests in flight; failures are counted, not thrown. */
async function readConcurrently(ctx: StageContext<Params>, engine: OcrEngine, pages: readonly string[]): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < pages.length && !ctx.signal.aborted) {
      const page = pages[next++]!
      await ctx.tryOp(() => engine.recognize(page))
    }
  }
  const inFlight = Math.min(ctx.params.concurrency, pages.length)
  await Promise.all(Array.from({ length: inFlight }, worker))
  ctx.metric('pages', pages.length)
  ctx.metric('concurrency', inFlight)
}

export default defineScenario({
  name: 'stress',
  description: 'K concurrent requests, oversized and many-line pages, bursts, then a quiet period',
  variants: OCR_VARIANTS,
  env: ocrEnvironment,
  params,
  prepare: prepareInputs,
  async setup(ctx, inputs): Promise<State> {
    return { ...inputs, engine: await openOcr(ctx) }
  },
  stages: [
    {
      name: 'concurrent',
      kind: 'work',
      description: 'normal pages, K in flight',
      run: (ctx, s) => readConcurrently(ctx, s.engine, pagesOf(s.corpus, ctx.params.pages)),
    },
    { name: 'large', kind: 'work', description: 'oversized pages, K in flight', run: (ctx, s) => readConcurrently(ctx, s.engine, s.large) },
    { name: 'many-lines', kind: 'work', description: 'tall pages with many lines, K in flight', run: (ctx, s) => readConcurrently(ctx, s.engine, s.tall) },
    {
      name: 'bursts',
      kind: 'work',
      description: 'burstSize requests at once, then a pause',
      async run(ctx, s) {
        ctx.metric('bursts', ctx.params.bursts)
        ctx.metric('burstSize', ctx.params.burstSize)
        for (let b = 0; b < ctx.params.bursts && !ctx.signal.aborted; b++) {
          const pages = pagesOf(s.corpus, ctx.params.burstSize, b * ctx.params.burstSize)
          await Promise.all(pages.map((page) => ctx.tryOp(() => s.engine.recognize(page))))
          await new Promise((resolve) => setTimeout(resolve, ctx.params.burstGapMs))
        }
      },
    },
    {
      name: 'cooldown',
      kind: 'idle',
      description: 'no work: what memory is given back',
      run: (ctx) => new Promise((resolve) => setTimeout(resolve, ctx.params.cooldownMs)),
    },
  ],
  async teardown(_ctx, { engine }) {
    await engine.close()
  },
})
