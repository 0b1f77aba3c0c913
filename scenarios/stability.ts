/**
 * M identical cycles of the load stage in one process. Each cycle is a `cycle` stage, so its
 * after-sample (after a full GC) is one point of the drift line: a service that leaks grows from
 * cycle to cycle; one that only fluctuates does not.
 */
import type { OcrEngine } from '../src/engine/index.js'
import { defineScenario, type Stage } from '../src/scenario/index.js'
import { openOcr, pagesOf, prepareCorpus, recognizeAll, type PreparedCorpus, ocrEnvironment, OCR_VARIANTS } from './_ocr.js'

interface State {
  corpus: PreparedCorpus
  engine: OcrEngine
}

// Many short cycles rather than a few long ones: drift is a line through the cycles, and the
// engine's after-GC RSS steps by ±3% now and then (allocator and arena chunks). Over 4 points one
// step reads as 2–3% drift; over 7 it reads as the plateau it is (measured: see driftOf).
const params = {
  cycles: { default: 8, description: 'cycles (one stage each)', min: 2, max: 1000 },
  pagesPerCycle: { default: 4, description: 'pages read per cycle', min: 1 },
}

type Params = { readonly cycles: number; readonly pagesPerCycle: number }

function cycle(index: number): Stage<Params, State> {
  return {
    name: `cycle-${index + 1}`,
    kind: 'cycle',
    description: `cycle ${index + 1}: the same pages every cycle`,
    async run(ctx, { corpus, engine }) {
      await recognizeAll(ctx, engine, pagesOf(corpus, ctx.params.pagesPerCycle))
    },
  }
}

export default defineScenario({
  name: 'stability',
  description: 'M cycles of the load stage: drift between cycles and fluctuation within them',
  variants: OCR_VARIANTS,
  env: ocrEnvironment,
  params,
  prepare: () => prepareCorpus('load'),
  async setup(ctx, corpus): Promise<State> {
    return { corpus, engine: await openOcr(ctx) }
  },
  stages: (p) => Array.from({ length: p.cycles }, (_, i) => cycle(i)),
  async teardown(_ctx, { engine }) {
    await engine.close()
  },
})
