/**
 * The memory distribution of the OCR service at start: a bare Node process (`base`), then with
 * the runtimes loaded (`runtime`: the engine's JS, onnxruntime-node, sharp), then with the models
 * in ONNX Runtime sessions (`models`), then after the first page (`first-page`). Each stage's
 * after-minus-before RSS is one layer; teardown shows what `close()` gives back.
 */
import type { OcrEngine } from '../src/engine/index.js'
import { defineScenario } from '../src/scenario/index.js'
import { openOcr, prepareCorpus, type PreparedCorpus, ocrEnvironment, OCR_VARIANTS } from './_ocr.js'

interface State {
  corpus: PreparedCorpus
  engine: OcrEngine | null
  /** Held so the loaded modules stay referenced for the whole run. */
  modules: unknown[]
}

export default defineScenario({
  name: 'startup',
  description: 'Memory layers at start: bare Node → runtimes loaded → models loaded → first page',
  variants: OCR_VARIANTS,
  env: ocrEnvironment,
  prepare: () => prepareCorpus('sample'),
  setup: (_ctx, corpus): State => ({ corpus, engine: null, modules: [] }),
  stages: [
    { name: 'base', kind: 'startup', description: 'Node and the harness only', run: () => undefined },
    {
      name: 'runtime',
      kind: 'startup',
      description: "the engine's modules, onnxruntime-node and sharp, no model",
      async run(ctx, state) {
        state.modules.push(await ctx.op(() => import('../src/engine/index.js')), await ctx.op(() => import('onnxruntime-node')), await ctx.op(() => import('sharp')))
      },
    },
    {
      name: 'models',
      kind: 'startup',
      description: 'detection and recognition models in ONNX Runtime sessions',
      async run(ctx, state) {
        state.engine = await ctx.op(() => openOcr(ctx))
      },
    },
    {
      name: 'first-page',
      kind: 'work',
      description: 'the first recognition (arenas and buffers are sized here)',
      async run(ctx, state) {
        const page = state.corpus.documents[0]
        if (!state.engine || !page) throw new Error('startup: no engine or no sample page')
        const engine = state.engine
        const result = await ctx.op(() => engine.recognize(page.image))
        ctx.metric('lines', result.lines.length)
        ctx.metric('confidence', result.confidence)
      },
    },
  ],
  async teardown(_ctx, state) {
    await state.engine?.close()
  },
})
