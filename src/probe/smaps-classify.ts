/**
 * Which part of a Node process each `smaps` mapping belongs to, from its address, size,
 * permissions, path and neighbours. The rules and their limits are described in
 * `rss-categories.ts` ({@link attributeSmaps}); this file applies them, one pass over the
 * mappings in address order (the order the kernel prints them).
 */
import { KiB, MiB } from '../common/units.js'
import { PERM_EXEC, PERM_READ, PERM_SHARED, PERM_WRITE, type SmapsMapping } from './smaps-parse.js'

/** What a user can tell apart in a Node process's RSS. One owner for the list (DESIGN.md). */
export const RSS_CATEGORY_KINDS = ['v8-heap', 'array-buffers', 'malloc', 'stacks', 'shared-object', 'file', 'other-anon'] as const
export type RssCategoryKind = (typeof RSS_CATEGORY_KINDS)[number]

/** Names of the categories that are not a shared object (those are named by file basename). */
export const RSS_CATEGORY = {
  v8Heap: 'V8 heap',
  arrayBuffers: 'ArrayBuffers/external',
  mallocHeap: 'glibc malloc [heap]',
  mallocArenas: 'glibc malloc arenas',
  mallocMmap: 'malloc mmap blocks',
  stacks: 'thread stacks',
  kernel: '[vdso]',
  file: 'file mappings',
  otherAnon: 'other anonymous',
} as const

/**
 * V8 pages are 256 KiB regions at 256 KiB-aligned addresses (`Page::kPageSize`, and the
 * alignment V8 asks of its page allocator). Large-object pages start aligned and are as long as
 * their object needs.
 */
export const V8_PAGE_ALIGN_BYTES = 256 * KiB
/**
 * Without pointer compression (Node's default build), V8 places each reservation at a random
 * hint below 2^46 (`GetRandomMmapAddr`), far under the kernel's mmap area (just below the stack,
 * near 2^47 on x86-64 and arm64 with 48-bit addresses), where glibc's own mappings land.
 */
export const V8_HINT_LIMIT_ADDR = 2 ** 46
/** glibc's `HEAP_MAX_SIZE` on 64-bit: each non-main arena heap is reserved this large, and aligned to it. */
export const GLIBC_HEAP_MAX_BYTES = 64 * MiB
/**
 * The smallest block glibc malloc serves with its own `mmap`: a request of `M_MMAP_THRESHOLD`
 * (128 KiB, the default and the floor of the dynamic threshold) plus its 16-byte header, in pages.
 */
export const MALLOC_MMAP_MIN_BYTES = 132 * KiB
/** Largest guard below a thread stack that still reads as one (glibc: one page; some runtimes use 64 KiB). */
export const STACK_GUARD_MAX_BYTES = 64 * KiB

/** Where one mapping goes. */
export interface MappingClass {
  name: string
  kind: RssCategoryKind
}

const V8: MappingClass = { name: RSS_CATEGORY.v8Heap, kind: 'v8-heap' }
const MALLOC_HEAP: MappingClass = { name: RSS_CATEGORY.mallocHeap, kind: 'malloc' }
const MALLOC_ARENAS: MappingClass = { name: RSS_CATEGORY.mallocArenas, kind: 'malloc' }
const MALLOC_MMAP: MappingClass = { name: RSS_CATEGORY.mallocMmap, kind: 'malloc' }
const STACKS: MappingClass = { name: RSS_CATEGORY.stacks, kind: 'stacks' }
const KERNEL: MappingClass = { name: RSS_CATEGORY.kernel, kind: 'shared-object' }
const FILE: MappingClass = { name: RSS_CATEGORY.file, kind: 'file' }
const OTHER_ANON: MappingClass = { name: RSS_CATEGORY.otherAnon, kind: 'other-anon' }

/** Options of {@link classifyMappings}. */
export interface ClassifyOptions {
  /**
   * Committed size of the target's V8 heap (sum of `space_size`), in bytes. Used only where the
   * address layout hides V8's pages (see {@link classifyMappings}): it caps how much RSS of
   * 256 KiB-aligned anonymous mappings in the mmap area is taken for V8.
   */
  v8HeapBytes?: number | undefined
}

/**
 * Classifies every mapping; `result[i]` is where `mappings[i]` goes.
 *
 * Order of the rules for an anonymous mapping: executable → V8 (JIT code); 256 KiB-aligned below
 * 2^46 → V8; 64 MiB-aligned with a `---p` remainder up to the next 64 MiB → glibc arena; after a
 * small `---p` guard → thread stack; right after a shared object's data → that object (.bss);
 * ≥ 132 KiB, private and writable → malloc mmap block; anything else → other anonymous.
 */
export function classifyMappings(mappings: readonly SmapsMapping[], options: ClassifyOptions = {}): MappingClass[] {
  const objects = sharedObjectPaths(mappings)
  const objectClasses = new Map<string, MappingClass>()
  // V8's hints only separate its pages from glibc's when the mmap area lies above them.
  const hintZone = mappings.some((m) => m.startAddr >= V8_HINT_LIMIT_ADDR && m.path !== '' && !m.path.startsWith('[v'))
  const classes: MappingClass[] = new Array<MappingClass>(mappings.length)
  const maybeV8: number[] = []
  for (let i = 0; i < mappings.length; i++) {
    const m = mappings[i] as SmapsMapping
    if (classes[i] !== undefined) continue // set by a rule that looked ahead (arena remainder)
    if (m.path !== '' && !m.path.startsWith('[anon:')) {
      classes[i] = namedClass(m.path, objects, objectClasses)
      continue
    }
    const glibcNamed = glibcNamedClass(m.path)
    if (glibcNamed) {
      classes[i] = glibcNamed
      continue
    }
    const prev = i > 0 ? (mappings[i - 1] as SmapsMapping) : undefined
    const next = mappings[i + 1]
    const privateRw = (m.perms & (PERM_READ | PERM_WRITE | PERM_SHARED)) === (PERM_READ | PERM_WRITE)
    if ((m.perms & PERM_EXEC) !== 0) classes[i] = V8
    else if (isV8Candidate(m) && hintZone && m.startAddr < V8_HINT_LIMIT_ADDR) classes[i] = V8
    else if (privateRw && isArenaStart(m, next)) {
      classes[i] = MALLOC_ARENAS
      if (next && next.perms === 0 && next.startAddr === m.endAddr) classes[i + 1] = MALLOC_ARENAS
    } else if (privateRw && prev && isGuard(prev) && prev.endAddr === m.startAddr) {
      classes[i] = STACKS
      if (classes[i - 1] !== undefined && (classes[i - 1] as MappingClass).kind === 'other-anon') classes[i - 1] = STACKS
    } else if (privateRw && prev && prev.endAddr === m.startAddr && objects.has(prev.path)) {
      classes[i] = objectClass(prev.path, objectClasses) // .bss: zero-filled data right after the file's data
    } else if (!hintZone && isV8Candidate(m)) {
      classes[i] = OTHER_ANON // decided below, from the hint
      maybeV8.push(i)
    } else if (privateRw && m.endAddr - m.startAddr >= MALLOC_MMAP_MIN_BYTES) classes[i] = MALLOC_MMAP
    else classes[i] = OTHER_ANON
  }
  if (maybeV8.length > 0) assignOutsideHintZone(mappings, classes, maybeV8, options.v8HeapBytes)
  return classes
}

/**
 * No hint zone (39-bit address spaces, 32-bit, V8 built with another page allocator): every
 * 256 KiB-aligned private anonymous mapping may be V8's. With a committed-heap hint, take them
 * in address order while their RSS fits the hint (+5% and 1 MiB for pages V8 has not yet
 * returned); without one, take them all. Whatever is not taken falls back to the malloc rule.
 */
function assignOutsideHintZone(mappings: readonly SmapsMapping[], classes: MappingClass[], candidates: number[], v8HeapBytes: number | undefined): void {
  const capBytes = v8HeapBytes === undefined ? Number.POSITIVE_INFINITY : v8HeapBytes * 1.05 + MiB
  let takenBytes = 0
  for (const i of candidates) {
    const m = mappings[i] as SmapsMapping
    if (takenBytes + m.rssBytes <= capBytes) {
      takenBytes += m.rssBytes
      classes[i] = V8
    } else if ((m.perms & PERM_WRITE) !== 0 && m.endAddr - m.startAddr >= MALLOC_MMAP_MIN_BYTES) {
      classes[i] = MALLOC_MMAP
    }
  }
}

/** Private, readable, anonymous, 256 KiB-aligned: how V8's heap pages look (read-only space is `r--p`). */
function isV8Candidate(m: SmapsMapping): boolean {
  return (m.perms & (PERM_READ | PERM_SHARED)) === PERM_READ && m.startAddr % V8_PAGE_ALIGN_BYTES === 0
}

/**
 * A glibc arena heap: the writable part starts on a 64 MiB boundary and is followed by its
 * `---p` remainder up to exactly 64 MiB, or fills the 64 MiB itself.
 */
function isArenaStart(m: SmapsMapping, next: SmapsMapping | undefined): boolean {
  if (m.startAddr % GLIBC_HEAP_MAX_BYTES !== 0) return false
  if (m.endAddr - m.startAddr === GLIBC_HEAP_MAX_BYTES) return true
  return next !== undefined && next.path === '' && next.perms === 0 && next.startAddr === m.endAddr && next.endAddr === m.startAddr + GLIBC_HEAP_MAX_BYTES
}

function isGuard(m: SmapsMapping): boolean {
  return m.path === '' && m.perms === 0 && m.endAddr - m.startAddr <= STACK_GUARD_MAX_BYTES
}

/** glibc ≥ 2.39 names its mappings when `glibc.mem.decorate_maps` is on: trust the names. */
function glibcNamedClass(path: string): MappingClass | null {
  if (!path.startsWith('[anon: glibc: ')) return null
  if (path.includes('malloc arena')) return MALLOC_ARENAS
  if (path.includes('malloc')) return MALLOC_MMAP
  if (path.includes('stack')) return STACKS
  return null
}

/** A file or a pseudo-path such as `[heap]`. */
function namedClass(path: string, objects: ReadonlySet<string>, objectClasses: Map<string, MappingClass>): MappingClass {
  if (path.startsWith('[')) {
    if (path === '[heap]') return MALLOC_HEAP
    if (path === '[stack]' || path.startsWith('[stack:')) return STACKS
    if (path.startsWith('[v') || path === '[uprobes]') return KERNEL // [vdso], [vvar], [vvar_vclock], [vsyscall]
    if (path.startsWith('[anon_shmem:')) return FILE
    return OTHER_ANON
  }
  return objects.has(path) ? objectClass(path, objectClasses) : FILE
}

function objectClass(path: string, objectClasses: Map<string, MappingClass>): MappingClass {
  let c = objectClasses.get(path)
  if (c === undefined) {
    c = { name: sharedObjectName(path), kind: 'shared-object' }
    objectClasses.set(path, c)
  }
  return c
}

/** Files mapped executable at least once, or named like a library or an addon: code and its data. */
function sharedObjectPaths(mappings: readonly SmapsMapping[]): Set<string> {
  const paths = new Set<string>()
  for (const m of mappings) {
    if (m.path === '' || m.path.startsWith('[') || paths.has(m.path)) continue
    if ((m.perms & PERM_EXEC) !== 0 || /\.(?:so(?:\.\d+)*|node)(?: \(deleted\))?$/.test(m.path)) paths.add(m.path)
  }
  return paths
}

/**
 * A shared object's category name: its basename without version numbers, so that a baseline
 * recorded before a library upgrade still lines up.
 * @example sharedObjectName('/x/libonnxruntime.so.1.20.1') // 'libonnxruntime.so'
 * @example sharedObjectName('/x/sharp-linux-x64-0.35.5.node') // 'sharp-linux-x64.node'
 */
export function sharedObjectName(path: string): string {
  let base = path.slice(path.lastIndexOf('/') + 1)
  if (base.endsWith(' (deleted)')) base = base.slice(0, -' (deleted)'.length)
  return base.replace(/\.so(?:\.\d+)+$/, '.so').replace(/[-.@]v?\d+(?:\.\d+)+(\.node)$/, '$1')
}
