import { describe, expect, it } from 'vitest'
import { classifyNodes, classNameFor, parseHeapSnapshot, summarizeHeap } from '../../src/snapshot/index.js'
import { graphOf } from './helpers/graph.js'
import { buildSnapshot, tempDir } from './helpers/synthetic.js'

describe('classNameFor', () => {
  it('follows the DevTools Summary view', () => {
    expect(classNameFor('object', 'Planted')).toBe('Planted')
    expect(classNameFor('native', 'system / JSArrayBufferData')).toBe('system / JSArrayBufferData')
    expect(classNameFor('object', '')).toBe('(anonymous)')
    expect(classNameFor('closure', 'run')).toBe('(closure)')
    expect(classNameFor('string', 'hello')).toBe('(string)')
    expect(classNameFor('hidden', 'system / Foo')).toBe('(system)')
    expect(classNameFor('code', 'x')).toBe('(compiled code)')
    expect(classNameFor('concatenated string', 'ab')).toBe('(concatenated string)')
  })
})

describe('summarizeHeap', () => {
  // root → global → list head (LinkedNode) → LinkedNode → LinkedNode, each with a (string) payload;
  // a second path to the middle node's payload from a Holder keeps it shared.
  const graph = graphOf(
    [
      { type: 'synthetic', name: '', selfSize: 0 },
      { name: 'global', selfSize: 40 },
      { name: 'LinkedNode', selfSize: 24 },
      { name: 'LinkedNode', selfSize: 24 },
      { name: 'LinkedNode', selfSize: 24 },
      { type: 'string', name: 'a', selfSize: 16 },
      { type: 'string', name: 'b', selfSize: 16 },
      { type: 'string', name: 'c', selfSize: 16 },
      { name: 'Holder', selfSize: 8 },
      { type: 'closure', name: 'orphan', selfSize: 32 },
    ],
    [
      { from: 0, to: 1, type: 'shortcut', name: 'global' },
      { from: 1, to: 2, name: 'head' },
      { from: 1, to: 8, name: 'holder' },
      { from: 2, to: 3, name: 'next' },
      { from: 3, to: 4, name: 'next' },
      { from: 2, to: 5, name: 'payload' },
      { from: 3, to: 6, name: 'payload' },
      { from: 4, to: 7, name: 'payload' },
      { from: 8, to: 6, name: 'shared' },
    ],
  )

  it('counts every node and sums self sizes per class', () => {
    const s = summarizeHeap(graph)
    const row = (name: string) => s.classes.find((c) => c.className === name)
    expect(row('LinkedNode')).toMatchObject({ nodeType: 'object', count: 3, selfSizeBytes: 72 })
    expect(row('(string)')).toMatchObject({ nodeType: 'string', count: 3, selfSizeBytes: 48 })
    expect(row('(closure)')).toMatchObject({ count: 1, selfSizeBytes: 32, retainedSizeBytes: 0 })
    expect(s.totalSelfSizeBytes).toBe(40 + 72 + 48 + 8 + 32)
    expect(s.reachableSizeBytes).toBe(40 + 72 + 48 + 8)
    expect(s.unreachableCount).toBe(1)
  })

  it('counts a class retained size once per dominating instance (no double counting down a list)', () => {
    const s = summarizeHeap(graph)
    const row = (name: string) => s.classes.find((c) => c.className === name)!
    // The head dominates the whole list and the payloads a and c; b is shared with Holder.
    expect(row('LinkedNode').retainedSizeBytes).toBe(72 + 16 + 16)
    // Strings: each string dominates only itself; b is dominated by global, still counted once.
    expect(row('(string)').retainedSizeBytes).toBe(48)
    expect(row('global').retainedSizeBytes).toBe(40 + 72 + 48 + 8)
    // Sorted by retained size.
    expect(s.classes.map((c) => c.className)).toEqual(['global', 'LinkedNode', '(string)', 'Holder', '(closure)', '(synthetic)'])
  })

  it('merges classes whose names are equal even when stored as different strings', async () => {
    const text = buildSnapshot([
      { type: 'synthetic', name: '', edges: [{ type: 'element', name: 1, to: 1 }, { type: 'element', name: 2, to: 2 }] },
      { type: 'object', name: 'Twin', selfSize: 8 },
      { type: 'object', name: 'TwinX', selfSize: 8 },
    ]).replace('"TwinX"', '"Twin"')
    const tmp = await tempDir()
    try {
      const g = await parseHeapSnapshot(await tmp.file('twins.heapsnapshot', text))
      expect(g.nodeName[1]).not.toBe(g.nodeName[2])
      const table = classifyNodes(g)
      expect(table.classOf[1]).toBe(table.classOf[2])
      expect(summarizeHeap(g).classes.find((c) => c.className === 'Twin')).toMatchObject({ count: 2, selfSizeBytes: 16, retainedSizeBytes: 16 })
    } finally {
      await tmp.cleanup()
    }
  })
})
