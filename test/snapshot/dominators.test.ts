import { describe, expect, it } from 'vitest'
import { computeDominators, UNREACHABLE } from '../../src/snapshot/index.js'
import { graphOf, prng, type EdgeSpec, type NodeSpec } from './helpers/graph.js'

/**
 * Dominator sets by the textbook fixed point Dom(v) = {v} ∪ ⋂ Dom(p) over predecessors p,
 * following the same edge rules (no weak edges, shortcuts only from the root).
 */
function naiveDominators(n: number, edges: readonly EdgeSpec[]): (Set<number> | undefined)[] {
  const strong = edges.filter((e) => e.type !== 'weak' && (e.type !== 'shortcut' || e.from === 0))
  const reach = new Set([0])
  for (let changed = true; changed; ) {
    changed = false
    for (const e of strong) if (reach.has(e.from) && !reach.has(e.to)) (reach.add(e.to), (changed = true))
  }
  const all = new Set(reach)
  const dom: (Set<number> | undefined)[] = Array.from({ length: n }, (_, v) => (v === 0 ? new Set([0]) : reach.has(v) ? new Set(all) : undefined))
  for (let changed = true; changed; ) {
    changed = false
    for (let v = 1; v < n; v++) {
      if (!reach.has(v)) continue
      let meet: Set<number> | undefined
      for (const e of strong) {
        if (e.to !== v || !reach.has(e.from)) continue
        const d = dom[e.from]!
        meet = meet ? new Set([...meet].filter((x) => d.has(x))) : new Set(d)
      }
      const next = new Set(meet ?? [])
      next.add(v)
      if (next.size !== dom[v]!.size) (dom[v] = next), (changed = true)
    }
  }
  return dom
}

/** The immediate dominator: the strict dominator that all other strict dominators dominate. */
function idomFromSets(dom: (Set<number> | undefined)[], v: number): number {
  const strict = [...dom[v]!].filter((d) => d !== v)
  return strict.reduce((best, d) => (dom[d]!.size > dom[best]!.size ? d : best))
}

describe('computeDominators', () => {
  it('matches a hand-worked graph, skipping weak edges and non-root shortcuts', () => {
    //        0
    //       / \
    //      1   2 ←┐
    //       \ /   │ (weak 5→2 does not count)
    //        3    │
    //        |    │
    //        4 → 5┘  and a shortcut 1 ⇢ 5 that does not count either
    const nodes: NodeSpec[] = [1, 10, 20, 30, 40, 50, 60].map((selfSize) => ({ selfSize }))
    const edges: EdgeSpec[] = [
      { from: 0, to: 1 },
      { from: 0, to: 2 },
      { from: 1, to: 3 },
      { from: 2, to: 3 },
      { from: 3, to: 4 },
      { from: 4, to: 5 },
      { from: 5, to: 2, type: 'weak' },
      { from: 1, to: 5, type: 'shortcut' },
      { from: 6, to: 0 },
    ]
    const { idom, retainedSize, order } = computeDominators(graphOf(nodes, edges))
    expect([...idom]).toEqual([0, 0, 0, 0, 3, 4, UNREACHABLE])
    expect([...retainedSize]).toEqual([1 + 10 + 20 + 30 + 40 + 50, 10, 20, 30 + 40 + 50, 40 + 50, 50, 60])
    expect(order[0]).toBe(0)
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('agrees with the textbook fixed point on 300 random graphs', () => {
    const random = prng(42)
    for (let round = 0; round < 300; round++) {
      const n = 2 + Math.floor(random() * 30)
      const edgeCount = Math.floor(random() * n * 3)
      const types = ['property', 'element', 'internal', 'weak', 'shortcut', 'hidden', 'context']
      const edges: EdgeSpec[] = Array.from({ length: edgeCount }, () => ({
        from: Math.floor(random() * n),
        to: Math.floor(random() * n),
        type: types[Math.floor(random() * types.length)]!,
      }))
      // Make most nodes reachable through a random spanning chain.
      for (let v = 1; v < n; v++) if (random() < 0.8) edges.push({ from: Math.floor(random() * v), to: v })
      const nodes = Array.from({ length: n }, () => ({ selfSize: 1 + Math.floor(random() * 100) }))
      const { idom, retainedSize } = computeDominators(graphOf(nodes, edges))
      const dom = naiveDominators(n, edges)
      for (let v = 0; v < n; v++) {
        if (!dom[v]) {
          expect(idom[v], `round ${round} node ${v}`).toBe(UNREACHABLE)
          expect(retainedSize[v]).toBe(nodes[v]!.selfSize)
          continue
        }
        expect(idom[v], `round ${round} node ${v}`).toBe(v === 0 ? 0 : idomFromSets(dom, v))
        const retained = nodes.reduce((sum, node, w) => sum + (dom[w]?.has(v) ? node.selfSize : 0), 0)
        expect(retainedSize[v], `round ${round} node ${v}`).toBe(retained)
      }
    }
  })

  it('handles a chain of 300,000 nodes without recursion', () => {
    const n = 300_000
    const nodes = Array.from({ length: n }, () => ({ selfSize: 2 }))
    const edges = Array.from({ length: n - 1 }, (_, v) => ({ from: v, to: v + 1 }))
    const { idom, retainedSize } = computeDominators(graphOf(nodes, edges))
    expect(idom[n - 1]).toBe(n - 2)
    expect(retainedSize[0]).toBe(2 * n)
    expect(retainedSize[n / 2]).toBe(2 * (n / 2))
  })
})
