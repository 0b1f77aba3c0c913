/**
 * Soak with recycling: `memgate serve` with Gunicorn-style `--max-requests N --max-requests-jitter J`
 * under continuous load. What it shows: the per-worker sawtooth (grow, retire, replace) stays under
 * a bound, the tree's peak PSS does not climb from the first quarter to the last, and no request
 * fails or is lost across recycles (every request is counted: 2xx, other statuses, errors, timeouts).
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
  // A recycle costs one model load; while the last ready worker waits for its replacement it serves
  // on (~5–10 requests on a 2-core machine), so ~120 requests give the issue's ≥ 20 recycles.
  maxRequests: { default: 2, description: 'requests before a worker retires (--max-requests)', min: 1 },
  jitter: { default: 1, description: '--max-requests-jitter', min: 0 },
  requests: { default: 120, description: 'requests sent in all (amount: none is left in flight)', min: 1 },
  connections: { default: 2, description: 'concurrent HTTP connections', min: 1 },
  images: { default: 4, description: 'receipt images sent in turn', min: 1, max: 24 },
} satisfies ParamSpecs

export default defineScenario({
  name: 'service-soak',
  description: 'memgate serve with --max-requests recycling under continuous load (bounded sawtooth, no lost request)',
  params,
  prepare: (): Promise<PreparedCorpus> => prepareCorpus('receipts'),
  // The engine profile of the service is the run's variant (--profile), lean by default.
  variants: OCR_VARIANTS,
  service: serveService<ParamValues<typeof params>>({
    args: ({ params, workDir, variant }) => ['--workers', String(params.workers), '--profile', profileOf(variant), '--concurrency', '2', '--max-requests', String(params.maxRequests), '--max-requests-jitter', String(params.jitter), '--db', `${workDir}/serve.db`],
  }),
  async setup(ctx, corpus): Promise<State> {
    return { images: await Promise.all(corpus.documents.slice(0, ctx.params.images).map((d) => readFile(d.image))) }
  },
  stages: [
    {
      name: 'soak',
      kind: 'work',
      async run(ctx, { images }) {
        const requests = images.map((body) => ({ method: 'POST', path: '/ocr', headers: { 'content-type': 'image/png' }, body }))
        const r = await ctx.load({ requests, connections: ctx.params.connections, amount: ctx.params.requests, timeoutMs: 120_000 })
        // Every request sent must come back 2xx, recycles or not.
        ctx.metric('sentRequests', r.sent)
        ctx.metric('answeredRequests', r.requests)
        ctx.metric('failedRequests', r.non2xx + r.errors + r.timeouts)
        ctx.metric('lostRequests', Math.max(0, ctx.params.requests - r.requests - r.errors - r.timeouts))
      },
    },
  ],
})
