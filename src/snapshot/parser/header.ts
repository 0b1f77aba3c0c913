/**
 * The `snapshot` header: `meta` names the fields of each node and edge row and the enumerations
 * of node and edge types; `node_count`/`edge_count` size the typed arrays up front.
 * Its shape is documented by Chrome DevTools (HeapSnapshot format) and V8's heap snapshot
 * serializer; memgate needs only the fields below and ignores the rest.
 */
import { z } from 'zod'
import { SnapshotSyntaxError } from './chunk-reader.js'

/** What the parser needs from the header. */
export interface SnapshotHeader {
  nodeFields: string[]
  /** Node type names, indexed by a node's `type` field (e.g. `'object'`, `'closure'`, `'synthetic'`). */
  nodeTypes: string[]
  edgeFields: string[]
  /** Edge type names, indexed by an edge's `type` field (e.g. `'property'`, `'element'`, `'weak'`). */
  edgeTypes: string[]
  /** Rows declared by the header, when it declares them. */
  nodeCount: number | undefined
  edgeCount: number | undefined
}

const enumeration = z.tuple([z.array(z.string())], z.unknown())
const count = z.number().int().nonnegative().optional()

const headerSchema = z.object({
  meta: z.object({
    node_fields: z.array(z.string()),
    node_types: enumeration,
    edge_fields: z.array(z.string()),
    edge_types: enumeration,
  }),
  node_count: count,
  edge_count: count,
})

/** Fields every node row must have. */
export const REQUIRED_NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count'] as const
/** Fields every edge row must have. */
export const REQUIRED_EDGE_FIELDS = ['type', 'name_or_index', 'to_node'] as const

/**
 * Parses and checks the header text.
 * @param offset file offset of the header, for error messages.
 * @throws SnapshotSyntaxError when it is not JSON or lacks a required field.
 */
export function parseHeader(text: string, offset: number): SnapshotHeader {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new SnapshotSyntaxError(offset, `'snapshot' header is not valid JSON (${(error as Error).message})`)
  }
  const parsed = headerSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue ? `snapshot.${issue.path.join('.')}` : 'snapshot'
    throw new SnapshotSyntaxError(offset, `'snapshot' header is missing or has a malformed ${where} (${issue?.message ?? 'invalid'})`)
  }
  const { meta } = parsed.data
  for (const f of REQUIRED_NODE_FIELDS) {
    if (!meta.node_fields.includes(f)) throw new SnapshotSyntaxError(offset, `snapshot.meta.node_fields lacks '${f}'`)
  }
  for (const f of REQUIRED_EDGE_FIELDS) {
    if (!meta.edge_fields.includes(f)) throw new SnapshotSyntaxError(offset, `snapshot.meta.edge_fields lacks '${f}'`)
  }
  return {
    nodeFields: meta.node_fields,
    nodeTypes: meta.node_types[0],
    edgeFields: meta.edge_fields,
    edgeTypes: meta.edge_types[0],
    nodeCount: parsed.data.node_count,
    edgeCount: parsed.data.edge_count,
  }
}
