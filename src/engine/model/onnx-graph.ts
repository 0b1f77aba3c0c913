/**
 * An ONNX model's graph as the rewriters need it (`onnx-fold.ts` here, `scripts/quantize-int8.ts`):
 * nodes with their inputs, outputs and attributes, constant tensors by name, the graph outputs,
 * and every other field kept encoded, so a rewrite re-emits what it does not touch byte for byte.
 * Views into the model's bytes; nothing is copied.
 */
import { defaultDomainOpset, fieldFloats, fieldInts, fieldText, readFields } from './onnx-proto.js'

/** One `NodeProto`. */
export interface OnnxNode {
  op: string
  /** '' for ONNX's default domain. */
  domain: string
  inputs: string[]
  outputs: string[]
  /** Every field of the NodeProto but inputs and outputs (name, op type, attributes, doc string, domain), encoded. */
  rest: Uint8Array[]
  /** Attributes by name: each AttributeProto's payload. */
  attrs: Map<string, Uint8Array>
}

/** A model split around its graph (the one `GraphProto`, ModelProto field 7). */
export interface OnnxGraph {
  /** Highest opset of ONNX's default domain; 0 when the model imports none. */
  opset: number
  /** The ModelProto's fields other than the graph, encoded, in order. */
  modelRest: Uint8Array[]
  /** The graph's nodes, in order. */
  nodes: OnnxNode[]
  /** The GraphProto's fields other than its nodes (initialisers, inputs, outputs, name…), encoded, in order. */
  graphRest: Uint8Array[]
  /** TensorProto bytes of every constant: initialisers, and `Constant` nodes' `value`, by tensor name. */
  constants: Map<string, Uint8Array>
  /** Names of the graph's outputs. */
  outputs: Set<string>
}

/** Parses one NodeProto (the bytes of its payload). */
export function parseNode(bytes: Uint8Array): OnnxNode {
  const node: OnnxNode = { op: '', domain: '', inputs: [], outputs: [], rest: [], attrs: new Map() }
  for (const f of readFields(bytes)) {
    if (f.field === 1) node.inputs.push(fieldText(bytes, f))
    else if (f.field === 2) node.outputs.push(fieldText(bytes, f))
    else {
      if (f.field === 4) node.op = fieldText(bytes, f)
      if (f.field === 7) node.domain = fieldText(bytes, f)
      if (f.field === 5) {
        const payload = bytes.subarray(f.start, f.end)
        for (const a of readFields(payload)) if (a.field === 1) node.attrs.set(fieldText(payload, a), payload)
      }
      node.rest.push(bytes.subarray(f.keyStart, f.end))
    }
  }
  return node
}

/**
 * Reads a serialized ModelProto's graph. Returns null when the model has no graph or more than
 * one (not a model these rewriters understand). Throws on a malformed protobuf.
 */
export function readGraph(model: Uint8Array): OnnxGraph | null {
  let graphField: { start: number; end: number } | null = null
  let opset = 0
  const modelRest: Uint8Array[] = []
  for (const f of readFields(model)) {
    if (f.field === 7) {
      if (graphField) return null
      graphField = f
      continue
    }
    if (f.field === 8) opset = Math.max(opset, defaultDomainOpset(model, f))
    modelRest.push(model.subarray(f.keyStart, f.end))
  }
  if (!graphField) return null
  const graph = model.subarray(graphField.start, graphField.end)
  const nodes: OnnxNode[] = []
  const graphRest: Uint8Array[] = []
  const constants = new Map<string, Uint8Array>()
  const outputs = new Set<string>()
  for (const f of readFields(graph)) {
    if (f.field === 1) {
      nodes.push(parseNode(graph.subarray(f.start, f.end)))
      continue
    }
    if (f.field === 12) for (const o of readFields(graph, f.start, f.end)) if (o.field === 1) outputs.add(fieldText(graph, o))
    if (f.field === 5) {
      const t = graph.subarray(f.start, f.end)
      for (const o of readFields(t)) if (o.field === 8) constants.set(fieldText(t, o), t)
    }
    graphRest.push(graph.subarray(f.keyStart, f.end))
  }
  // The Paddle exporter also writes weights as Constant nodes.
  for (const n of nodes) {
    if (n.op !== 'Constant' || n.domain !== '' || n.outputs.length !== 1) continue
    const value = n.attrs.get('value')
    if (!value) continue
    for (const a of readFields(value)) if (a.field === 5) constants.set(n.outputs[0]!, value.subarray(a.start, a.end))
  }
  return { opset, modelRest, nodes, graphRest, constants, outputs }
}

/** A float32 tensor: shape and little-endian bytes (a view into the model, or new). */
export interface FloatTensor {
  dims: number[]
  length: number
  bytes: Uint8Array
  /** The value at flat index `i`. */
  at(i: number): number
}

/** A float tensor over `values` (no copy). */
export function tensorOf(dims: number[], values: Float32Array): FloatTensor {
  return { dims, length: values.length, bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at: (i) => values[i]! }
}

/** ONNX's `TensorProto.DataType.FLOAT`. */
export const ONNX_FLOAT = 1

/** A float TensorProto's shape and values, or null for other types or layouts. Raw data is read in place. */
export function parseFloatTensor(bytes: Uint8Array): FloatTensor | null {
  const dims: number[] = []
  let type = 0
  let raw: Uint8Array | null = null
  const floats: number[] = []
  for (const f of readFields(bytes)) {
    if (f.field === 1) dims.push(...fieldInts(bytes, f))
    else if (f.field === 2) type = Number(f.value)
    else if (f.field === 4) floats.push(...fieldFloats(bytes, f))
    else if (f.field === 9) raw = bytes.subarray(f.start, f.end)
    else if (f.field === 13 || f.field === 14) return null // external data or a segment
  }
  const count = dims.reduce((a, b) => a * b, 1)
  if (type !== ONNX_FLOAT) return null
  if (!raw) return floats.length === count ? tensorOf(dims, Float32Array.from(floats)) : null
  if (raw.length !== count * 4) return null
  // The model's bytes need not be 4-byte aligned for a Float32Array view; ONNX raw data is little-endian.
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  return { dims, length: count, bytes: raw, at: (i) => view.getFloat32(i * 4, true) }
}
