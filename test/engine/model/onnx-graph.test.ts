/**
 * `readGraph` splits a model around its graph for the rewriters (the folds, the INT8 script):
 * nodes, constants from initialisers and Constant nodes, graph outputs, and everything else kept
 * encoded, so re-emitting the parts gives the model back byte for byte.
 */
import { describe, expect, it } from 'vitest'
import { parseFloatTensor, readGraph } from '../../../src/engine/model/onnx-graph.js'
import { bytesField, concat, fieldChunks, intField, stringField } from '../../../src/engine/model/onnx-proto.js'

function tensor(dims: number[], values: number[], name?: string): Uint8Array {
  const f = new Float32Array(values)
  return concat([...dims.map((d) => intField(1, d)), intField(2, 1), ...(name ? [stringField(8, name)] : []), bytesField(9, new Uint8Array(f.buffer))])
}
function node(op: string, inputs: string[], outputs: string[], extra: Uint8Array[] = []): Uint8Array {
  return concat([...inputs.map((s) => stringField(1, s)), ...outputs.map((s) => stringField(2, s)), stringField(4, op), ...extra])
}
const valueAttr = (t: Uint8Array) => bytesField(5, concat([stringField(1, 'value'), bytesField(5, t), intField(20, 4)]))
const opset = (domain: string, version: number) => bytesField(8, concat([stringField(1, domain), intField(2, version)]))

const constNode = node('Constant', [], ['k'], [valueAttr(tensor([1], [0.5]))])
const mulNode = node('Mul', ['x', 'k'], ['m'], [stringField(7, '')])
const addNode = node('Add', ['m', 'w'], ['y'])
const initialiser = bytesField(5, tensor([2], [1, -2], 'w'))
const output = bytesField(12, stringField(1, 'y'))
const graph = concat([bytesField(1, constNode), bytesField(1, mulNode), bytesField(1, addNode), stringField(2, 'g'), initialiser, output])
const model = concat([intField(1, 7), opset('', 11), opset('com.microsoft', 1), bytesField(7, graph)])

describe('readGraph', () => {
  it('reads nodes, constants from initialisers and Constant nodes, outputs and the default-domain opset', () => {
    const g = readGraph(model)!
    expect(g.opset).toBe(11)
    expect(g.nodes.map((n) => [n.op, n.inputs, n.outputs])).toEqual([
      ['Constant', [], ['k']],
      ['Mul', ['x', 'k'], ['m']],
      ['Add', ['m', 'w'], ['y']],
    ])
    expect([...g.nodes[0]!.attrs.keys()]).toEqual(['value'])
    expect([...g.constants.keys()].sort()).toEqual(['k', 'w'])
    expect(parseFloatTensor(g.constants.get('k')!)?.at(0)).toBe(0.5)
    const w = parseFloatTensor(g.constants.get('w')!)!
    expect([w.dims, w.at(0), w.at(1)]).toEqual([[2], 1, -2])
    expect([...g.outputs]).toEqual(['y'])
  })

  it('keeps what it does not parse encoded, so the parts give the model back byte for byte', () => {
    const g = readGraph(model)!
    const nodes = g.nodes.map((n) => concat([...n.inputs.map((s) => stringField(1, s)), ...n.outputs.map((s) => stringField(2, s)), ...n.rest]))
    const rebuilt = concat([...g.modelRest, ...fieldChunks(7, [...nodes.flatMap((n) => fieldChunks(1, [n])), ...g.graphRest])])
    // Nodes come first in this graph, and a node's rest keeps its field order after inputs and outputs.
    expect(Buffer.from(rebuilt).equals(Buffer.from(concat([intField(1, 7), opset('', 11), opset('com.microsoft', 1), bytesField(7, graph)])))).toBe(true)
  })

  it('gives null for a model without a graph or with two', () => {
    expect(readGraph(concat([intField(1, 7), opset('', 11)]))).toBeNull()
    expect(readGraph(concat([bytesField(7, graph), bytesField(7, graph)]))).toBeNull()
  })

  it('throws on bytes that are not a protobuf', () => {
    expect(() => readGraph(Uint8Array.of(0x0a, 0x05, 0x01))).toThrow(/truncated/)
  })
})
