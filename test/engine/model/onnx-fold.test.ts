/**
 * The folds must leave a model's outputs as they were (up to float rounding) and change nothing
 * that does not match exactly. Checked with real ONNX Runtime sessions: on small graphs built
 * here, one per pattern and its near misses, and on the bundled PP-OCRv4 models.
 */
import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { resolveModelFiles } from '../../../src/engine/model/models.js'
import { loadOrt, type OrtModule } from '../../../src/engine/model/native.js'
import { foldModel } from '../../../src/engine/model/onnx-fold.js'
import { bytesField, concat, floatField, intField, stringField } from '../../../src/engine/model/onnx-proto.js'

let ort: OrtModule
beforeAll(async () => {
  ort = await loadOrt()
})

// --- a tiny ONNX writer for test graphs (opset 9, float tensors) ---------------------------

const C = 4 // channels
const H = 6
const W = 7

function tensor(dims: number[], values: number[]): Uint8Array {
  const f = new Float32Array(values)
  return concat([...dims.map((d) => intField(1, d)), intField(2, 1), bytesField(9, new Uint8Array(f.buffer))])
}
function attrFloat(name: string, v: number): Uint8Array {
  return bytesField(5, concat([stringField(1, name), floatField(2, v), intField(20, 1)]))
}
function attrInts(name: string, v: number[]): Uint8Array {
  return bytesField(5, concat([stringField(1, name), ...v.map((x) => intField(8, x)), intField(20, 7)]))
}
function node(op: string, inputs: string[], outputs: string[], attrs: Uint8Array[] = []): Uint8Array {
  return bytesField(1, concat([...inputs.map((s) => stringField(1, s)), ...outputs.map((s) => stringField(2, s)), stringField(4, op), ...attrs]))
}
function constant(name: string, dims: number[], values: number[]): Uint8Array {
  return node('Constant', [], [name], [bytesField(5, concat([stringField(1, 'value'), bytesField(5, tensor(dims, values)), intField(20, 4)]))])
}
function valueInfo(field: number, name: string, dims: number[]): Uint8Array {
  const shape = concat(dims.map((d) => bytesField(1, intField(1, d))))
  return bytesField(field, concat([stringField(1, name), bytesField(2, bytesField(1, concat([intField(1, 1), bytesField(2, shape)])))]))
}
function model(nodes: Uint8Array[], outputs: string[]): Uint8Array {
  const graph = concat([...nodes, stringField(2, 'g'), valueInfo(11, 'x', [1, C, H, W]), ...outputs.map((o) => valueInfo(12, o, [1, C, H, W]))])
  return concat([intField(1, 4), bytesField(8, concat([stringField(1, ''), intField(2, 9)])), bytesField(7, graph)])
}

/** Deterministic pseudo-random values in [-1, 1). */
const noise = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 12.9898 * seed) % 1)

/** Conv(3×3, pad 1) → Mul(s, ·) → Add(·, b) → hard-swish → Mul(s₂, ·) → Add(·, b₂) → Conv(1×1): the PPLCNetV3 block. */
function block(options: { extraConsumer?: string; clipMax?: number; padded1x1?: boolean } = {}): Uint8Array {
  const nodes = [
    constant('w1', [C, C, 3, 3], noise(C * C * 9, 1)),
    constant('b1', [C], noise(C, 2)),
    constant('s', [1], [0.7]),
    constant('t', [1], [-0.2]),
    constant('three', [1], [3]),
    constant('six', [1], [6]),
    constant('s2', [1], [1.3]),
    constant('t2', [1], [0.4]),
    constant('w2', [C, C, 1, 1], noise(C * C, 3)),
    constant('b2', [C], noise(C, 4)),
    node('Conv', ['x', 'w1', 'b1'], ['c1'], [attrInts('pads', [1, 1, 1, 1]), attrInts('kernel_shape', [3, 3])]),
    node('Mul', ['s', 'c1'], ['m1']),
    node('Add', ['m1', 't'], ['a1']),
    node('Add', ['a1', 'three'], ['a3']),
    node('Clip', ['a3'], ['k'], [attrFloat('min', 0), attrFloat('max', options.clipMax ?? 6)]),
    node('Mul', ['a1', 'k'], ['mk']),
    node('Div', ['mk', 'six'], ['h']),
    node('Mul', ['s2', 'h'], ['m2']),
    node('Add', ['m2', 't2'], ['a2']),
    node('Conv', ['a2', 'w2', 'b2'], ['y'], options.padded1x1 ? [attrInts('pads', [1, 1, 1, 1])] : []),
  ]
  return model(nodes, options.extraConsumer ? ['y', options.extraConsumer] : ['y'])
}

async function run(bytes: Uint8Array, outputs: string[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3, graphOptimizationLevel: 'disabled' })
  const x = new ort.Tensor('float32', Float32Array.from(noise(C * H * W, 5), (v) => v * 4), [1, C, H, W])
  const out = await session.run({ x })
  await session.release()
  return outputs.map((o) => out[o]!.data as Float32Array)
}

function expectClose(a: Float32Array, b: Float32Array, tolerance: number): void {
  expect(a.length).toBe(b.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
  expect(worst).toBeLessThan(tolerance)
}

describe('foldModel on small graphs', () => {
  it('folds the affine into the convolution, hard-swish into HardSigmoid, and the input affine into the 1×1 convolution, keeping the output', async () => {
    const original = block()
    const folded = foldModel(original)
    expect(folded?.report).toEqual({ convAffine: 1, hardSwish: 1, pointwiseInputAffine: 1 })
    const [want] = await run(original, ['y'])
    const [got] = await run(folded!.bytes, ['y'])
    expect(Math.max(...want!.map(Math.abs))).toBeGreaterThan(0.5) // the graph computes something
    expectClose(got!, want!, 1e-5)
  })

  it('leaves an intermediate another node or output reads, and keeps that output right', async () => {
    // The convolution's own output is also a graph output: the affine may not disappear into it.
    const original = block({ extraConsumer: 'c1' })
    const folded = foldModel(original)
    expect(folded?.report).toEqual({ convAffine: 0, hardSwish: 1, pointwiseInputAffine: 1 })
    const want = await run(original, ['y', 'c1'])
    const got = await run(folded!.bytes, ['y', 'c1'])
    expectClose(got[0]!, want[0]!, 1e-5)
    expectClose(got[1]!, want[1]!, 1e-5)
  })

  it('does not take clip(x + 3, 0, 5) for hard-swish, nor fold into a padded 1×1 convolution', async () => {
    const original = block({ clipMax: 5, padded1x1: true })
    const folded = foldModel(original)
    expect(folded?.report).toEqual({ convAffine: 1, hardSwish: 0, pointwiseInputAffine: 0 })
    const [want] = await run(original, ['y'])
    const [got] = await run(folded!.bytes, ['y'])
    expectClose(got!, want!, 1e-5)
  })

  it('returns null when nothing matches or the bytes are not a model', () => {
    const plain = model([constant('w', [C, C, 1, 1], noise(C * C, 1)), node('Conv', ['x', 'w'], ['y'])], ['y'])
    expect(foldModel(plain)).toBeNull()
    expect(() => foldModel(Buffer.from('not a model at all'))).toThrow()
  })
})

describe('foldModel on the bundled PP-OCRv4 models', () => {
  it.each([
    ['rec', [1, 3, 48, 256]],
    ['det', [1, 3, 256, 288]],
  ] as const)('%s: folds every block and gives the same output', async (role, dims) => {
    const files = await resolveModelFiles({}, [role])
    const original = await readFile(files[role]!.path)
    const folded = foldModel(original)
    expect(folded!.report.convAffine).toBeGreaterThanOrEqual(20)
    expect(folded!.report.hardSwish).toBeGreaterThanOrEqual(20)
    expect(folded!.report.pointwiseInputAffine).toBeGreaterThanOrEqual(10)
    // Stripes of "ink" so the detector's map and the recogniser's classes are not flat.
    const n = dims.reduce((a: number, b: number) => a * b, 1)
    const x = new ort.Tensor('float32', Float32Array.from({ length: n }, (_, i) => (Math.floor(i / 5) % 7 < 2 ? -1.8 : 2)), [...dims])
    const outputs = await Promise.all(
      [original, folded!.bytes].map(async (bytes) => {
        const s = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 })
        const out = (await s.run({ x }))[s.outputNames[0]!]!.data as Float32Array
        await s.release()
        return out
      }),
    )
    expectClose(outputs[1]!, outputs[0]!, 1e-4)
  })
})
