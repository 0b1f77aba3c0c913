/**
 * A small, in-memory change to the recognition model: graph outputs for the top-k classes of each
 * time step and the space-class probability, so the engine fetches a few floats per step instead
 * of the whole softmax (6,625 floats per step for PP-OCRv4: 5.6 MB for one wide line). Those
 * copies are JavaScript garbage until the next GC, and on dense pages they held ~70 MB of RSS.
 *
 * The change relies on protobuf merge semantics: a serialized message followed by another
 * occurrence of an embedded-message field merges into it, repeated fields appending. So the
 * original ONNX bytes are kept as they are and one more `graph` field is appended, carrying only
 * the new nodes, initialisers and outputs. The file on disk is never touched.
 */
import { bytesField, concat, defaultDomainOpset, fieldText, intField, readFields, stringField, varint } from './onnx-proto.js'

/** Appended output: the k best class probabilities per time step, best first. */
export const TOPK_VALUES = 'memgate_topk_values'
/** Appended output: the classes of {@link TOPK_VALUES}, int32. */
export const TOPK_INDICES = 'memgate_topk_indices'
/** Appended output: the space class's probability per time step. */
export const SPACE_PROB = 'memgate_space_prob'

/** AttributeProto: INT (type 2) or INTS (type 7). */
function attribute(name: string, value: number | number[]): Uint8Array {
  if (typeof value === 'number') return concat([stringField(1, name), intField(3, value), intField(20, 2)])
  return concat([stringField(1, name), ...value.map((v) => intField(8, v)), intField(20, 7)])
}

function node(opType: string, inputs: string[], outputs: string[], attrs: Uint8Array[]): Uint8Array {
  return concat([
    ...inputs.map((s) => stringField(1, s)),
    ...outputs.map((s) => stringField(2, s)),
    stringField(3, `memgate_${opType.toLowerCase()}_${outputs[0]}`),
    stringField(4, opType),
    ...attrs.map((a) => bytesField(5, a)),
  ])
}

/** TensorProto holding a 1-D int64 initialiser. */
function int64Initializer(name: string, values: number[]): Uint8Array {
  return concat([intField(1, values.length), intField(2, 7), bytesField(7, values.flatMap((v) => varint(v))), stringField(8, name)])
}

/** ValueInfoProto for a tensor output of element type `elemType` (1 float, 6 int32). */
function tensorOutput(name: string, elemType: number): Uint8Array {
  return concat([stringField(1, name), bytesField(2, bytesField(1, intField(1, elemType)))])
}

/** The default-domain opset and the graph's output names of an ONNX model. */
export function inspectModel(model: Uint8Array): { opset: number; outputs: string[] } {
  let opset = 0
  const outputs: string[] = []
  for (const f of readFields(model, 0, model.length)) {
    if (f.field === 8) opset = Math.max(opset, defaultDomainOpset(model, f))
    if (f.field === 7) {
      for (const g of readFields(model, f.start, f.end)) {
        if (g.field !== 12) continue
        for (const h of readFields(model, g.start, g.end)) if (h.field === 1) outputs.push(fieldText(model, h))
      }
    }
  }
  return { opset, outputs }
}

/**
 * The bytes to append to a model so it also outputs {@link TOPK_VALUES} (float, [batch, steps, k],
 * best first), {@link TOPK_INDICES} (int32, same shape) and {@link SPACE_PROB} (float,
 * [batch, steps, 1], class `spaceIndex`), computed from `softmaxOutput` ([batch, steps, classes]).
 * Opset 9 takes TopK's k and Slice's ranges as attributes, opset ≥ 10 as inputs.
 */
export function topKTail(softmaxOutput: string, k: number, spaceIndex: number, opset: number): Uint8Array {
  const nodes: Uint8Array[] = []
  const inits: Uint8Array[] = []
  const rawIndices = 'memgate_topk_indices_int64'
  if (opset >= 10) {
    inits.push(int64Initializer('memgate_k', [k]), int64Initializer('memgate_space_start', [spaceIndex]), int64Initializer('memgate_space_end', [spaceIndex + 1]), int64Initializer('memgate_axis2', [2]))
    nodes.push(node('TopK', [softmaxOutput, 'memgate_k'], [TOPK_VALUES, rawIndices], [attribute('axis', -1)]))
    nodes.push(node('Slice', [softmaxOutput, 'memgate_space_start', 'memgate_space_end', 'memgate_axis2'], [SPACE_PROB], []))
  } else {
    nodes.push(node('TopK', [softmaxOutput], [TOPK_VALUES, rawIndices], [attribute('k', k), attribute('axis', -1)]))
    nodes.push(node('Slice', [softmaxOutput], [SPACE_PROB], [attribute('axes', [2]), attribute('starts', [spaceIndex]), attribute('ends', [spaceIndex + 1])]))
  }
  // int32 indices: int64 would come back as BigInt64Array.
  nodes.push(node('Cast', [rawIndices], [TOPK_INDICES], [attribute('to', 6)]))
  const graph = concat([
    ...nodes.map((n) => bytesField(1, n)),
    ...inits.map((t) => bytesField(5, t)),
    bytesField(12, tensorOutput(TOPK_VALUES, 1)),
    bytesField(12, tensorOutput(TOPK_INDICES, 6)),
    bytesField(12, tensorOutput(SPACE_PROB, 1)),
  ])
  return bytesField(7, graph)
}

/**
 * The graph field to append to `model` for the top-k outputs, or undefined when the bytes do not
 * parse as an ONNX model with one output (ONNX Runtime then loads the model as it is).
 */
export function topKTailFor(model: Uint8Array, k: number, spaceIndex: number): Uint8Array | undefined {
  let info: { opset: number; outputs: string[] }
  try {
    info = inspectModel(model)
  } catch {
    return undefined
  }
  if (info.outputs.length !== 1 || info.opset === 0) return undefined
  return topKTail(info.outputs[0]!, k, spaceIndex, info.opset)
}

/** The model with the top-k outputs appended, or undefined as for {@link topKTailFor}. */
export function withTopK(model: Uint8Array, k: number, spaceIndex: number): Uint8Array | undefined {
  const tail = topKTailFor(model, k, spaceIndex)
  return tail && concat([model, tail])
}
