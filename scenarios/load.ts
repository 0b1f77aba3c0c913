/** Steady load: N generated A4 invoices through `recognizeMany`, one page at a time. */
import type { OcrEngine } from '../src/engine/index.js'
import { defineScenario } from '../src/scenario/index.js'
import { openOcr, pagesOf, prepareCorpus, recognizeAll, type PreparedCorpus, ocrEnvironment, OCR_VARIANTS } from './_ocr.js'

interface State {
  corpus: PreparedCorpus
  engine: OcrEngine
}

export default defineScenario({
  name: 'load',
  description: 'N generated invoice pages through recognizeMany (steady load)',
  variants: OCR_VARIANTS,
  env: ocrEnvironment,
  params: { pages: { default: 24, description: 'pages read (cycling through the 24-page load corpus)', min: 1 } },
  prepare: () => prepareCorpus('load'),
  async setup(ctx, corpus): Promise<State> {
    return { corpus, engine: await openOcr(ctx) }
  },
  stages: [
    {
      name: 'recognize',
      kind: 'work',
      async run(ctx, { corpus, engine }) {
        await recognizeAll(ctx, engine, pagesOf(corpus, ctx.params.pages))
      },
    },
  ],
  async teardown(_ctx, { engine }) {
    await engine.close()
  },
})
