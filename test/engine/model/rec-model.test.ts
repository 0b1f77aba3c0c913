/**
 * The top-k outputs appended to a model's graph must equal what decoding would compute from the
 * full output. Checked with real ONNX Runtime sessions: the opset-9 form on the bundled
 * recogniser, the opset-10+ form on the bundled (opset 11) detector.
 */
import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { topKFromProbs } from '../../../src/engine/pipeline/ctc.js'
import { resolveModelFiles } from '../../../src/engine/model/models.js'
import { loadOrt, type OrtModule } from '../../../src/engine/model/native.js'
import { inspectModel, SPACE_PROB, TOPK_INDICES, TOPK_VALUES, topKTail, withTopK } from '../../../src/engine/model/rec-model.js'

let ort: OrtModule
let recPath: string
let detPath: string

beforeAll(async () => {
  ort = await loadOrt()
  const files = await resolveModelFiles({}, ['det', 'rec'])
  recPath = files.rec!.path
  detPath = files.det!.path
})

/** Deterministic input in [-1, 1]. */
const input = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.731) * Math.cos(i * 0.0137))

describe('inspectModel', () => {
  it('reads the opset and output names', async () => {
    expect(inspectModel(await readFile(recPath))).toEqual({ opset: 9, outputs: ['softmax_11.tmp_0'] })
    expect(inspectModel(await readFile(detPath))).toEqual({ opset: 11, outputs: ['sigmoid_0.tmp_0'] })
  })
})

describe('recogniser with top-k outputs (opset 9 form)', () => {
  it('gives the same classes, probabilities and space probability as the full softmax', async () => {
    const bytes = withTopK(await readFile(recPath), 3, 6624)
    expect(bytes).toBeDefined()
    const [patched, plain] = await Promise.all([ort.InferenceSession.create(bytes!, { logSeverityLevel: 3 }), ort.InferenceSession.create(recPath, { logSeverityLevel: 3 })])
    expect(patched.outputNames).toEqual(['softmax_11.tmp_0', TOPK_VALUES, TOPK_INDICES, SPACE_PROB])
    const x = new ort.Tensor('float32', input(2 * 3 * 48 * 320), [2, 3, 48, 320])
    const top = await patched.run({ x }, [TOPK_VALUES, TOPK_INDICES, SPACE_PROB])
    const full = (await plain.run({ x }))['softmax_11.tmp_0']!
    const [batch, steps, classes] = full.dims as [number, number, number]
    for (let b = 0; b < batch; b++) {
      const want = topKFromProbs(full.data as Float32Array, b * steps * classes, steps, classes, 3, 6624)
      expect(Array.from(top[TOPK_INDICES]!.data as Int32Array).slice(b * steps * 3, (b + 1) * steps * 3)).toEqual(Array.from(want.indices))
      const values = (top[TOPK_VALUES]!.data as Float32Array).subarray(b * steps * 3, (b + 1) * steps * 3)
      want.values.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 6))
      const space = (top[SPACE_PROB]!.data as Float32Array).subarray(b * steps, (b + 1) * steps)
      want.space.forEach((v, i) => expect(space[i]).toBeCloseTo(v, 6))
    }
    await Promise.all([patched.release(), plain.release()])
  })

  it('leaves bytes that are not an ONNX model to be loaded as they are', () => {
    expect(withTopK(Buffer.from('definitely not protobuf \u00ff\u00ff\u00ff'), 3, 10)).toBeUndefined()
  })
})

describe('top-k outputs in the opset 10+ form', () => {
  it('match the full output of the opset-11 detector', async () => {
    const model = await readFile(detPath)
    const { outputs, opset } = inspectModel(model)
    const patchedBytes = Buffer.concat([model, topKTail(outputs[0]!, 3, 5, opset)])
    const [patched, plain] = await Promise.all([ort.InferenceSession.create(patchedBytes, { logSeverityLevel: 3 }), ort.InferenceSession.create(detPath, { logSeverityLevel: 3 })])
    const x = new ort.Tensor('float32', input(3 * 64 * 96), [1, 3, 64, 96])
    const top = await patched.run({ x }, [TOPK_VALUES, TOPK_INDICES, SPACE_PROB])
    const map = (await plain.run({ x }))[outputs[0]!]!.data as Float32Array // [1, 1, 64, 96]
    // TopK runs along the last axis (width): rows of the map play the role of time steps.
    const want = topKFromProbs(map, 0, 64, 96, 3, -1)
    expect(Array.from(top[TOPK_INDICES]!.data as Int32Array)).toEqual(Array.from(want.indices))
    // Slice takes row 5 (axis 2) of the map.
    expect(Array.from(top[SPACE_PROB]!.data as Float32Array)).toEqual(Array.from(map.subarray(5 * 96, 6 * 96)))
    await Promise.all([patched.release(), plain.release()])
  })
})
