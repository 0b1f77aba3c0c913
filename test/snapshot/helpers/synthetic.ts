/**
 * Builds small `.heapsnapshot` texts from a readable description, in V8's format (Node 20's
 * meta: seven node fields, three edge fields), so tests know every node, edge and size exactly.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape']
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak']

export interface SynthEdge {
  type: string
  /** Name (property, internal, ...) or index (element, hidden). */
  name: string | number
  /** Index of the target in the node list. */
  to: number
}

export interface SynthNode {
  type: string
  name: string
  /** @default 2 * index + 1 */
  id?: number
  /** @default 0 */
  selfSize?: number
  edges?: SynthEdge[]
}

export interface SynthOptions {
  /** Leave out node_count/edge_count from the header. */
  omitCounts?: boolean
  /** Extra top-level sections, written before `strings`. */
  extra?: Record<string, unknown>
  /** Put newlines and spaces between numbers, as V8 does. */
  spaced?: boolean
}

/** Serialises nodes to snapshot JSON text. */
export function buildSnapshot(nodes: readonly SynthNode[], options: SynthOptions = {}): string {
  const strings: string[] = []
  const index = new Map<string, number>()
  const str = (s: string) => {
    let i = index.get(s)
    if (i === undefined) {
      i = strings.length
      strings.push(s)
      index.set(s, i)
    }
    return i
  }
  str('')
  const nodeNums: number[] = []
  const edgeNums: number[] = []
  nodes.forEach((n, i) => {
    const edges = n.edges ?? []
    nodeNums.push(NODE_TYPES.indexOf(n.type), str(n.name), n.id ?? 2 * i + 1, n.selfSize ?? 0, edges.length, 0, 0)
    for (const e of edges) {
      const t = EDGE_TYPES.indexOf(e.type)
      edgeNums.push(t, typeof e.name === 'number' ? e.name : str(e.name), e.to * 7)
    }
  })
  const header = {
    meta: {
      node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
      node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
      edge_fields: ['type', 'name_or_index', 'to_node'],
      edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    },
    ...(options.omitCounts ? {} : { node_count: nodes.length, edge_count: edgeNums.length / 3 }),
    trace_function_count: 0,
  }
  const sep = options.spaced ? ',\n' : ','
  const extra = Object.entries(options.extra ?? {}).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},\n`)
  return `{"snapshot":${JSON.stringify(header)},\n"nodes":[${nodeNums.join(sep)}],\n"edges":[${edgeNums.join(sep)}],\n${extra.join('')}"strings":${JSON.stringify(strings)}}\n`
}

/** A temporary directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; file: (name: string, text: string | Buffer) => Promise<string>; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'memgate-snapshot-test-'))
  return {
    dir,
    async file(name, text) {
      const path = join(dir, name)
      await writeFile(path, text)
      return path
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}

/**
 * A small heap in Node's shape: root → (GC roots) → (Global handles) → Map held by a handle,
 * root ⇢ global (shortcut) → leakyCache: Map → table: (array) → Planted × n.
 * Node indices: 0 root, 1 (GC roots), 2 (Global handles), 3 global, 4 Map (leakyCache),
 * 5 table, 6.. Planted. Planted self size 40, Map 32, table 16 + 8n, global 40.
 */
export function plantedHeap(plantedCount: number, options: { firstPlantedId?: number } = {}): SynthNode[] {
  const planted: SynthNode[] = Array.from({ length: plantedCount }, (_, k) => ({
    type: 'object',
    name: 'Planted',
    selfSize: 40,
    id: (options.firstPlantedId ?? 1001) + 2 * k,
  }))
  return [
    { type: 'synthetic', name: '', id: 1, edges: [{ type: 'element', name: 1, to: 1 }, { type: 'shortcut', name: 'global', to: 3 }] },
    { type: 'synthetic', name: '(GC roots)', id: 3, edges: [{ type: 'element', name: 1, to: 2 }] },
    { type: 'synthetic', name: '(Global handles)', id: 5, edges: [{ type: 'internal', name: '3', to: 3 }] },
    { type: 'object', name: 'global', id: 7, selfSize: 40, edges: [{ type: 'property', name: 'leakyCache', to: 4 }] },
    { type: 'object', name: 'Map', id: 9, selfSize: 32, edges: [{ type: 'internal', name: 'table', to: 5 }] },
    {
      type: 'array',
      name: '',
      id: 11,
      selfSize: 16 + 8 * plantedCount,
      edges: planted.map((_, k) => ({ type: 'internal', name: String(k), to: 6 + k })),
    },
    ...planted,
  ]
}
