/**
 * Exact algebraic folds of PaddleOCR's exported graphs, done once in memory when a session opens
 * (the file on disk is never touched).
 *
 * Why: PP-OCRv4's PPLCNetV3 backbone follows every convolution with seven element-wise nodes: a
 * learnable affine block `s₁·y + b₁`, hard-swish spelled `x · clip(x + 3, 0, 6) / 6`, and a
 * learnable activation `s₂·h + b₂`. paddle2onnx writes the scalars first (`Mul(s, y)`) and as
 * shape-[1] tensors, so ONNX Runtime's Conv–Mul/Conv–Add fusions never match; its profiler puts
 * the element-wise nodes at ~40% of detection and recognition time (memory-bound passes over
 * whole activation maps, each one also a layout reorder).
 *
 * The folds, each exact in real arithmetic (float rounding differs by ~1e-6 relative):
 * 1. `Conv(x, W, B) → Mul(·, s) → Add(·, b)` with scalar s, b: `Conv(x, s·W, s·B + b)`;
 * 2. `Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(·, 6)`: `Mul(x, HardSigmoid(x; 1/6, 0.5))`;
 * 3. `Mul(h, s) → Add(·, b) → Conv(·, W, B)` with scalar s, b and a 1×1 unpadded kernel:
 *    `Conv(h, s·W, B + b·ΣW)`. (Not for padded kernels: the padding would be zeros of h, not of
 *    `s·h + b`.)
 * Anything that does not match exactly (other consumers of an intermediate, non-constant or
 * non-scalar operands, other attributes) is left as it is.
 */
import { type FloatTensor, ONNX_FLOAT, type OnnxNode, parseFloatTensor, readGraph, tensorOf } from './onnx-graph.js'
import { bytesField, concat, fieldChunks, fieldFloats, fieldInts, fieldText, floatField, intField, readFields, stringField } from './onnx-proto.js'

/** How many of each fold a model received. */
export interface FoldReport {
  convAffine: number
  hardSwish: number
  pointwiseInputAffine: number
}

/** A node of the graph being folded; a fold marks the nodes it absorbed as removed. */
interface Node extends OnnxNode {
  removed: boolean
}

function encodeNode(n: Node): Uint8Array {
  return concat([...n.inputs.map((s) => stringField(1, s)), ...n.outputs.map((s) => stringField(2, s)), ...n.rest])
}

/** A new initialiser (TensorProto) as uncopied chunks. */
function tensorChunks(name: string, t: FloatTensor): Uint8Array[] {
  return [...t.dims.map((d) => intField(1, d)), intField(2, ONNX_FLOAT), stringField(8, name), ...fieldChunks(9, [t.bytes])]
}

/** An attribute's float (`f`) or ints (`ints`, `i`) value. */
function attrFloat(payload: Uint8Array | undefined): number | undefined {
  if (!payload) return undefined
  for (const f of readFields(payload)) if (f.field === 2 && f.wire === 5) return fieldFloats(payload, f)[0]
  return undefined
}
function attrInts(payload: Uint8Array | undefined): number[] | undefined {
  if (!payload) return undefined
  const out: number[] = []
  for (const f of readFields(payload)) if (f.field === 8 || f.field === 3) out.push(...fieldInts(payload, f))
  return out
}
function attrString(payload: Uint8Array | undefined): string | undefined {
  if (!payload) return undefined
  for (const f of readFields(payload)) if (f.field === 4) return fieldText(payload, f)
  return undefined
}

function floatAttribute(name: string, value: number): Uint8Array {
  return bytesField(5, concat([stringField(1, name), floatField(2, value), intField(20, 1)]))
}

/** The graph being folded: nodes in order, constants by name, and the new initialisers. */
class Graph {
  /** TensorProto bytes of every constant (Constant nodes, initialisers), parsed on first use. */
  readonly constBytes = new Map<string, Uint8Array>()
  private readonly parsed = new Map<string, FloatTensor | null>()
  readonly added = new Map<string, FloatTensor>()
  private uses = new Map<string, number>()
  private fresh = 0

  constructor(
    readonly nodes: Node[],
    private readonly graphOutputs: Set<string>,
  ) {}

  /** Recounts who reads each tensor (after a fold removed or rewired nodes). */
  index(): void {
    this.uses = new Map()
    for (const n of this.nodes) {
      if (n.removed) continue
      for (const s of n.inputs) if (s !== '') this.uses.set(s, (this.uses.get(s) ?? 0) + 1)
    }
  }

  /** The one node reading `tensor`, when nothing else (no other node, no graph output) does. */
  soleConsumer(tensor: string): { node: Node; at: number } | null {
    if (this.graphOutputs.has(tensor) || this.uses.get(tensor) !== 1) return null
    const at = this.nodes.findIndex((n) => !n.removed && n.inputs.includes(tensor))
    return at >= 0 ? { node: this.nodes[at]!, at } : null
  }

  /** A constant float tensor by name, or undefined. */
  constant(name: string): FloatTensor | undefined {
    if (!this.parsed.has(name)) {
      const bytes = this.constBytes.get(name)
      this.parsed.set(name, bytes ? parseFloatTensor(bytes) : null)
    }
    return this.parsed.get(name) ?? undefined
  }

  /** A one-element constant's value, or undefined (large tensors are not parsed for this). */
  scalar(name: string): number | undefined {
    const bytes = this.constBytes.get(name)
    if (!bytes || bytes.length > 64) return undefined
    const t = this.constant(name)
    return t && t.length === 1 ? t.at(0) : undefined
  }

  addTensor(base: string, dims: number[], values: Float32Array): string {
    const name = `${base}.memgate_fold_${this.fresh++}`
    const t = tensorOf(dims, values)
    this.added.set(name, t)
    this.parsed.set(name, t)
    return name
  }
}

/** A binary node's operands as [the non-constant input, the scalar], either order; null otherwise. */
function withScalar(g: Graph, n: Node, op: string): [string, number] | null {
  if (n.op !== op || n.domain !== '' || n.inputs.length !== 2) return null
  const [a, b] = n.inputs as [string, string]
  const sa = g.scalar(a)
  const sb = g.scalar(b)
  if (sb !== undefined && sa === undefined) return [a, sb]
  if (sa !== undefined && sb === undefined) return [b, sa]
  return null
}

const isConv = (n: Node) => n.op === 'Conv' && n.domain === '' && !n.removed

/** Fold 1: a scalar affine after a convolution goes into its weights and bias. */
function foldConvAffine(g: Graph): number {
  let count = 0
  for (const conv of g.nodes) {
    if (!isConv(conv) || conv.outputs.length !== 1) continue
    const w = g.constant(conv.inputs[1] ?? '')
    const bias = conv.inputs[2] ? g.constant(conv.inputs[2]) : undefined
    if (!w || (conv.inputs[2] && !bias)) continue
    let scale = 1
    let shift = 0
    let out = conv.outputs[0]!
    const eaten: Node[] = []
    g.index()
    let next = g.soleConsumer(out)
    const mul = next && withScalar(g, next.node, 'Mul')
    if (next && mul && mul[0] === out) {
      scale = mul[1]
      eaten.push(next.node)
      out = next.node.outputs[0]!
      next = g.soleConsumer(out)
    }
    const add = next && withScalar(g, next.node, 'Add')
    if (next && add && add[0] === out) {
      shift = add[1]
      eaten.push(next.node)
      out = next.node.outputs[0]!
    }
    if (eaten.length === 0) continue
    const m = w.dims[0]!
    const nw = new Float32Array(w.length)
    for (let i = 0; i < w.length; i++) nw[i] = w.at(i) * scale
    const nb = new Float32Array(m)
    for (let o = 0; o < m; o++) nb[o] = (bias ? bias.at(o) : 0) * scale + shift
    conv.inputs = [conv.inputs[0]!, g.addTensor(conv.inputs[1]!, w.dims, nw), g.addTensor(conv.inputs[1]!, [m], nb)]
    conv.outputs = [out]
    for (const e of eaten) e.removed = true
    count++
  }
  return count
}

/** Fold 2: hard-swish spelled with Add/Clip/Mul/Div becomes HardSigmoid and one Mul. */
function foldHardSwish(g: Graph, opset: number): number {
  let count = 0
  for (const add of g.nodes) {
    if (add.removed) continue
    const a = withScalar(g, add, 'Add')
    if (!a || a[1] !== 3) continue
    const x = a[0]
    g.index()
    const clip = g.soleConsumer(add.outputs[0]!)
    if (!clip || clip.node.op !== 'Clip' || clip.node.domain !== '') continue
    const [lo, hi] =
      opset >= 11
        ? [g.scalar(clip.node.inputs[1] ?? ''), g.scalar(clip.node.inputs[2] ?? '')]
        : [attrFloat(clip.node.attrs.get('min')), attrFloat(clip.node.attrs.get('max'))]
    if (lo !== 0 || hi !== 6) continue
    const mul = g.soleConsumer(clip.node.outputs[0]!)
    if (!mul || mul.node.op !== 'Mul' || mul.node.domain !== '' || mul.node.inputs.length !== 2) continue
    const [m0, m1] = mul.node.inputs as [string, string]
    if (!((m0 === x && m1 === clip.node.outputs[0]) || (m1 === x && m0 === clip.node.outputs[0]))) continue
    const div = g.soleConsumer(mul.node.outputs[0]!)
    const d = div && withScalar(g, div.node, 'Div')
    if (!div || !d || d[0] !== mul.node.outputs[0] || d[1] !== 6 || div.node.inputs[0] !== mul.node.outputs[0]) continue
    // HardSigmoid(x) = clip(x/6 + 1/2, 0, 1) = clip(x + 3, 0, 6) / 6, written where the Add was.
    const gate = clip.node.outputs[0]!
    const name = stringField(3, `memgate_hardsigmoid_${gate}`)
    add.op = 'HardSigmoid'
    add.inputs = [x]
    add.outputs = [gate]
    add.rest = [name, stringField(4, 'HardSigmoid'), floatAttribute('alpha', 1 / 6), floatAttribute('beta', 0.5)]
    add.attrs = new Map()
    mul.node.inputs = [x, gate]
    mul.node.outputs = [div.node.outputs[0]!]
    clip.node.removed = true
    div.node.removed = true
    count++
  }
  return count
}

/** Fold 3: a scalar affine feeding a 1×1 unpadded convolution goes into its weights and bias. */
function foldPointwiseInputAffine(g: Graph): number {
  let count = 0
  for (const mul of g.nodes) {
    if (mul.removed) continue
    const m = withScalar(g, mul, 'Mul')
    if (!m) continue
    g.index()
    const addAt = g.soleConsumer(mul.outputs[0]!)
    const a = addAt && withScalar(g, addAt.node, 'Add')
    if (!addAt || !a || a[0] !== mul.outputs[0]) continue
    const convAt = g.soleConsumer(addAt.node.outputs[0]!)
    if (!convAt || !isConv(convAt.node) || convAt.node.inputs[0] !== addAt.node.outputs[0]) continue
    const conv = convAt.node
    const w = g.constant(conv.inputs[1] ?? '')
    const bias = conv.inputs[2] ? g.constant(conv.inputs[2]) : undefined
    if (!w || (conv.inputs[2] && !bias) || w.dims.length !== 4 || w.dims[2] !== 1 || w.dims[3] !== 1) continue
    const pads = attrInts(conv.attrs.get('pads')) ?? []
    const autoPad = attrString(conv.attrs.get('auto_pad')) ?? 'NOTSET'
    if (pads.some((p) => p !== 0) || (autoPad !== 'NOTSET' && autoPad !== 'VALID')) continue
    const [scale, shift] = [m[1], a[1]]
    const outs = w.dims[0]!
    const per = w.length / outs
    const nw = new Float32Array(w.length)
    const nb = new Float32Array(outs)
    for (let o = 0; o < outs; o++) {
      let sum = 0
      for (let k = o * per; k < (o + 1) * per; k++) {
        const v = w.at(k)
        nw[k] = v * scale
        sum += v
      }
      nb[o] = (bias ? bias.at(o) : 0) + shift * sum
    }
    // Weights an earlier fold made for this convolution are superseded, not kept beside.
    for (const old of conv.inputs.slice(1)) g.added.delete(old)
    conv.inputs = [m[0], g.addTensor(conv.inputs[1]!, w.dims, nw), g.addTensor(conv.inputs[1]!, [outs], nb)]
    mul.removed = true
    addAt.node.removed = true
    count++
  }
  return count
}

/**
 * Applies the folds to a serialized ONNX model. Returns the new model and what was folded, or
 * null when nothing matched or the model has a layout this code does not read (the caller then
 * loads the original bytes).
 * @param append encoded model fields to add at the end (e.g. a graph to merge), without another copy
 */
export function foldModel(model: Uint8Array, append?: Uint8Array): { bytes: Uint8Array; report: FoldReport } | null {
  const read = readGraph(model)
  if (!read || read.opset === 0) return null
  const { opset, modelRest, graphRest, outputs } = read
  const nodes: Node[] = read.nodes.map((n) => ({ ...n, removed: false }))
  const g = new Graph(nodes, outputs)
  for (const [name, bytes] of read.constants) g.constBytes.set(name, bytes)
  const report: FoldReport = { convAffine: foldConvAffine(g), hardSwish: foldHardSwish(g, opset), pointwiseInputAffine: foldPointwiseInputAffine(g) }
  if (report.convAffine + report.hardSwish + report.pointwiseInputAffine === 0) return null
  // Constants nothing reads any more (the unfolded weights) are dropped, to keep the model small.
  g.index()
  const used = new Set(g.nodes.flatMap((n) => (n.removed ? [] : n.inputs)))
  for (const n of g.nodes) if (n.op === 'Constant' && !n.outputs.some((o) => used.has(o) || outputs.has(o))) n.removed = true
  const newGraph = [
    ...g.nodes.filter((n) => !n.removed).flatMap((n) => fieldChunks(1, [encodeNode(n)])),
    ...graphRest,
    ...[...g.added].flatMap(([name, t]) => fieldChunks(5, tensorChunks(name, t))),
  ]
  // One copy: the weights go from their Float32Arrays and the original model straight into place.
  return { bytes: concat([...modelRest, ...fieldChunks(7, newGraph), ...(append ? [append] : [])]), report }
}
