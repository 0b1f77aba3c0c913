/**
 * The amount payable on generated receipts (issue 16, item 1): every totals layout of
 * `scenarios/fixtures/totals.ts` (tax-exclusive and tax-inclusive totals, rounding, tendered and
 * change, item counts, totals printed twice) in es, pt and en, most of them phone photos of
 * thermal prints. The first 18 receipts of the `receipts` corpus (each layout × language once);
 * `tsx bench/engine-receipts.ts` scores all 36. Goal on real receipts: total and date ≥ 90%.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine, type OcrEngine } from '../../src/engine/index.js'
import type { OcrResult } from '../../src/engine/types.js'
import { ensureCorpus, readTruth, RECEIPT_TOTALS, type DocumentTruth } from '../../scenarios/fixtures/index.js'

interface Read {
  id: string
  truth: DocumentTruth
  result: OcrResult
}

let engine: OcrEngine
const reads: Read[] = []

beforeAll(async () => {
  const corpus = await ensureCorpus('receipts')
  engine = await openEngine({ profile: 'lean' })
  for (const entry of corpus.documents.slice(0, 18)) {
    reads.push({ id: entry.id, truth: await readTruth(corpus, entry), result: await engine.recognize(join(corpus.dir, entry.image)) })
  }
}, 600_000)

afterAll(async () => {
  await engine?.close()
})

const rate = (field: 'total' | 'date') => {
  const misses = reads.filter((r) => r.result.fields[field]?.value !== r.truth.fields[field])
  return { rate: 1 - misses.length / reads.length, misses: misses.map((r) => `${r.id}: want ${r.truth.fields[field]}, got ${r.result.fields[field]?.value ?? '(none)'}`).join('\n') }
}

describe('receipts: the amount payable (lean profile)', () => {
  it('covers every totals layout in every language, mostly photographed thermal prints', () => {
    expect(new Set(reads.map((r) => r.id.replace(/^receipts-\d+-/, ''))).size).toBe(RECEIPT_TOTALS.length * 3)
    expect(reads.filter((r) => r.truth.degradations.some((d) => d === 'photo')).length).toBeGreaterThanOrEqual(reads.length / 2)
  })

  it('the truth total is the amount to pay: after tax and rounding, never cash, change or a count', () => {
    for (const { truth } of reads) {
      const a = truth.amounts
      expect(truth.fields.total).toBe(a.total)
      if (a.cash !== undefined) expect(a.cash).not.toBe(a.total)
      if (a.rounding !== undefined) expect(Number(a.rounding)).not.toBe(0)
      if (a.itemCount !== undefined) expect(truth.text).toMatch(new RegExp(`\\b${a.itemCount}\\b`))
    }
  })

  it('reads the total on ≥ 90% of receipts', () => {
    const { rate: r, misses } = rate('total')
    expect(r, misses).toBeGreaterThanOrEqual(0.9)
  })

  it('reads the date on ≥ 90% of receipts', () => {
    const { rate: r, misses } = rate('date')
    expect(r, misses).toBeGreaterThanOrEqual(0.9)
  })
})
