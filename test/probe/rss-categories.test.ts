/**
 * Hand-written smaps layouts with worked expectations. Addresses and sizes follow real Node 20
 * processes on x86-64 (glibc 2.36): V8 pages at random addresses below 2^46, everything glibc
 * maps in the mmap area near 2^47.
 */
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { MiB } from '../../src/common/units.js'
import { attributeSmaps, type RssAttribution } from '../../src/probe/rss-categories.js'
import { describeRssDiff, diffRssCategories, formatDelta } from '../../src/probe/rss-categories-diff.js'
import { RSS_CATEGORY_KINDS, sharedObjectName } from '../../src/probe/smaps-classify.js'
import { smapsText, type Vma } from './fixtures/smaps-text.js'

const KiB = 1024
const ORT = '/app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1.20.1'
const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6'
const SHARP = '/app/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node'

/** A Node process with ONNX Runtime and sharp loaded. Comments give where each mapping goes and why. */
const NODE_PROCESS: Vma[] = [
  { range: '00400000-00b6f000', perms: 'r--p', path: '/usr/bin/node', rssKb: 7216, pssKb: 2121 }, // node
  { range: '00b72000-025fe000', perms: 'r-xp', path: '/usr/bin/node', rssKb: 21880, pssKb: 5000 }, // node (code, shared)
  { range: '0563e000-0565d000', perms: 'rw-p', path: '/usr/bin/node', rssKb: 124 }, // node (data)
  { range: '0565d000-05689000', perms: 'rw-p', rssKb: 176 }, // node: .bss, anonymous right after its data
  { range: '0b7d1000-0bab7000', perms: 'rw-p', path: '[heap]', rssKb: 2968 }, // glibc malloc [heap]
  { range: '917ec0000-917f00000', perms: 'rw-p', rssKb: 256 }, // V8: 256 KiB page, aligned, below 2^46
  { range: '1d25570c0000-1d25570f8000', perms: 'rw-p', rssKb: 200 }, // V8: aligned start, 224 KiB
  { range: '24fde9f00000-24fde9f0d000', perms: 'r--p', rssKb: 52 }, // V8: read-only space
  { range: '3fff9f100000-3fff9f140000', perms: 'rw-p', rssKb: 128, swapKb: 128 }, // V8, half swapped out
  { range: '41b95862000-41b9586c000', perms: 'rwxp', rssKb: 40 }, // V8: JIT code (executable anonymous)
  { range: '41b9586c000-41b9586e000', perms: '---p' }, // other anonymous (no RSS)
  { range: '41d14000000-41d54000000', perms: 'rw-p', rssKb: 7372 }, // V8: young generation, one 1 GiB reservation
  { range: '7f98e3fff000-7f98e8000000', perms: 'rw-p', rssKb: 65540 }, // malloc mmap block: a 64 MiB Buffer (+4 KiB header page)
  { range: '7f98e8000000-7f98e8055000', perms: 'rw-p', rssKb: 340 }, // arena: 64 MiB-aligned ...
  { range: '7f98e8055000-7f98ec000000', perms: '---p' }, // ... and its remainder to exactly 64 MiB
  { range: '7f98ec000000-7f98f0000000', perms: 'rw-p', rssKb: 30000 }, // arena grown to the full 64 MiB
  { range: '7f98f0000000-7f98f0021000', perms: 'rw-p', rssKb: 100 }, // arena
  { range: '7f98f0021000-7f98f4000000', perms: '---p' }, // arena remainder
  { range: '7f9910000000-7f9910040000', perms: 'rw-p', rssKb: 256 }, // malloc mmap block: aligned like V8 and an arena, but in the mmap area with no remainder
  { range: '7f991d539000-7f991d53a000', perms: '---p' }, // stack guard (4 KiB)
  { range: '7f991d53a000-7f991dd3a000', perms: 'rw-p', rssKb: 24 }, // thread stack, 8 MiB
  { range: '7f991dd3a000-7f991dd3b000', perms: '---p' }, // stack guard
  { range: '7f991dd3b000-7f991e53b000', perms: 'rw-p', rssKb: 2048 }, // thread stack (deep recursion)
  { range: '7f991e53b000-7f991e5d0000', perms: 'rw-p', rssKb: 596 }, // malloc mmap block: after a stack, not after a guard
  { range: '7f991e600000-7f991e680000', perms: '---p' }, // other anonymous: a 512 KiB reservation is no guard ...
  { range: '7f991e680000-7f991e686000', perms: 'rw-p', rssKb: 24 }, // ... so this is other anonymous (too small for malloc's mmap)
  { range: '7f991e700000-7f991e710000', perms: 'rw-p', rssKb: 64 }, // other anonymous: 64 KiB
  { range: '7fceb5400000-7fceb553c000', perms: 'r--p', path: ORT, rssKb: 1264 }, // libonnxruntime.so
  { range: '7fceb553c000-7fceb77c9000', perms: 'r-xp', path: ORT, rssKb: 20428 },
  { range: '7fceb77c9000-7fceb7f2d000', perms: 'r--p', path: ORT, rssKb: 2332, anonKb: 400 }, // relro: relocated, copied on write
  { range: '7fceb7f2d000-7fceb7fad000', perms: 'rw-p', path: ORT, rssKb: 512 },
  { range: '7fceb7fad000-7fceb7fb0000', perms: 'rw-p', rssKb: 12 }, // its .bss
  { range: '7fd67d007000-7fd67d05e000', perms: 'r--p', path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', rssKb: 312 }, // file
  { range: '7fd67d060000-7fd67d070000', perms: 'rw-s', path: '/dev/shm/memgate-test (deleted)', rssKb: 64, anonKb: 0 }, // file (shared memory)
  { range: '7fd6a8540000-7fd6a8564000', perms: 'r--p', path: LIBC, rssKb: 152, pssKb: 4 }, // libc.so
  { range: '7fd6a8564000-7fd6a86ba000', perms: 'r-xp', path: LIBC, rssKb: 1240, pssKb: 30 },
  { range: '7fd6a86ba000-7fd6a870d000', perms: 'r--p', path: LIBC, rssKb: 100, pssKb: 2 },
  { range: '7fd6a870d000-7fd6a8711000', perms: 'r--p', path: LIBC, rssKb: 16, anonKb: 16 },
  { range: '7fd6a8711000-7fd6a8713000', perms: 'rw-p', path: LIBC, rssKb: 8 },
  { range: '7fd6a8713000-7fd6a8720000', perms: 'rw-p', rssKb: 20 }, // libc .bss
  { range: '7fd6a8720000-7fd6a8730000', perms: 'r--p', path: SHARP, rssKb: 64 }, // sharp-linux-x64.node
  { range: '7fd6a8730000-7fd6a8740000', perms: 'r-xp', path: SHARP, rssKb: 32 },
  { range: '7fff5f06a000-7fff5f08b000', perms: 'rw-p', path: '[stack]', rssKb: 132 }, // main thread stack
  { range: '7fff5f0e1000-7fff5f0e5000', perms: 'r--p', path: '[vvar]' }, // [vdso]
  { range: '7fff5f0e5000-7fff5f0e7000', perms: 'r-xp', path: '[vdso]', rssKb: 8, pssKb: 0 },
  { range: 'ffffffffff600000-ffffffffff601000', perms: '--xp', path: '[vsyscall]' },
]

/** Worked out from the comments above: category → [rss, pss, anonymous, swap] in kB. */
const EXPECTED: Record<string, [number, number, number, number]> = {
  'malloc mmap blocks': [65540 + 256 + 596, 65540 + 256 + 596, 65540 + 256 + 596, 0],
  'glibc malloc arenas': [340 + 30000 + 100, 340 + 30000 + 100, 340 + 30000 + 100, 0],
  node: [7216 + 21880 + 124 + 176, 2121 + 5000 + 124 + 176, 124 + 176, 0],
  'libonnxruntime.so': [1264 + 20428 + 2332 + 512 + 12, 1264 + 20428 + 2332 + 512 + 12, 400 + 512 + 12, 0],
  'V8 heap': [256 + 200 + 52 + 128 + 40 + 7372, 256 + 200 + 52 + 128 + 40 + 7372, 256 + 200 + 52 + 128 + 40 + 7372, 128],
  'glibc malloc [heap]': [2968, 2968, 2968, 0],
  'thread stacks': [24 + 2048 + 132, 24 + 2048 + 132, 24 + 2048 + 132, 0],
  'libc.so': [152 + 1240 + 100 + 16 + 8 + 20, 4 + 30 + 2 + 16 + 8 + 20, 16 + 8 + 20, 0],
  'file mappings': [312 + 64, 312 + 64, 0, 0],
  'sharp-linux-x64.node': [96, 96, 0, 0],
  'other anonymous': [24 + 64, 24 + 64, 24 + 64, 0],
  '[vdso]': [8, 0, 0, 0],
}

function kb(a: RssAttribution): Record<string, [number, number, number, number]> {
  return Object.fromEntries(a.categories.map((c) => [c.name, [c.rssBytes / KiB, c.pssBytes / KiB, c.anonBytes / KiB, c.swapBytes / KiB]]))
}

function sumOf(a: RssAttribution, key: 'rssBytes' | 'pssBytes' | 'anonBytes' | 'swapBytes'): number {
  return a.categories.reduce((s, c) => s + c[key], 0)
}

describe('attributeSmaps on a hand-written Node process', () => {
  const text = smapsText(NODE_PROCESS)

  it('puts every mapping where the worked expectations say', () => {
    const a = attributeSmaps(text)
    expect(kb(a)).toEqual(EXPECTED)
    expect(a.mappingCount).toBe(NODE_PROCESS.length)
    expect(a.categories.every((c) => c.basis === 'mappings')).toBe(true)
    // Largest RSS first.
    expect(a.categories.map((c) => c.name).slice(0, 3)).toEqual(['malloc mmap blocks', 'glibc malloc arenas', 'node'])
  })

  it('sums to the RSS, PSS, anonymous and swap it splits', () => {
    const a = attributeSmaps(text)
    const rssKb = NODE_PROCESS.reduce((s, v) => s + (v.rssKb ?? 0), 0)
    expect(a.rssBytes).toBe(rssKb * KiB)
    for (const key of ['rssBytes', 'pssBytes', 'anonBytes', 'swapBytes'] as const) expect(sumOf(a, key), key).toBe(a[key])
    expect(a.categories.every((c) => (RSS_CATEGORY_KINDS as readonly string[]).includes(c.kind))).toBe(true)
  })

  it('carves ArrayBuffers out of the malloc mmap blocks by the hint, keeping the sum', () => {
    const a = attributeSmaps(text, { arrayBuffersBytes: 64 * MiB, externalBytes: 64 * MiB + 100 })
    const buffers = a.categories.find((c) => c.kind === 'array-buffers')
    expect(buffers).toMatchObject({ name: 'ArrayBuffers/external', basis: 'hint', rssBytes: 64 * MiB + 100, pssBytes: 64 * MiB + 100 })
    expect(a.categories.find((c) => c.name === 'malloc mmap blocks')?.rssBytes).toBe((65540 + 256 + 596) * KiB - (64 * MiB + 100))
    for (const key of ['rssBytes', 'pssBytes', 'anonBytes', 'swapBytes'] as const) expect(sumOf(a, key), key).toBe(a[key])
  })

  it('never carves more than the malloc mmap blocks hold', () => {
    const a = attributeSmaps(text, { externalBytes: 500 * MiB })
    expect(kb(a)['ArrayBuffers/external']).toEqual(EXPECTED['malloc mmap blocks'])
    expect(kb(a)['malloc mmap blocks']).toEqual([0, 0, 0, 0])
  })

  it('does not need the V8 hint where addresses tell V8 pages apart', () => {
    expect(kb(attributeSmaps(text, { v8HeapBytes: 1 * MiB }))).toEqual(EXPECTED)
  })

  it('rejects a hint that is not a byte count', () => {
    expect(() => attributeSmaps(text, { v8HeapBytes: -1 })).toThrow(ConfigError)
    expect(() => attributeSmaps(text, { arrayBuffersBytes: Number.NaN })).toThrow(/hints\.arrayBuffersBytes/)
  })
})

describe('attributeSmaps where V8 pages share the mmap area (39-bit address space)', () => {
  const LOW: Vma[] = [
    { range: '7f80000000-7f80040000', perms: 'rw-p', rssKb: 256 }, // V8 page
    { range: '7f80100000-7f80140000', perms: 'rw-p', rssKb: 256 }, // V8 page
    { range: '7f80200000-7f80400000', perms: 'rw-p', rssKb: 2048 }, // a 2 MiB malloc block, 256 KiB-aligned by chance
    { range: '7f80401000-7f80500000', perms: 'rw-p', rssKb: 1020 }, // malloc mmap block (unaligned)
    { range: '7f8a000000-7f8a001000', perms: '---p' },
    { range: '7f8a001000-7f8a801000', perms: 'rw-p', rssKb: 16 }, // thread stack
    { range: '7fb0000000-7fb0100000', perms: 'r-xp', path: LIBC, rssKb: 100 },
    { range: '7fc0000000-7fc0021000', perms: 'rw-p', path: '[stack]', rssKb: 132 },
  ]

  it('takes every 256 KiB-aligned anonymous mapping for V8 without a hint', () => {
    const a = kb(attributeSmaps(smapsText(LOW)))
    expect(a['V8 heap']?.[0]).toBe(256 + 256 + 2048)
    expect(a['malloc mmap blocks']?.[0]).toBe(1020)
    expect(a['thread stacks']?.[0]).toBe(16 + 132)
  })

  it('caps V8 at the committed-heap hint (+5% and 1 MiB) and gives the rest to malloc', () => {
    const a = kb(attributeSmaps(smapsText(LOW), { v8HeapBytes: 512 * KiB }))
    expect(a['V8 heap']?.[0]).toBe(512)
    expect(a['malloc mmap blocks']?.[0]).toBe(2048 + 1020)
  })
})

describe('attributeSmaps edge cases', () => {
  it('trusts glibc ≥ 2.39 mapping names ([anon: glibc: ...])', () => {
    const a = kb(
      attributeSmaps(
        smapsText([
          { range: '7f0000001000-7f0000100000', perms: 'rw-p', path: '[anon: glibc: malloc arena]', rssKb: 10 },
          { range: '7f0000200000-7f0000300000', perms: 'rw-p', path: '[anon: glibc: malloc]', rssKb: 20 },
          { range: '7f0000400000-7f0000401000', perms: '---p', path: '[anon: glibc: pthread stack guard]' },
          { range: '7f0000401000-7f0000501000', perms: 'rw-p', path: '[anon: glibc: pthread stack: 42]', rssKb: 30 },
        ]),
      ),
    )
    expect(a).toEqual({ 'glibc malloc arenas': [10, 10, 10, 0], 'malloc mmap blocks': [20, 20, 20, 0], 'thread stacks': [30, 30, 30, 0] })
  })

  it('returns no categories for no mappings', () => {
    expect(attributeSmaps('')).toEqual({ rssBytes: 0, pssBytes: 0, anonBytes: 0, swapBytes: 0, mappingCount: 0, categories: [] })
  })

  it('names shared objects by basename without versions', () => {
    expect(sharedObjectName(ORT)).toBe('libonnxruntime.so')
    expect(sharedObjectName(SHARP)).toBe('sharp-linux-x64.node')
    expect(sharedObjectName('/x/libvips-cpp.so.8.18.7 (deleted)')).toBe('libvips-cpp.so')
    expect(sharedObjectName('/x/skia.linux-x64-gnu.node')).toBe('skia.linux-x64-gnu.node')
    expect(sharedObjectName('/usr/bin/node')).toBe('node')
  })
})

describe('diffRssCategories and describeRssDiff', () => {
  const before = attributeSmaps(smapsText(NODE_PROCESS))
  // The ONNX Runtime CPU arena grows by 11.4 MiB inside a glibc arena; V8 by 0.1 MiB; a stack shrinks.
  const grown = NODE_PROCESS.map((v) => {
    if (v.range === '7f98ec000000-7f98f0000000') return { ...v, rssKb: 30000 }
    if (v.range === '7f98f0000000-7f98f0021000') return { ...v, range: '7f98f0000000-7f98f0c00000', rssKb: 100 + 11674 }
    if (v.range === '7f98f0021000-7f98f4000000') return { ...v, range: '7f98f0c00000-7f98f4000000' }
    if (v.range === '917ec0000-917f00000') return { ...v, rssKb: 256 }
    if (v.range === '7f991dd3b000-7f991e53b000') return { ...v, rssKb: 48 }
    return v
  })
  grown.splice(6, 0, { range: '1d2557100000-1d2557140000', perms: 'rw-p', rssKb: 100 }) // a new V8 page
  const after = attributeSmaps(smapsText(grown))

  it('lists every category with its change, largest growth first', () => {
    const deltas = diffRssCategories(before, after)
    expect(deltas.map((d) => [d.name, d.rssDeltaBytes / KiB])).toEqual([
      ['glibc malloc arenas', 11674],
      ['V8 heap', 100],
      ...['[vdso]', 'file mappings', 'glibc malloc [heap]', 'libc.so', 'libonnxruntime.so', 'malloc mmap blocks', 'node', 'other anonymous', 'sharp-linux-x64.node'].map((n) => [n, 0]),
      ['thread stacks', 48 - 2048],
    ])
    expect(deltas[0]).toMatchObject({ kind: 'malloc', beforeRssBytes: 30440 * KiB, afterRssBytes: (30440 + 11674) * KiB, pssDeltaBytes: 11674 * KiB, anonDeltaBytes: 11674 * KiB, swapDeltaBytes: 0 })
  })

  it('says what grew in one line, naming the V8 heap', () => {
    const deltas = diffRssCategories(before, after)
    expect(describeRssDiff(deltas)).toBe('glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB, thread stacks -2.0 MiB')
    expect(describeRssDiff(deltas, { limit: 1 })).toBe('glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB')
    expect(describeRssDiff(deltas, { minBytes: 4 * MiB })).toBe('glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB')
    expect(describeRssDiff(diffRssCategories(before, before))).toBe('no category changed by 0.1 MiB or more')
  })

  it('counts a category on one side only against zero', () => {
    const buffers = attributeSmaps(smapsText(NODE_PROCESS), { arrayBuffersBytes: 64 * MiB })
    const deltas = diffRssCategories(before, buffers)
    expect(deltas[0]).toMatchObject({ name: 'ArrayBuffers/external', kind: 'array-buffers', beforeRssBytes: 0, rssDeltaBytes: 64 * MiB })
    expect(deltas.at(-1)).toMatchObject({ name: 'malloc mmap blocks', rssDeltaBytes: -64 * MiB })
    expect(describeRssDiff(deltas)).toBe('ArrayBuffers/external +64.0 MiB, malloc mmap blocks -64.0 MiB, V8 heap ±0.0 MiB')
  })

  it('formats changes in MiB, GiB from 1 GiB', () => {
    expect(formatDelta(11.4 * MiB)).toBe('+11.4 MiB')
    expect(formatDelta(-3 * MiB)).toBe('-3.0 MiB')
    expect(formatDelta(1.25 * 1024 * MiB)).toBe('+1.25 GiB')
    expect(formatDelta(0)).toBe('±0.0 MiB')
  })
})
