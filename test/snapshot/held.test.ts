/** Held size per class: each byte credited once, to the nearest holder on its dominator path. */
import { describe, expect, it } from 'vitest'
import { classHeldSizes, classifyNodes, computeDominators, isHolderClass } from '../../src/snapshot/index.js'
import { graphOf } from './helpers/graph.js'

describe('isHolderClass', () => {
  it('takes named object classes as holders, not built-in containers, V8 internals or data types', () => {
    expect(isHolderClass('object', 'CachedResponse')).toBe(true)
    expect(isHolderClass('object', 'Error')).toBe(true)
    for (const name of ['Object', 'Array', 'Map', 'Buffer', 'ArrayBuffer', 'Uint8Array', 'system / Context', '(anonymous)']) expect(isHolderClass('object', name)).toBe(false)
    expect(isHolderClass('native', 'system / JSArrayBufferData')).toBe(false)
    expect(isHolderClass('string', '(string)')).toBe(false)
    expect(isHolderClass('closure', '(closure)')).toBe(false)
  })
})

describe('classHeldSizes', () => {
  // root → global (holder) → Array → (array) → Record ×2, each → Buffer → ArrayBuffer → backing store;
  // Record #2 also nests a Record holding a string; a string shared by both top Records stays with (string);
  // a Map under global keeps a string no holder below global dominates.
  const graph = graphOf(
    [
      { type: 'synthetic', name: '', selfSize: 0 }, // 0
      { name: 'global', selfSize: 40 }, // 1
      { name: 'Array', selfSize: 32 }, // 2
      { type: 'array', name: '', selfSize: 24 }, // 3
      { name: 'Record', selfSize: 16 }, // 4
      { name: 'Record', selfSize: 16 }, // 5
      { name: 'Buffer', selfSize: 96 }, // 6
      { name: 'ArrayBuffer', selfSize: 88 }, // 7
      { type: 'native', name: 'system / JSArrayBufferData', selfSize: 65536 }, // 8
      { name: 'Buffer', selfSize: 96 }, // 9
      { name: 'ArrayBuffer', selfSize: 88 }, // 10
      { type: 'native', name: 'system / JSArrayBufferData', selfSize: 65536 }, // 11
      { name: 'Record', selfSize: 16 }, // 12: nested in 5
      { type: 'string', name: 'inner', selfSize: 1000 }, // 13: held by 12
      { type: 'string', name: 'shared', selfSize: 500 }, // 14: referenced by 4 and 5
      { name: 'Map', selfSize: 40 }, // 15
      { type: 'string', name: 'key', selfSize: 300 }, // 16
      { type: 'closure', name: 'orphan', selfSize: 32 }, // 17: unreachable
    ],
    [
      { from: 0, to: 1, type: 'shortcut', name: 'global' },
      { from: 1, to: 2, name: 'records' },
      { from: 1, to: 15, name: 'cache' },
      { from: 2, to: 3, type: 'internal', name: 'elements' },
      { from: 3, to: 4, type: 'element', name: 0 },
      { from: 3, to: 5, type: 'element', name: 1 },
      { from: 4, to: 6, name: 'data' },
      { from: 6, to: 7, type: 'internal', name: 'buffer' },
      { from: 7, to: 8, type: 'internal', name: 'backing_store' },
      { from: 5, to: 9, name: 'data' },
      { from: 9, to: 10, type: 'internal', name: 'buffer' },
      { from: 10, to: 11, type: 'internal', name: 'backing_store' },
      { from: 5, to: 12, name: 'child' },
      { from: 12, to: 13, name: 'text' },
      { from: 4, to: 14, name: 'tag' },
      { from: 5, to: 14, name: 'tag' },
      { from: 15, to: 16, type: 'internal', name: 'table' },
    ],
  )
  const table = classifyNodes(graph)
  const held = classHeldSizes(graph, computeDominators(graph), table)
  const of = (name: string) => held[table.names.indexOf(name)]

  it('credits a data type’s bytes and its containers to the nearest holder, nested holders keeping their own', () => {
    expect(of('Record')).toBe(16 * 3 + 2 * (96 + 88 + 65536) + 1000)
    expect(of('system / JSArrayBufferData')).toBe(0)
    expect(of('Buffer')).toBe(0)
    expect(of('ArrayBuffer')).toBe(0)
    // A shared string is dominated by the array, whose holder is global: global holds it with the containers.
    expect(of('(string)')).toBe(0)
    expect(of('global')).toBe(40 + 32 + 24 + 500 + 40 + 300)
    expect(of('Array')).toBe(0)
    expect(of('Map')).toBe(0)
  })

  it('partitions the reachable heap: held sizes add up to it, unreachable objects count nowhere', () => {
    const reachable = [...Array(graph.nodeCount).keys()].filter((o) => o !== 17).reduce((n, o) => n + graph.selfSize(o), 0)
    expect(held.reduce((n, x) => n + x, 0)).toBe(reachable)
    expect(of('(closure)')).toBe(0)
  })

  it('leaves bytes no holder dominates with their own class', () => {
    const g = graphOf(
      [
        { type: 'synthetic', name: '', selfSize: 0 },
        { type: 'object', name: 'Map', selfSize: 40 },
        { type: 'string', name: 'big', selfSize: 4096 },
      ],
      [
        { from: 0, to: 1, type: 'element', name: 1 },
        { from: 1, to: 2, type: 'internal', name: 'table' },
      ],
    )
    const t = classifyNodes(g)
    const h = classHeldSizes(g, computeDominators(g), t)
    expect(h[t.names.indexOf('(string)')]).toBe(4096)
    expect(h[t.names.indexOf('Map')]).toBe(40)
  })
})
