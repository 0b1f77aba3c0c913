import { describe, expect, it } from 'vitest'
import { clusterRetainers, retainerPath, shortestPathTree } from '../../src/snapshot/index.js'
import { graphOfSynth } from './helpers/graph.js'
import { plantedHeap, type SynthNode } from './helpers/synthetic.js'

/** Text of the shortest path to the first node named `name`. */
function pathText(nodes: SynthNode[], name: string): string | undefined {
  const g = graphOfSynth(nodes)
  const o = nodes.findIndex((n) => n.name === name)
  return retainerPath(g, shortestPathTree(g), o)?.text
}

/** root ⇢ global (shortcut) and root → (GC roots) → (Global handles), plus `extra` nodes from index 4. */
function heap(globalEdges: SynthNode['edges'], handleEdges: SynthNode['edges'], extra: SynthNode[]): SynthNode[] {
  return [
    { type: 'synthetic', name: '', edges: [{ type: 'element', name: 1, to: 1 }, { type: 'shortcut', name: 'global', to: 3 }] },
    { type: 'synthetic', name: '(GC roots)', edges: [{ type: 'element', name: 1, to: 2 }] },
    { type: 'synthetic', name: '(Global handles)', edges: handleEdges },
    { type: 'object', name: 'global', edges: globalEdges },
    ...extra,
  ]
}

describe('retainer paths', () => {
  it('names the global variable and the Map, and hides the hash table and its slot', () => {
    const nodes = plantedHeap(3)
    const g = graphOfSynth(nodes)
    const path = retainerPath(g, shortestPathTree(g), 7)!
    expect(path.text).toBe('Map (global leakyCache) → table → Planted')
    expect(path.nodeId).toBe(1003)
    expect(path.steps.map((s) => [s.edgeType, s.edge, s.className])).toEqual([
      ['shortcut', 'global', 'global'],
      ['property', 'leakyCache', 'Map'],
      ['internal', 'table', '(array)'],
      ['internal', '1', 'Planted'],
    ])
  })

  it("starts at V8's root category when no user root leads there", () => {
    expect(pathText(heap([], [{ type: 'internal', name: '7', to: 4 }], [{ type: 'object', name: 'Session', edges: [{ type: 'property', name: 'user', to: 5 }] }, { type: 'object', name: 'User' }]), 'User')).toBe(
      '(Global handles) → Session → user → User',
    )
  })

  it('prefers a path through a user root over an equally short internal one', () => {
    const nodes = heap(
      [{ type: 'property', name: 'w', to: 4 }],
      [{ type: 'internal', name: '1', to: 5 }],
      [{ type: 'object', name: 'Wrapper', edges: [{ type: 'property', name: 'inner', to: 5 }] }, { type: 'object', name: 'Map' }],
    )
    expect(pathText(nodes, 'Map')).toBe('Wrapper (global w) → inner → Map')
  })

  it('shows JS array indices and closure variables', () => {
    const nodes = heap(
      [{ type: 'property', name: 'list', to: 4 }, { type: 'property', name: 'handler', to: 6 }],
      [],
      [
        { type: 'object', name: 'Array', edges: [{ type: 'element', name: 0, to: 5 }] },
        { type: 'object', name: 'Item' },
        { type: 'closure', name: 'handler', edges: [{ type: 'internal', name: 'context', to: 7 }] },
        { type: 'object', name: 'system / Context', edges: [{ type: 'context', name: 'cache', to: 8 }] },
        { type: 'object', name: 'Cache' },
      ],
    )
    expect(pathText(nodes, 'Item')).toBe('Array (global list) → [0] → Item')
    expect(pathText(nodes, 'Cache')).toBe('handler() (global handler) → context → system / Context → cache → Cache')
  })

  it('has no path for an object only reachable through a weak edge', () => {
    const nodes = heap([{ type: 'weak', name: 'w', to: 4 }], [], [{ type: 'object', name: 'Ghost' }])
    expect(pathText(nodes, 'Ghost')).toBeUndefined()
  })

  it('clusters objects whose paths differ only in array indices', () => {
    const items: SynthNode[] = Array.from({ length: 10 }, () => ({ type: 'object', name: 'Item', selfSize: 12 }))
    const nodes = heap(
      [{ type: 'property', name: 'list', to: 4 }, { type: 'property', name: 'one', to: 15 }],
      [],
      [{ type: 'object', name: 'Array', edges: items.map((_, k) => ({ type: 'element', name: k, to: 5 + k })) }, ...items, { type: 'object', name: 'Item', selfSize: 12 }],
    )
    const g = graphOfSynth(nodes)
    const ordinals = Uint32Array.from({ length: 11 }, (_, k) => 5 + k)
    const result = clusterRetainers(g, shortestPathTree(g), ordinals)
    expect(result.examined).toBe(11)
    expect(result.unreachable).toBe(0)
    expect(result.clusters.map((c) => [c.count, c.sizeBytes, c.path.text])).toEqual([
      [10, 120, 'Array (global list) → [0] → Item'],
      [1, 12, 'Item (global one)'],
    ])
    const sampled = clusterRetainers(g, shortestPathTree(g), ordinals, { maxExamined: 4, maxClusters: 1 })
    expect(sampled.examined).toBe(4)
    expect(sampled.clusters).toHaveLength(1)
  })
})
