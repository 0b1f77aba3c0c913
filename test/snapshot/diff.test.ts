import { describe, expect, it } from 'vitest'
import { addedObjectsByClass, diffSnapshots, digestSnapshot } from '../../src/snapshot/index.js'
import { graphOf, type NodeSpec } from './helpers/graph.js'

const root: NodeSpec = { type: 'synthetic', name: '', selfSize: 0, id: 1 }
const global: NodeSpec = { name: 'global', selfSize: 40, id: 3 }
const a = (id: number): NodeSpec => ({ name: 'A', selfSize: 10, id })
const b = (id: number): NodeSpec => ({ name: 'B', selfSize: 7, id })

// Ids are what match objects across snapshots; node order is deliberately shuffled.
const before = graphOf([root, a(105), global, b(203), a(101), a(103), b(201)], [])
const after = graphOf([root, { name: 'C', selfSize: 100, id: 301 }, a(109), global, a(103), a(107), a(105)], [])

describe('diffSnapshots', () => {
  const diff = diffSnapshots(digestSnapshot(before), digestSnapshot(after))

  it('reports added, removed and net per class, largest growth first', () => {
    expect(diff.classes).toEqual([
      { className: 'C', nodeType: 'object', countBefore: 0, countAfter: 1, sizeBeforeBytes: 0, sizeAfterBytes: 100, addedCount: 1, addedSizeBytes: 100, removedCount: 0, removedSizeBytes: 0, netCount: 1, netSizeBytes: 100 },
      { className: 'A', nodeType: 'object', countBefore: 3, countAfter: 4, sizeBeforeBytes: 30, sizeAfterBytes: 40, addedCount: 2, addedSizeBytes: 20, removedCount: 1, removedSizeBytes: 10, netCount: 1, netSizeBytes: 10 },
      { className: 'B', nodeType: 'object', countBefore: 2, countAfter: 0, sizeBeforeBytes: 14, sizeAfterBytes: 0, addedCount: 0, addedSizeBytes: 0, removedCount: 2, removedSizeBytes: 14, netCount: -2, netSizeBytes: -14 },
    ])
    expect(diff).toMatchObject({ addedCount: 3, addedSizeBytes: 120, removedCount: 3, removedSizeBytes: 24 })
    expect(diff.before).toMatchObject({ nodeCount: 7, totalSelfSizeBytes: 40 + 30 + 14 })
    expect(diff.after).toMatchObject({ nodeCount: 7, totalSelfSizeBytes: 100 + 40 + 40 })
  })

  it('finds the added objects of chosen classes, by ordinal in the later graph', () => {
    const added = addedObjectsByClass(digestSnapshot(before), digestSnapshot(after), [{ className: 'A', nodeType: 'object' }])
    expect([...added.keys()]).toHaveLength(1)
    const ordinals = [...added.values()][0]!
    expect([...ordinals].map((o) => after.nodeId[o])).toEqual([107, 109])
  })

  it('reports nothing between a snapshot and itself', () => {
    const same = diffSnapshots(digestSnapshot(after), digestSnapshot(after))
    expect(same.classes).toEqual([])
    expect(same.addedCount + same.removedCount).toBe(0)
  })
})
