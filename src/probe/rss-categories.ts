/**
 * Where RSS lives: a process's `smaps` split into categories a user understands (V8 heap,
 * ArrayBuffers, glibc malloc, thread stacks, each shared object, file mappings, other anonymous).
 * Every mapping goes to exactly one category, so the categories sum to the RSS they split.
 *
 * How the mappings are told apart (`smaps-classify.ts`), and where it can go wrong:
 *
 * - **V8 heap.** V8 allocates its heap in 256 KiB pages at 256 KiB-aligned addresses, each at a
 *   random hint below 2^46 (no pointer compression, Node's default build); large-object pages
 *   start aligned and are as long as their object; the young generation is one reservation.
 *   Anonymous executable mappings are V8's JIT code. On x86-64 and 48-bit arm64 the kernel puts
 *   everything else (glibc arenas, malloc blocks, stacks, libraries) in the mmap area near 2^47,
 *   so the address alone separates them, with no hint needed. It counts every isolate (worker
 *   threads too), and pages a GC freed until V8's background unmapper returns them, so it can
 *   exceed `heapTotal` for a moment (measured: 104 MiB resident vs 34 MiB committed right after
 *   a full GC, 30.5 vs 31.8 MiB once settled; 90.0 vs 89.2 MiB while growing). Limits: a page
 *   whose random hint was taken lands in the mmap area and is counted as malloc; another JIT
 *   (liborc in libvips) counts as V8. Where no mapping lies above 2^46 (39-bit arm64, 32-bit),
 *   any 256 KiB-aligned private anonymous mapping may be V8's: then `hints.v8HeapBytes` caps how
 *   much is taken (without it, all of them are: a malloc block has a 1 in 64 chance of that
 *   alignment). With pointer compression (not Node's default build; untested here) the heap is
 *   a cage reserved `---p` with pages made writable inside it: the same rule should apply.
 * - **glibc malloc.** `[heap]` is the main arena (brk). Other arenas are heaps reserved as 64 MiB
 *   at 64 MiB-aligned addresses: a `rw-p` part followed by its `---p` remainder to exactly 64
 *   MiB (or a full 64 MiB). Requests ≥ `M_MMAP_THRESHOLD` (128 KiB, rising to 32 MiB as blocks
 *   are freed) get their own mapping: any other private writable anonymous mapping of ≥ 132 KiB
 *   is counted as such a "malloc mmap block". In a Node process nearly all are (V8's
 *   ArrayBuffer allocator, ONNX Runtime, libvips and skia all allocate through malloc), but a
 *   library that calls `mmap` itself lands there too. jemalloc/tcmalloc (LD_PRELOAD) are not
 *   recognised: their arenas count as malloc mmap blocks at best.
 * - **ArrayBuffers/external** (only with `hints.arrayBuffersBytes`/`externalBytes`, from the
 *   target's `process.memoryUsage()`): Node allocates backing stores with malloc, so a large one
 *   is a malloc mmap block, and small ones sit inside arenas where nothing tells them apart. The
 *   split therefore takes min(hint, RSS of the malloc mmap blocks) out of "malloc mmap blocks"
 *   (`basis: 'hint'`, its PSS/anonymous/swap in proportion). It is an upper bound for the large
 *   buffers: when the buffers are small (in arenas) while a native library holds large blocks,
 *   the carve takes some of the library's memory. Buffers never written have no RSS to take.
 * - **Thread stacks.** `[stack]`, and a private writable anonymous mapping right after a `---p`
 *   guard of ≤ 64 KiB (glibc puts one page below each thread's stack, 8 MiB by default). A
 *   guard-less stack (guard size 0) counts as a malloc mmap block.
 * - **Shared objects** (kind `shared-object`): every mapping of a file mapped executable at
 *   least once or named `*.so*`/`*.node`, plus the anonymous `.bss` right after its data, grouped
 *   by basename without version numbers (`libonnxruntime.so`, `sharp-linux-x64.node`, `node`).
 *   Its `anonBytes` are the written (copy-on-write) data; the rest is code and read-only data,
 *   shared with other processes (compare PSS). Limit: an unrelated anonymous mapping that the
 *   kernel places exactly at the end of a library's data is taken for its `.bss` (seen in an OCR
 *   engine process: 268 KiB after `librt.so`); the kernel may also merge one into a `.bss`.
 * - **File mappings**: other files (fonts, ICU data, models mapped by a library, `/dev/shm`).
 * - **Other anonymous**: small or non-writable anonymous mappings that match nothing above.
 */
import { ConfigError } from '../common/errors.js'
import { classifyMappings, RSS_CATEGORY, type MappingClass, type RssCategoryKind } from './smaps-classify.js'
import { parseSmaps, type SmapsMapping } from './smaps-parse.js'

export { RSS_CATEGORY, RSS_CATEGORY_KINDS, type RssCategoryKind } from './smaps-classify.js'

/** Figures the target knows about itself, to split what `smaps` cannot (see {@link attributeSmaps}). */
export interface RssHints {
  /** Committed V8 heap, bytes: the sum of `space_size` of `v8.getHeapSpaceStatistics()` (= `heapTotal`). */
  v8HeapBytes?: number
  /** `process.memoryUsage().arrayBuffers`, bytes. */
  arrayBuffersBytes?: number
  /** `process.memoryUsage().external`, bytes (includes `arrayBuffers`). */
  externalBytes?: number
}

/** One category of RSS. Sizes in bytes. */
export interface RssCategory {
  /** Stable, human name: `'V8 heap'`, `'glibc malloc arenas'`, `'libonnxruntime.so'` ... */
  name: string
  kind: RssCategoryKind
  rssBytes: number
  pssBytes: number
  /** Anonymous pages (for a shared object: its written data). */
  anonBytes: number
  swapBytes: number
  /** `mappings`: measured from the mappings; `hint`: carved out of another category by a hint. */
  basis: 'mappings' | 'hint'
}

/** A process's RSS split into categories that sum to it. Sizes in bytes. */
export interface RssAttribution {
  /** Sum of the mappings' `Rss`: what smaps_rollup's `Rss` and VmRSS report, read at this moment. */
  rssBytes: number
  pssBytes: number
  anonBytes: number
  swapBytes: number
  mappingCount: number
  /** Largest RSS first. Every mapping is in exactly one category. */
  categories: RssCategory[]
}

/**
 * Splits a process's RSS by where it lives. See this file's header for every rule and its limits.
 *
 * @param smaps The text of `/proc/<pid>/smaps` (string or bytes), or mappings already parsed
 * with {@link SmapsParser}.
 * @param hints The target's own V8 figures, taken close to the same moment (optional).
 * @throws ConfigError when a hint is not a finite, non-negative number.
 * @example attributeSmaps(readFileSync(`/proc/${pid}/smaps`), { arrayBuffersBytes: 64 * MiB })
 */
export function attributeSmaps(smaps: string | Uint8Array | readonly SmapsMapping[], hints: RssHints = {}): RssAttribution {
  validateHints(hints)
  const mappings = typeof smaps === 'string' || smaps instanceof Uint8Array ? parseSmaps(smaps) : smaps
  const classes = classifyMappings(mappings, { v8HeapBytes: hints.v8HeapBytes })
  const byName = new Map<string, RssCategory>()
  const total = { rssBytes: 0, pssBytes: 0, anonBytes: 0, swapBytes: 0 }
  for (let i = 0; i < mappings.length; i++) {
    const m = mappings[i] as SmapsMapping
    const c = classes[i] as MappingClass
    let category = byName.get(c.name)
    if (category === undefined) {
      category = { name: c.name, kind: c.kind, rssBytes: 0, pssBytes: 0, anonBytes: 0, swapBytes: 0, basis: 'mappings' }
      byName.set(c.name, category)
    }
    add(category, m)
    add(total, m)
  }
  carveArrayBuffers(byName, hints)
  const categories = [...byName.values()].sort((a, b) => b.rssBytes - a.rssBytes || a.name.localeCompare(b.name))
  return { ...total, mappingCount: mappings.length, categories }
}

/** Moves min(hint, RSS of the malloc mmap blocks) into an ArrayBuffers/external category. */
function carveArrayBuffers(byName: Map<string, RssCategory>, hints: RssHints): void {
  const hintBytes = Math.max(hints.arrayBuffersBytes ?? 0, hints.externalBytes ?? 0)
  const blocks = byName.get(RSS_CATEGORY.mallocMmap)
  if (hintBytes <= 0 || blocks === undefined || blocks.rssBytes <= 0) return
  const share = Math.min(1, hintBytes / blocks.rssBytes)
  const carved: RssCategory = {
    name: RSS_CATEGORY.arrayBuffers,
    kind: 'array-buffers',
    rssBytes: Math.round(blocks.rssBytes * share),
    pssBytes: Math.round(blocks.pssBytes * share),
    anonBytes: Math.round(blocks.anonBytes * share),
    swapBytes: Math.round(blocks.swapBytes * share),
    basis: 'hint',
  }
  blocks.rssBytes -= carved.rssBytes
  blocks.pssBytes -= carved.pssBytes
  blocks.anonBytes -= carved.anonBytes
  blocks.swapBytes -= carved.swapBytes
  byName.set(carved.name, carved)
}

function add(into: { rssBytes: number; pssBytes: number; anonBytes: number; swapBytes: number }, m: SmapsMapping): void {
  into.rssBytes += m.rssBytes
  into.pssBytes += m.pssBytes
  into.anonBytes += m.anonBytes
  into.swapBytes += m.swapBytes
}

function validateHints(hints: RssHints): void {
  for (const key of ['v8HeapBytes', 'arrayBuffersBytes', 'externalBytes'] as const) {
    const value = hints[key]
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new ConfigError(`Expected a non-negative number of bytes for hints.${key} but received ${String(value)}; pass the target's own process.memoryUsage() / v8.getHeapSpaceStatistics() figures, or leave it out`)
    }
  }
}
