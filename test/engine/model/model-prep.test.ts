/** A model's bytes as its session gets them: folded, top-k appended, or as they are. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { prepareModel } from '../../../src/engine/model/model-prep.js'
import { resolveModelFiles } from '../../../src/engine/model/models.js'
import { inspectModel, TOPK_VALUES } from '../../../src/engine/model/rec-model.js'

describe('prepareModel', () => {
  it('folds the recogniser and appends its top-k outputs; with folding off, only appends', async () => {
    const path = (await resolveModelFiles({}, ['rec'])).rec!.path
    const original = await readFile(path)
    const folded = await prepareModel(path, { fold: true, topK: { k: 3, spaceIndex: 6624 } })
    expect(folded.folds?.hardSwish).toBeGreaterThan(0)
    expect(inspectModel(folded.bytes).outputs).toContain(TOPK_VALUES)
    const plain = await prepareModel(path, { fold: false, topK: { k: 3, spaceIndex: 6624 } })
    expect(plain.folds).toBeNull()
    expect(Buffer.from(plain.bytes.subarray(0, original.length)).equals(original)).toBe(true) // the original, then the tail
    expect(inspectModel(plain.bytes).outputs).toContain(TOPK_VALUES)
  })

  it('passes bytes it cannot parse to ONNX Runtime as they are, and says when the file is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'memgate-model-prep-'))
    const junk = join(dir, 'junk.onnx')
    await writeFile(junk, 'not a model \u00ff\u00ff')
    const prepared = await prepareModel(junk, { fold: true, topK: { k: 3, spaceIndex: 1 } })
    expect(Buffer.from(prepared.bytes).toString()).toBe('not a model \u00ff\u00ff')
    expect(prepared.folds).toBeNull()
    await expect(prepareModel(join(dir, 'gone.onnx'), { fold: true })).rejects.toMatchObject({ code: 'MODEL_MISSING', message: expect.stringContaining('gone.onnx') })
  })
})
