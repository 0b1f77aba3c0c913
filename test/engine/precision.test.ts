/**
 * Precision on the generated corpus (issue acceptance): CER ≤ 2% on clean pages and ≤ 5% on
 * degraded ones, mean line confidence ≥ 0.85, field exact-match ≥ 95%; EXIF-rotated JPEGs and
 * text drawn only in the alpha channel read correctly. Uses the first 12 documents of the
 * `precision` corpus (every language × kind, clean and degraded) plus its five special inputs,
 * so the suite stays fast; `memgate run precision` scores all of them.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { characterErrorRate } from '../../src/common/text-metrics.js'
import { openEngine, type OcrEngine } from '../../src/engine/index.js'
import type { FieldName, OcrResult } from '../../src/engine/types.js'
import { ensureCorpus, readTruth, type CorpusManifest, type DocumentTruth } from '../../scenarios/fixtures/index.js'

const FIELDS: FieldName[] = ['date', 'total', 'invoiceNumber', 'taxId', 'currency']
const squash = (s: string) => s.replace(/\s+/g, '')

interface Read {
  id: string
  degraded: boolean
  special: boolean
  truth: DocumentTruth
  result: OcrResult
}

let engine: OcrEngine
const reads: Read[] = []

beforeAll(async () => {
  const corpus: CorpusManifest = await ensureCorpus('precision')
  const regular = corpus.documents.filter((d) => !d.id.includes('exif') && !d.id.includes('alpha-'))
  const specials = corpus.documents.filter((d) => !regular.includes(d))
  engine = await openEngine({ profile: 'lean' })
  for (const entry of [...regular.slice(0, 12), ...specials]) {
    const truth = await readTruth(corpus, entry)
    const result = await engine.recognize(join(corpus.dir, entry.image))
    reads.push({ id: entry.id, degraded: entry.degradations.length > 0 && !specials.includes(entry), special: specials.includes(entry), truth, result })
  }
}, 600_000)

afterAll(async () => {
  await engine?.close()
})

const meanCer = (rs: Read[]) => rs.reduce((s, r) => s + characterErrorRate(r.truth.text, r.result.text), 0) / rs.length

describe('precision on the generated corpus (lean profile)', () => {
  it('covers every language and kind, clean and degraded, and the special inputs', () => {
    const regular = reads.filter((r) => !r.special)
    expect(new Set(regular.map((r) => `${r.truth.lang}-${r.truth.kind}`)).size).toBe(6)
    expect(regular.filter((r) => r.degraded)).toHaveLength(6)
    expect(reads.filter((r) => r.special)).toHaveLength(5)
  })

  it('CER ≤ 2% on clean pages and ≤ 5% on degraded pages', () => {
    const clean = reads.filter((r) => !r.special && !r.degraded)
    const degraded = reads.filter((r) => r.degraded)
    expect(meanCer(clean)).toBeLessThanOrEqual(0.02)
    expect(meanCer(degraded)).toBeLessThanOrEqual(0.05)
  })

  it('mean line confidence ≥ 0.85', () => {
    const regular = reads.filter((r) => !r.special)
    const mean = regular.reduce((s, r) => s + r.result.confidence, 0) / regular.length
    expect(mean).toBeGreaterThanOrEqual(0.85)
  })

  it('extracts fields with exact-match ≥ 95%', () => {
    const regular = reads.filter((r) => !r.special)
    let matched = 0
    const misses: string[] = []
    for (const r of regular) {
      for (const f of FIELDS) {
        const want = r.truth.fields[f]
        const got = r.result.fields[f]?.value
        if (got !== undefined && squash(got) === squash(want)) matched++
        else misses.push(`${r.id} ${f}: want ${want}, got ${got ?? '(none)'}`)
      }
    }
    expect(matched / (regular.length * FIELDS.length), misses.join('\n')).toBeGreaterThanOrEqual(0.95)
  })

  it('reads EXIF-rotated JPEGs (90°, 180°, 270°) and alpha-only PNGs (black and white text) upright', () => {
    for (const r of reads.filter((x) => x.special)) {
      expect(r.result.width, r.id).toBe(r.truth.width)
      expect(r.result.height, r.id).toBe(r.truth.height)
      expect(characterErrorRate(r.truth.text, r.result.text), r.id).toBeLessThanOrEqual(0.02)
    }
  })
})
