/**
 * Accuracy against ground truth on the precision corpus (es, pt, en; invoices and receipts; clean,
 * degraded and special inputs): character error rate, mean confidence and field accuracy. The
 * memory figures of the same run show what that accuracy costs.
 */
import { readFile } from 'node:fs/promises'
import { characterErrorRate } from '../src/scenario/index.js'
import type { FieldName, OcrEngine, OcrResult } from '../src/engine/index.js'
import { defineScenario } from '../src/scenario/index.js'
import { openOcr, prepareCorpus, type PreparedDoc, ocrEnvironment, OCR_VARIANTS } from './_ocr.js'
import type { DocumentTruth } from './fixtures/index.js'

interface Page {
  doc: PreparedDoc
  truth: DocumentTruth
}

interface State {
  pages: Page[]
  engine: OcrEngine
}

const FIELDS: readonly FieldName[] = ['date', 'total', 'invoiceNumber', 'taxId', 'currency']

/** Whether the engine read `field` as the truth has it (tax ids compared without spaces). */
function fieldMatches(field: FieldName, result: OcrResult, truth: DocumentTruth): boolean {
  const got = result.fields[field]?.value
  if (got === undefined) return false
  const want = truth.fields[field]
  return field === 'taxId' ? got.replace(/\s+/g, '') === want.replace(/\s+/g, '') : got === want
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length
}

export default defineScenario({
  name: 'precision',
  description: 'CER, mean confidence and field accuracy against ground truth (precision corpus)',
  variants: OCR_VARIANTS,
  env: ocrEnvironment,
  params: { limit: { default: 0, description: 'read only the first N documents (0: all 41)', min: 0 } },
  prepare: () => prepareCorpus('precision'),
  async setup(ctx, corpus): Promise<State> {
    const docs = ctx.params.limit > 0 ? corpus.documents.slice(0, ctx.params.limit) : corpus.documents
    const pages = await Promise.all(docs.map(async (doc) => ({ doc, truth: JSON.parse(await readFile(doc.truth, 'utf8')) as DocumentTruth })))
    return { pages, engine: await openOcr(ctx) }
  },
  stages: [
    {
      name: 'recognize',
      kind: 'work',
      async run(ctx, { pages, engine }) {
        const cer: Record<'all' | 'clean' | 'degraded', number[]> = { all: [], clean: [], degraded: [] }
        const confidence: number[] = []
        const fieldHits = new Map<FieldName, number>(FIELDS.map((f) => [f, 0]))
        let read = 0
        for (const { doc, truth } of pages) {
          if (ctx.signal.aborted) break
          const outcome = await ctx.tryOp(() => engine.recognize(doc.image))
          // A page the engine could not read counts as all wrong, not as missing.
          const rate = outcome.ok ? Math.min(1, characterErrorRate(truth.text, outcome.value.text)) : 1
          cer.all.push(rate)
          cer[doc.degradations.length === 0 ? 'clean' : 'degraded'].push(rate)
          confidence.push(outcome.ok ? outcome.value.confidence : 0)
          if (outcome.ok) for (const f of FIELDS) if (fieldMatches(f, outcome.value, truth)) fieldHits.set(f, (fieldHits.get(f) ?? 0) + 1)
          read++
        }
        ctx.metric('documents', read)
        ctx.metric('cer', mean(cer.all))
        if (cer.clean.length) ctx.metric('cerClean', mean(cer.clean))
        if (cer.degraded.length) ctx.metric('cerDegraded', mean(cer.degraded))
        ctx.metric('meanConfidence', mean(confidence))
        let hits = 0
        for (const f of FIELDS) {
          const n = fieldHits.get(f) ?? 0
          hits += n
          if (read > 0) ctx.metric(`field.${f}`, n / read)
        }
        if (read > 0) ctx.metric('fieldAccuracy', hits / (read * FIELDS.length))
      },
    },
  ],
  async teardown(_ctx, { engine }) {
    await engine.close()
  },
})
