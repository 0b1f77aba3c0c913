/**
 * Bursts past capacity: `memgate serve` with `--concurrency 1` per worker takes 2 requests at once;
 * a burst opens 4× that many connections. Past capacity the service must answer 503 with
 * Retry-After (never queue without bound, never crash a worker), accepted requests keep a known
 * latency (p99 of the 2xx), and memory comes back down in the idle stage after the burst.
 */
import { readFile } from 'node:fs/promises'
import { defineScenario, type ParamSpecs, type ParamValues } from '../src/scenario/index.js'
import { OCR_VARIANTS, prepareCorpus, profileOf, type PreparedCorpus } from './_ocr.js'
import { serveService } from './_service.js'

interface State {
  images: Buffer[]
}

const params = {
  workers: { default: 2, description: 'service workers', min: 1, max: 16 },
  concurrency: { default: 1, description: 'OCR requests in flight per worker (--concurrency)', min: 1 },
  overload: { default: 4, description: 'burst connections as a multiple of capacity (workers x concurrency)', min: 1 },
  burstMs: { default: 5000, description: 'burst duration (ms)', min: 100 },
  idleMs: { default: 3000, description: 'quiet time after the burst (ms)', min: 0 },
  images: { default: 4, description: 'receipt images sent in turn', min: 1, max: 24 },
} satisfies ParamSpecs

export default defineScenario({
  name: 'service-stress',
  description: 'memgate serve under bursts of 4x its capacity (503s, not crashes; memory returns after)',
  params,
  prepare: (): Promise<PreparedCorpus> => prepareCorpus('receipts'),
  // The engine profile of the service is the run's variant (--profile), lean by default.
  variants: OCR_VARIANTS,
  service: serveService<ParamValues<typeof params>>({
    args: ({ params, workDir, variant }) => ['--workers', String(params.workers), '--profile', profileOf(variant), '--concurrency', String(params.concurrency), '--db', `${workDir}/serve.db`],
  }),
  async setup(ctx, corpus): Promise<State> {
    return { images: await Promise.all(corpus.documents.slice(0, ctx.params.images).map((d) => readFile(d.image))) }
  },
  stages: [
    {
      name: 'burst',
      kind: 'work',
      async run(ctx, { images }) {
        const capacity = ctx.params.workers * ctx.params.concurrency
        const requests = images.map((body) => ({ method: 'POST', path: '/ocr', headers: { 'content-type': 'image/png' }, body }))
        // 503 is the expected answer past capacity: counted, not an op error.
        const r = await ctx.load({ requests, connections: capacity * ctx.params.overload, durationMs: ctx.params.burstMs, timeoutMs: 120_000, expectStatus: [503] })
        ctx.metric('capacity', capacity)
        ctx.metric('rejected503', r.statusCounts['503'] ?? 0)
        ctx.metric('otherFailures', r.non2xx - (r.statusCounts['503'] ?? 0) + r.errors + r.timeouts)
      },
    },
    {
      name: 'after-burst',
      kind: 'idle',
      description: 'no load: the tree should fall back towards its pre-burst size',
      async run(ctx) {
        await new Promise((r) => setTimeout(r, ctx.params.idleMs))
      },
    },
  ],
})
