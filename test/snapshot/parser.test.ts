import { mkdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../../src/common/errors.js'
import { parseHeapSnapshot, SnapshotInvalidError, type HeapGraph } from '../../src/snapshot/index.js'
import { buildSnapshot, plantedHeap, tempDir, type SynthNode } from './helpers/synthetic.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
})
afterAll(() => tmp.cleanup())

/** Every node and edge of a graph as plain data, for comparisons. */
function dump(g: HeapGraph) {
  const nodes = []
  for (let o = 0; o < g.nodeCount; o++) {
    const edges = []
    for (let e = g.firstEdge[o]!; e < g.firstEdge[o + 1]!; e++) edges.push([g.edgeTypeName(e), g.edgeLabel(e), g.edgeTo[e]])
    nodes.push([g.nodeTypeName(o), g.nodeNameOf(o), g.nodeId[o], g.selfSize(o), edges])
  }
  return nodes
}

async function invalid(text: string | Buffer, name = 'bad.heapsnapshot'): Promise<SnapshotInvalidError> {
  const path = await tmp.file(name, text)
  const error = await parseHeapSnapshot(path).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SnapshotInvalidError)
  const e = error as SnapshotInvalidError
  expect(e).toBeInstanceOf(InputError)
  expect(e.code).toBe('SNAPSHOT_INVALID')
  expect(e.message).toContain(path)
  expect(e.message).toContain(`at byte ${e.byteOffset}`)
  return e
}

describe('parseHeapSnapshot', () => {
  const heap = plantedHeap(3)

  it('reads nodes, edges and strings into columns, with to_node turned into ordinals', async () => {
    const g = await parseHeapSnapshot(await tmp.file('p.heapsnapshot', buildSnapshot(heap)))
    expect(g.nodeCount).toBe(9)
    expect(g.edgeCount).toBe(9)
    expect(dump(g)).toEqual([
      ['synthetic', '', 1, 0, [['element', 1, 1], ['shortcut', 'global', 3]]],
      ['synthetic', '(GC roots)', 3, 0, [['element', 1, 2]]],
      ['synthetic', '(Global handles)', 5, 0, [['internal', '3', 3]]],
      ['object', 'global', 7, 40, [['property', 'leakyCache', 4]]],
      ['object', 'Map', 9, 32, [['internal', 'table', 5]]],
      ['array', '', 11, 40, [['internal', '0', 6], ['internal', '1', 7], ['internal', '2', 8]]],
      ['object', 'Planted', 1001, 40, []],
      ['object', 'Planted', 1003, 40, []],
      ['object', 'Planted', 1005, 40, []],
    ])
    expect(g.source.sizeBytes).toBe(Buffer.byteLength(buildSnapshot(heap)))
  })

  it('gives the same graph for any chunk size, so values split across reads are joined', async () => {
    const text = buildSnapshot(plantedHeap(50), { spaced: true, extra: { trace_tree: [[1, [2, 'x"]y']]], samples: [] } })
    const path = await tmp.file('chunks.heapsnapshot', text)
    const reference = dump(await parseHeapSnapshot(path))
    for (const chunkBytes of [1, 2, 3, 7, 64]) {
      expect(dump(await parseHeapSnapshot(path, { chunkBytes }))).toEqual(reference)
    }
  })

  it('decodes string escapes, raw UTF-8 and surrogate pairs exactly as JSON.parse does', async () => {
    const names = ['plain', 'tab\there', 'quote"and\\slash/', 'ünïcødé raw', '😀 raw pair', 'nul\u0000ctl\u001f', '\u2028sep', '']
    const nodes: SynthNode[] = [{ type: 'synthetic', name: '' }, ...names.map((name) => ({ type: 'object', name }))]
    // JSON.stringify writes non-ASCII raw; escape some by hand to cover \uXXXX decoding too.
    let text = buildSnapshot(nodes)
    text = text.replace('"😀 raw pair"', '"😀 raw pair","\\ud83d\\ude00 escaped pair","\\u00e9\\u4e2d mixed"')
    const g = await parseHeapSnapshot(await tmp.file('escapes.heapsnapshot', text), { chunkBytes: 5 })
    const expected = (JSON.parse(text) as { strings: string[] }).strings
    expect(g.strings.length).toBe(expected.length)
    for (let i = 0; i < expected.length; i++) expect(g.strings.get(i)).toBe(expected[i])
    expect(expected).toContain('😀 escaped pair')
  })

  it('turns lone surrogates (which UTF-8 cannot hold) into U+FFFD', async () => {
    const text = buildSnapshot([{ type: 'synthetic', name: 'x' }]).replace('"strings":["","x"]', '"strings":["","x","a\\ud800b","\\udc00","\\ud83d","\\ud83d\\ud83d\\ude00"]')
    const g = await parseHeapSnapshot(await tmp.file('lone.heapsnapshot', text))
    expect([g.strings.get(2), g.strings.get(3), g.strings.get(4), g.strings.get(5)]).toEqual(['a\ufffdb', '\ufffd', '\ufffd', '\ufffd😀'])
  })

  it('grows its arrays when the header gives no counts, and skips unknown sections', async () => {
    const text = buildSnapshot(plantedHeap(200), { omitCounts: true, extra: { locations: [1, 2, 3], unknown_thing: { a: [1, { b: '}' }] } } })
    const g = await parseHeapSnapshot(await tmp.file('nocounts.heapsnapshot', text))
    expect(dump(g)).toEqual(dump(await parseHeapSnapshot(await tmp.file('counts.heapsnapshot', buildSnapshot(plantedHeap(200))))))
  })

  it('skipEdges reads the same nodes and strings without any edges', async () => {
    const path = await tmp.file('skip.heapsnapshot', buildSnapshot(plantedHeap(20), { extra: { locations: [1, 2, 3, 4], samples: [] } }))
    const full = await parseHeapSnapshot(path)
    const light = await parseHeapSnapshot(path, { skipEdges: true, chunkBytes: 16 })
    expect(light.edgesSkipped).toBe(true)
    expect(light.edgeCount).toBe(0)
    expect(light.nodeCount).toBe(full.nodeCount)
    expect([...light.firstEdge]).toEqual(new Array(full.nodeCount + 1).fill(0))
    expect(dump(light).map((n) => n.slice(0, 4))).toEqual(dump(full).map((n) => n.slice(0, 4)))
    const truncated = await tmp.file('skip-cut.heapsnapshot', buildSnapshot(plantedHeap(20)).slice(0, -200))
    await expect(parseHeapSnapshot(truncated, { skipEdges: true })).rejects.toThrow(SnapshotInvalidError)
  })

  it('keeps self sizes of 4 GiB and more exactly', async () => {
    const g = await parseHeapSnapshot(await tmp.file('big.heapsnapshot', buildSnapshot([{ type: 'synthetic', name: '' }, { type: 'native', name: 'huge', selfSize: 6 * 2 ** 30 }])))
    expect(g.selfSize(1)).toBe(6 * 2 ** 30)
  })
})

describe('parseHeapSnapshot errors', () => {
  it('SNAPSHOT_NOT_FOUND for a missing file', async () => {
    const error = await parseHeapSnapshot(`${tmp.dir}/nope.heapsnapshot`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).code).toBe('SNAPSHOT_NOT_FOUND')
    expect((error as Error).message).toBe(`Heap snapshot not found: ${tmp.dir}/nope.heapsnapshot. Check the path (relative paths are resolved from the current directory).`)
  })

  it('an empty file fails at byte 0', async () => {
    const e = await invalid('', 'empty.heapsnapshot')
    expect(e.byteOffset).toBe(0)
    expect(e.message).toContain('the file is empty (0 bytes)')
  })

  it('a directory is not a snapshot', async () => {
    await mkdir(`${tmp.dir}/dir.heapsnapshot`)
    const e = await parseHeapSnapshot(`${tmp.dir}/dir.heapsnapshot`).catch((x: unknown) => x)
    expect((e as SnapshotInvalidError).code).toBe('SNAPSHOT_INVALID')
    expect((e as Error).message).toContain('this is a directory')
  })

  it('garbage fails where it starts', async () => {
    const e = await invalid('   GARBAGE')
    expect(e.byteOffset).toBe(3)
    expect(e.message).toContain(`expected '{'`)
    expect(e.message).toContain(`found 'G'`)
    const json = await invalid('{"hello": "world"}')
    expect(json.message).toContain(`no 'snapshot' header`)
  })

  it('every truncation of a valid snapshot fails with an offset inside the file', async () => {
    const text = buildSnapshot(plantedHeap(1))
    const bytes = Buffer.from(text)
    // Cut at every byte of the body (and every 13th of the JSON header, which JSON.parse checks),
    // except inside the trailing whitespace, which a complete object may lack.
    const full = text.trimEnd().length
    const body = text.indexOf('"nodes"')
    for (let cut = 1; cut < full; cut += cut < body ? 13 : 1) {
      const path = await tmp.file('cut.heapsnapshot', bytes.subarray(0, cut))
      const error = await parseHeapSnapshot(path, { chunkBytes: 256 }).catch((e: unknown) => e)
      expect(error, `cut at ${cut}`).toBeInstanceOf(SnapshotInvalidError)
      expect((error as SnapshotInvalidError).byteOffset).toBeLessThanOrEqual(cut)
    }
  })

  it('names the section and offset of a truncated array', async () => {
    const text = buildSnapshot(plantedHeap(4))
    const cut = text.indexOf('"edges"') + 20
    const e = await invalid(text.slice(0, cut))
    expect(e.byteOffset).toBe(cut)
    expect(e.message).toContain(`unexpected end of file inside 'edges' (the file looks truncated)`)
  })

  it('rejects inconsistent contents with the offset of the section', async () => {
    const text = buildSnapshot(plantedHeap(2))
    const edgesAt = text.indexOf('[', text.indexOf('"edges"'))
    const badTo = text.replace(/"edges":\[(\d+),(\d+),(\d+)/, (_m, t, n) => `"edges":[${t},${n},5`)
    const e1 = await invalid(badTo)
    expect(e1.byteOffset).toBe(edgesAt)
    expect(e1.message).toContain('edge 0 has to_node 5, which is not the start of a node row')
    const e2 = await invalid(text.replace('"node_count":8', '"node_count":9'))
    expect(e2.message).toContain('the header declares 9 nodes but')
    const e3 = await invalid(text.replace('"nodes":[9,', '"nodes":[9,-'))
    expect(e3.message).toContain(`in 'nodes': expected a non-negative integer but found '-'`)
    expect(e3.byteOffset).toBe(text.indexOf('"nodes":[9,') + 11)
    const e4 = await invalid(text.replace('"strings":[', '"strings":[1,'))
    expect(e4.message).toContain(`in 'strings': expected a string but found '1'`)
  })
})
