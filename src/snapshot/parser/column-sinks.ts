/**
 * Destinations for the `nodes` and `edges` integer arrays. The flat arrays of the file are split
 * into one typed array per field we use (column layout) and the fields we never read
 * (`trace_node_id`, `detachedness`) are dropped as they stream past: that is 17 bytes per node
 * and 9 per edge in memory instead of the file's 28 and 12, and loops that only follow `to_node`
 * touch one dense array.
 */

/** Largest value a Uint32Array column holds; bigger self sizes go to an overflow map. */
export const U32_MAX = 0xffff_ffff

/**
 * Receives the integers of one flat array, a row at a time: the scanner fills `row` (one slot
 * per field) and calls `pushRow()`, so there is one call per row rather than per number.
 */
export interface IntegerSink {
  /** Values of the row being scanned, by field. */
  readonly row: Float64Array
  /** Takes the completed `row`. @returns false when a value does not fit its field. */
  pushRow(): boolean
  /** Explains the last rejected row. */
  rejection(): string
  /** Values left over after the last complete row (set by the scanner at the end). */
  partial: number
}

function growU32(a: Uint32Array, size: number): Uint32Array {
  const b = new Uint32Array(size)
  b.set(a)
  return b
}

function growU8(a: Uint8Array, size: number): Uint8Array {
  const b = new Uint8Array(size)
  b.set(a)
  return b
}

/** Capacity to start with: the header's count when given (no growth at all), else a guess. */
function initialRows(expected: number | undefined): number {
  return expected !== undefined && expected > 0 ? expected : 1 << 16
}

/** Node columns. `edgeCountsShifted[i + 1]` holds node i's edge count, ready for a prefix sum. */
export class NodeSink implements IntegerSink {
  type: Uint8Array
  name: Uint32Array
  id: Uint32Array
  selfSize: Uint32Array
  edgeCountsShifted: Uint32Array
  /** Self sizes of 4 GiB or more, by node ordinal (the column holds {@link U32_MAX}). */
  readonly largeSelfSizes = new Map<number, number>()
  readonly row: Float64Array
  /** Complete rows written so far. */
  rows = 0
  partial = 0
  private readonly at: { type: number; name: number; id: number; selfSize: number; edgeCount: number }
  private reason = ''

  /** @param fields the header's `node_fields`, which must include the five this sink keeps. */
  constructor(fields: readonly string[], expectedRows?: number) {
    const cap = initialRows(expectedRows)
    this.type = new Uint8Array(cap)
    this.name = new Uint32Array(cap)
    this.id = new Uint32Array(cap)
    this.selfSize = new Uint32Array(cap)
    this.edgeCountsShifted = new Uint32Array(cap + 1)
    this.row = new Float64Array(fields.length)
    this.at = { type: fields.indexOf('type'), name: fields.indexOf('name'), id: fields.indexOf('id'), selfSize: fields.indexOf('self_size'), edgeCount: fields.indexOf('edge_count') }
  }

  pushRow(): boolean {
    const r = this.rows
    if (r === this.type.length) this.grow()
    const row = this.row
    const at = this.at
    const type = row[at.type]!
    const name = row[at.name]!
    const id = row[at.id]!
    let selfSize = row[at.selfSize]!
    const edgeCount = row[at.edgeCount]!
    if (type > 0xff) return this.reject(`node type index ${type} is out of range`)
    if (name > U32_MAX) return this.reject(`node name index ${name} is out of range`)
    if (id > U32_MAX) return this.reject(`node id ${id} does not fit 32 bits`)
    if (edgeCount > U32_MAX) return this.reject(`edge count ${edgeCount} is out of range`)
    if (selfSize >= U32_MAX) {
      this.largeSelfSizes.set(r, selfSize)
      selfSize = U32_MAX
    }
    this.type[r] = type
    this.name[r] = name
    this.id[r] = id
    this.selfSize[r] = selfSize
    this.edgeCountsShifted[r + 1] = edgeCount
    this.rows = r + 1
    return true
  }

  rejection(): string {
    return this.reason
  }

  private reject(reason: string): false {
    this.reason = reason
    return false
  }

  private grow(): void {
    const size = Math.ceil(this.type.length * 1.5) + 1
    this.type = growU8(this.type, size)
    this.name = growU32(this.name, size)
    this.id = growU32(this.id, size)
    this.selfSize = growU32(this.selfSize, size)
    this.edgeCountsShifted = growU32(this.edgeCountsShifted, size + 1)
  }
}

/** Edge columns. `toNode` holds the file's raw value (an offset into `nodes`) until assembly. */
export class EdgeSink implements IntegerSink {
  type: Uint8Array
  name: Uint32Array
  toNode: Uint32Array
  readonly row: Float64Array
  rows = 0
  partial = 0
  private readonly at: { type: number; name: number; toNode: number }
  private reason = ''

  /** @param fields the header's `edge_fields`, which must include the three this sink keeps. */
  constructor(fields: readonly string[], expectedRows?: number) {
    const cap = initialRows(expectedRows)
    this.type = new Uint8Array(cap)
    this.name = new Uint32Array(cap)
    this.toNode = new Uint32Array(cap)
    this.row = new Float64Array(fields.length)
    this.at = { type: fields.indexOf('type'), name: fields.indexOf('name_or_index'), toNode: fields.indexOf('to_node') }
  }

  pushRow(): boolean {
    const r = this.rows
    if (r === this.type.length) this.grow()
    const row = this.row
    const type = row[this.at.type]!
    const name = row[this.at.name]!
    const toNode = row[this.at.toNode]!
    if (type > 0xff) return this.reject(`edge type index ${type} is out of range`)
    if (name > U32_MAX) return this.reject(`edge name or index ${name} does not fit 32 bits`)
    if (toNode > U32_MAX) return this.reject(`to_node ${toNode} does not fit 32 bits`)
    this.type[r] = type
    this.name[r] = name
    this.toNode[r] = toNode
    this.rows = r + 1
    return true
  }

  rejection(): string {
    return this.reason
  }

  private reject(reason: string): false {
    this.reason = reason
    return false
  }

  private grow(): void {
    const size = Math.ceil(this.type.length * 1.5) + 1
    this.type = growU8(this.type, size)
    this.name = growU32(this.name, size)
    this.toNode = growU32(this.toNode, size)
  }
}
