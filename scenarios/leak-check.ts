/**
 * Repeated OCR work with a baseline/target/final snapshot triple (memlab's method): a warm-up
 * cycle allocates what is allocated once (models, caches); objects allocated during `cycle-1`
 * that are still alive after `cycle-2` are leak suspects. The measuring pass gives the RSS per
 * cycle; a separate snapshot pass gives the snapshots, analysed after that worker exits.
 */
import type { OcrEngine } from '../src/engine/index.js'
import { defineScenario, type Stage } from '../src/scenario/index.js'
import { openOcr, pagesOf, prepareCorpus, recognizeAll, type PreparedCorpus, ocrEnvironment, OCR_VARIANTS } from './_ocr.js'

interface State {
  corpus: PreparedCorpus
  engine: OcrEngine
}

type Params = { readonly pages: number }

function cycle(name: string, description: string): Stage<Params, State> {
  return {
    name,
    kind: 'cycle',
    description,
    async run(ctx, { corpus, engine }) {
      await recognizeAll(ctx, engine, pagesOf(corpus, ctx.params.pages))
    },
  }
}

export default defineScenario({
  name: 'leak-check',
  description: 'Repeated recognition with baseline/target/final heap snapshots; reports leak suspects',
  variants: OCR_VARIANTS,
  env: ocrEnvironment,
  params: { pages: { default: 4, description: 'pages per cycle (the same pages every cycle)', min: 1 } },
  snapshots: 'stages',
  leakCheck: { baseline: { stage: 'warmup', at: 'after' }, target: { stage: 'cycle-1', at: 'after' }, final: { stage: 'cycle-2', at: 'after' } },
  prepare: () => prepareCorpus('load'),
  async setup(ctx, corpus): Promise<State> {
    return { corpus, engine: await openOcr(ctx) }
  },
  stages: [
    cycle('warmup', 'first pass: one-off allocations (arenas, caches) happen here'),
    cycle('cycle-1', 'the work under suspicion'),
    cycle('cycle-2', 'the same work again: what cycle-1 left and is still alive is suspect'),
  ],
  async teardown(_ctx, { engine }) {
    await engine.close()
  },
})
