import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/common/errors.js'
import { buildNativeProfile, parseHeaptrackPrint, parseHeaptrackSize, type HeaptrackPrintOutput } from '../../src/native/index.js'

/** heaptrack_print output captured from real runs; provenance in the folder's README.md. */
const captured = (name: string) => readFileSync(new URL(`../fixtures/native-heaptrack-print/${name}`, import.meta.url), 'utf8')
const parse = (name: string): HeaptrackPrintOutput => parseHeaptrackPrint(captured(name), name)

const ORT = '/work/main/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1'
const LIBVIPS = '/work/main/node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7'

describe('parseHeaptrackSize', () => {
  it.each([
    ['805B', 805],
    ['8.19K', 8190],
    ['67.11M', 67_110_000],
    ['1.50G', 1_500_000_000],
    ['-1.20K', -1200],
    ['12', null],
    ['1.2 M', null],
  ])('%s → %s', (text, bytes) => expect(parseHeaptrackSize(text)).toBe(bytes))
})

describe('parseHeaptrackPrint on one entry per backtrace (--merge-backtraces=0)', () => {
  const out = parse('buffer-unmerged.txt')

  it('reads the command, both lists and the summary, and recognises every line', () => {
    expect(out.command).toBe('node /work/main/test/fixtures/native-buffer/keep-buffers.mjs 8 8')
    expect(out.merged).toBe(false)
    expect(out.peaks.map((t) => [t.bytes, t.allocations])).toEqual([
      [67_110_000, 8],
      [229_450, 3],
      [103_740, 144],
      [72_700, 1],
    ])
    expect(out.leaks.map((t) => [t.bytes, t.allocations])).toEqual([
      [67_110_000, 8],
      [131_100, 3],
      [103_740, 144],
      [65_540, 14],
    ])
    expect(out.summary).toEqual({
      runtimeMs: 3960,
      allocations: 452_859,
      temporaryAllocations: 190_982,
      peakBytes: 69_510_000,
      peakRssBytes: 118_720_000,
      leakedBytes: 68_720_000,
      suppressedLeakedBytes: null,
    })
    expect(out.unrecognizedLines).toBe(0)
  })

  it('keeps full backtraces, innermost first, with modules', () => {
    const frames = out.peaks[0]?.frames ?? []
    expect(frames[0]).toEqual({ function: 'node::NodeArrayBufferAllocator::AllocateUninitialized(unsigned long)', address: null, file: null, line: null, module: '/usr/bin/node', inlined: false })
    expect(frames.map((f) => f.function)).toContain('node::Buffer::(anonymous namespace)::CreateUnsafeArrayBuffer(v8::FunctionCallbackInfo<> const&)')
    expect(frames.at(-1)?.function).toBe('_start')
    expect(frames.find((f) => f.function === '__libc_start_main_impl')).toMatchObject({ file: '../csu/libc-start.c', line: 360, module: '/lib/x86_64-linux-gnu/libc.so.6' })
  })

  it('marks a frame without an `in` line as inlined into the frame before it', () => {
    const frames = out.peaks[3]?.frames ?? []
    expect(frames.map((f) => [f.function ?? f.address, f.inlined, f.line])).toEqual([
      ['0x7f54386a57b9', false, null],
      ['call_init', false, 74],
      ['call_init', true, 26],
      ['_dl_init', false, 121],
      ['0x7f54388e5b9f', false, 0],
    ])
    expect(frames[2]?.module).toBe('/lib64/ld-linux-x86-64.so.2')
  })
})

describe('parseHeaptrackPrint on the default merged layout', () => {
  const out = parse('buffer-merged.txt')

  it('joins each location to its sub-backtraces and keeps the unlisted rest', () => {
    expect(out.merged).toBe(true)
    expect(out.unrecognizedLines).toBe(0)
    const [first, second, rest] = out.peaks
    expect(first).toMatchObject({ bytes: 67_110_000, allocations: 8 })
    expect(first?.frames.slice(0, 2).map((f) => f.function)).toEqual([
      'node::NodeArrayBufferAllocator::AllocateUninitialized(unsigned long)',
      'v8::internal::Heap::AllocateExternalBackingStore(std::function<> const&, unsigned long)',
    ])
    expect(second).toMatchObject({ bytes: 8190, allocations: 1 })
    // "67.12M … over 36 calls": 8 + 1 listed, the rest from 11 other places.
    expect(rest).toMatchObject({ bytes: 2240, allocations: 27, rest: { places: 11 } })
    expect(rest?.frames.map((f) => f.function)).toEqual(['node::NodeArrayBufferAllocator::AllocateUninitialized(unsigned long)'])
    expect(out.summary.leakedBytes).toBe(68_720_000)
  })

  it('gives the same attribution as the unmerged layout', () => {
    const merged = buildNativeProfile(out, '1.4.0')
    const unmerged = buildNativeProfile(parse('buffer-unmerged.txt'), '1.4.0')
    for (const profile of [merged, unmerged]) {
      expect(profile.bySharedObject[0]).toMatchObject({ key: '/usr/bin/node' })
      expect(profile.byFrame[0]).toMatchObject({ key: 'node::Buffer::(anonymous namespace)::CreateUnsafeArrayBuffer', kind: 'binding', module: '/usr/bin/node', peakBytes: 67_110_000, leakedBytes: 67_110_000 })
    }
  })
})

describe('parseHeaptrackPrint on ONNX Runtime (stripped library, N-API binding)', () => {
  const out = parse('ort-arena-on.txt')
  const profile = buildNativeProfile(out, '1.4.0')

  it('reads unsymbolized frames as addresses in their library', () => {
    expect(out.unrecognizedLines).toBe(0)
    expect(out.leaks[0]?.frames.slice(0, 2)).toEqual([
      { function: 'operator new(unsigned long, std::align_val_t)', address: null, file: null, line: null, module: '/lib/x86_64-linux-gnu/libstdc++.so.6', inlined: false },
      { function: null, address: '0x7f74a2807b94', file: null, line: null, module: ORT, inlined: false },
    ])
    expect(out.summary.suppressedLeakedBytes).toBe(19_400)
  })

  it('attributes the arena to libonnxruntime under InferenceSessionWrap::Run, the model to LoadModel', () => {
    const run = profile.sites.find((s) => s.leakedBytes === 12_580_000)
    expect(run?.sharedObject).toBe(ORT)
    expect(run?.frame).toMatchObject({ name: 'InferenceSessionWrap::Run', kind: 'binding' })
    expect(run?.frame?.module).toMatch(/onnxruntime_binding\.node$/)
    expect(profile.bySharedObject.find((g) => g.key === ORT)).toMatchObject({ peakBytes: 11_500_000 + 9_470_000, leakedBytes: 12_580_000 + 11_530_000 + 9_440_000 + 4_140_000 + 1_050_000, sites: 6 })
    expect(profile.byFrame.find((g) => g.key === 'InferenceSessionWrap::LoadModel')).toMatchObject({ kind: 'binding', peakBytes: 11_500_000 + 9_470_000, leakedBytes: 11_530_000 + 4_140_000 + 1_050_000 })
    expect(profile.byFrame.find((g) => g.key === 'InferenceSessionWrap::Run')).toMatchObject({ kind: 'binding', peakBytes: 0, leakedBytes: 12_580_000 + 9_440_000, sites: 2 })
    // Typed arrays made in JavaScript: V8's ArrayBuffer constructor in node's binary.
    expect(profile.byFrame.find((g) => g.key === 'v8::internal::Builtin_ArrayBufferConstructor')).toMatchObject({ kind: 'builtin', module: '/usr/bin/node', peakBytes: 10_800_000 + 6_080_000 })
    // A site in both lists is one site with both figures.
    expect(profile.sites.find((s) => s.peakBytes === 11_500_000)?.leakedBytes).toBe(11_530_000)
  })

  it('shows nothing left by InferenceSessionWrap::Run with the arena off (same page, same engine)', () => {
    const off = buildNativeProfile(parse('ort-arena-off.txt'), '1.4.0')
    expect(off.byFrame.find((g) => g.key === 'InferenceSessionWrap::Run')).toBeUndefined()
    expect(off.totals.leakedBytes).toBe(21_280_000)
    expect(off.bySharedObject.find((g) => g.key === ORT)).toMatchObject({ leakedBytes: 11_530_000 + 4_140_000 + 160_210 + 136_980 })
  })

  it('keeps totals of the whole run and how much the listed sites explain', () => {
    expect(profile.totals).toMatchObject({ peakBytes: 75_910_000, leakedBytes: 45_070_000, allocations: 1_522_617, listedPeakBytes: 48_670_000, listedLeakedBytes: 38_740_000 })
  })
})

describe('parseHeaptrackPrint on sharp (one-frame backtraces from libvips threads, unknown modules)', () => {
  const profile = buildNativeProfile(parse('sharp-cache-on.txt'), '1.4.0')

  it('attributes an allocator wrapper with no caller to its library, named by the library', () => {
    const cached = profile.sites.find((s) => s.frames[0]?.function === 'vips_tracked_malloc')
    expect(cached).toMatchObject({ peakBytes: 18_000_000, leakedBytes: 18_000_000, allocations: 6, sharedObject: LIBVIPS })
    expect(cached?.frame).toEqual({ name: '[libvips-cpp.so.8.18.7]', kind: 'native', module: LIBVIPS, index: 0 })
    expect(profile.byFrame.find((g) => g.key === 'vips_image_write_to_memory')).toMatchObject({ kind: 'native', peakBytes: 16_580_000, leakedBytes: 0 })
  })

  it('groups frames heaptrack could not place under (unknown)', () => {
    expect(profile.bySharedObject.find((g) => g.key === '(unknown)')).toMatchObject({ peakBytes: 788_700, leakedBytes: 787_900 + 532_870 + 243_090, sites: 3 })
  })
})

describe('parseHeaptrackPrint on unexpected text', () => {
  it('rejects text that is not heaptrack_print output', () => {
    expect(() => parseHeaptrackPrint('Segmentation fault\n', 'x.zst')).toThrow(InputError)
    try {
      parseHeaptrackPrint('Segmentation fault\n', 'x.zst')
    } catch (error) {
      expect((error as InputError).code).toBe('INPUT_UNSUPPORTED_FORMAT')
      expect((error as InputError).message).toMatch(/^x\.zst is not heaptrack_print output/)
    }
  })

  it('counts lines it does not recognise instead of misreading them', () => {
    const text = ['PEAK MEMORY CONSUMERS', '1.00M peak memory consumed over 2 calls from', '  ??', '', 'something new', '', 'total memory leaked: 0B'].join('\n')
    const out = parseHeaptrackPrint(text)
    expect(out.peaks).toEqual([{ bytes: 1_000_000, allocations: 2, frames: [{ function: null, address: null, file: null, line: null, module: null, inlined: false }] }])
    expect(out.unrecognizedLines).toBe(1)
    expect(out.summary.leakedBytes).toBe(0)
  })
})
