/**
 * Steady HTTP load on `memgate serve` with 2 lean workers: corpus invoices POSTed to /ocr over a
 * few connections. The runner samples the service's whole tree (primary + workers): the figure
 * that counts is the tree's PSS, shared pages (models mapped by every worker, the Node binary)
 * counted once, against one worker's RSS.
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
  connections: { default: 2, description: 'concurrent HTTP connections', min: 1 },
  durationMs: { default: 8000, description: 'load duration (ms)', min: 100 },
  images: { default: 4, description: 'corpus pages sent in turn', min: 1, max: 24 },
  threads: { default: 0, description: 'ONNX Runtime threads per worker (0: cores / workers)', min: 0 },
} satisfies ParamSpecs

export default defineScenario({
  name: 'service-load',
  description: 'memgate serve, 2 lean workers, under steady POST /ocr load (tree PSS vs worker RSS)',
  params,
  prepare: (): Promise<PreparedCorpus> => prepareCorpus('load'),
  // The engine profile of the service is the run's variant (--profile), lean by default.
  variants: OCR_VARIANTS,
  service: serveService<ParamValues<typeof params>>({
    args: ({ params, workDir, variant }) => ['--workers', String(params.workers), '--profile', profileOf(variant), '--concurrency', '2', '--db', `${workDir}/serve.db`, ...(params.threads > 0 ? ['--threads', String(params.threads)] : [])],
  }),
  async setup(ctx, corpus): Promise<State> {
    return { images: await Promise.all(corpus.documents.slice(0, ctx.params.images).map((d) => readFile(d.image))) }
  },
  stages: [
    {
      name: 'warmup',
      kind: 'work',
      description: 'one request per worker, so first-request costs stay out of the steady stage',
      async run(ctx, { images }) {
        await ctx.load({ path: '/ocr', headers: { 'content-type': 'image/png' }, body: images[0], connections: ctx.params.workers, amount: ctx.params.workers, timeoutMs: 60_000 })
      },
    },
    {
      name: 'steady',
      kind: 'work',
      async run(ctx, { images }) {
        const requests = images.map((body) => ({ method: 'POST', path: '/ocr', headers: { 'content-type': 'image/png' }, body }))
        await ctx.load({ requests, connections: ctx.params.connections, durationMs: ctx.params.durationMs, timeoutMs: 60_000 })
      },
    },
  ],
})
