/**
 * What RSS and the JS heap are made of, as run.json and baselines record it: compact rows of the
 * RSS categories read from smaps (src/probe's "where RSS lives", read by the parent at stage
 * boundaries) and of the heap's classes, and the pure diffs the gate's explanation prints
 * ("glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB"). Pure: no zod, no I/O, so baseline and
 * report may import its values (RUN_PURE in .dependency-cruiser-runtime.cjs).
 *
 * src/probe owns the categories (names, kinds, rules) and cannot be imported here (it is a leaf
 * and run imports only common): these functions work on the recorded rows, which carry the
 * probe's names and kinds as strings.
 */
import { median } from '../common/stats.js'

/** The probe's kind of the V8 heap category: the one a user asks about first, always named. */
export const V8_HEAP_KIND = 'v8-heap'

/** One RSS category as recorded. Sizes in bytes. */
export interface RssCategoryRow {
  /** The probe's name: `'V8 heap'`, `'glibc malloc arenas'`, `'libonnxruntime.so'`, ... */
  name: string
  /** The probe's kind: `'v8-heap' | 'array-buffers' | 'malloc' | 'stacks' | 'shared-object' | 'file' | 'other-anon'`. */
  kind: string
  rssBytes: number
  pssBytes: number
}

/** One reading of a process's RSS categories, compact (no anonymous/swap split, no mapping count). */
export interface RssCategoriesRecord {
  /** When the read started, ms since the Unix epoch. */
  atMs: number
  /** What the read cost the parent, ms. */
  readMs: number
  rssBytes: number
  pssBytes: number
  /** Largest RSS first. */
  categories: RssCategoryRow[]
}

/** The readings at a stage's start and end; null when the read failed or the process was gone. */
export interface StageRssCategories {
  before: RssCategoriesRecord | null
  after: RssCategoriesRecord | null
}

/** What {@link compactRssCategories} reads: the probe's `RssCategories` fits. */
export interface RssCategoriesLike {
  atMs: number
  readMs: number
  rssBytes: number
  pssBytes: number
  categories: readonly { name: string; kind: string; rssBytes: number; pssBytes: number }[]
}

/** Categories with less RSS than this are folded into no row at all when compacting: they are noise. */
export const MIN_RECORDED_CATEGORY_BYTES = 4096

/** The record of one reading: the probe's categories without the fields run.json does not need. */
export function compactRssCategories(r: RssCategoriesLike): RssCategoriesRecord {
  return {
    atMs: r.atMs,
    readMs: Math.round(r.readMs * 100) / 100,
    rssBytes: r.rssBytes,
    pssBytes: r.pssBytes,
    categories: r.categories.filter((c) => c.rssBytes >= MIN_RECORDED_CATEGORY_BYTES).map((c) => ({ name: c.name, kind: c.kind, rssBytes: c.rssBytes, pssBytes: c.pssBytes })),
  }
}

/**
 * Per-category median over several readings (a category absent from a reading counts as 0 there),
 * largest RSS first: the composition a baseline stores.
 */
export function medianRssCategories(records: readonly RssCategoriesRecord[]): RssCategoryRow[] {
  if (records.length === 0) return []
  const kinds = new Map<string, string>()
  for (const r of records) for (const c of r.categories) kinds.set(c.name, c.kind)
  const rows: RssCategoryRow[] = []
  for (const [name, kind] of kinds) {
    const of = (r: RssCategoriesRecord) => r.categories.find((c) => c.name === name)
    rows.push({ name, kind, rssBytes: Math.round(median(records.map((r) => of(r)?.rssBytes ?? 0))), pssBytes: Math.round(median(records.map((r) => of(r)?.pssBytes ?? 0))) })
  }
  return rows.filter((r) => r.rssBytes > 0).sort((a, b) => b.rssBytes - a.rssBytes || a.name.localeCompare(b.name))
}

/** Change of one category. Sizes in bytes; `after − before`. */
export interface CategoryDelta {
  name: string
  kind: string
  beforeBytes: number
  afterBytes: number
  deltaBytes: number
}

/** Per-category RSS change from `before` to `after`, largest growth first; a category on one side only counts 0 on the other. */
export function diffCategoryRows(before: readonly RssCategoryRow[], after: readonly RssCategoryRow[]): CategoryDelta[] {
  const deltas = new Map<string, CategoryDelta>()
  for (const c of before) deltas.set(c.name, { name: c.name, kind: c.kind, beforeBytes: c.rssBytes, afterBytes: 0, deltaBytes: -c.rssBytes })
  for (const c of after) {
    const d = deltas.get(c.name) ?? { name: c.name, kind: c.kind, beforeBytes: 0, afterBytes: 0, deltaBytes: 0 }
    d.kind = c.kind
    d.afterBytes = c.rssBytes
    d.deltaBytes = c.rssBytes - d.beforeBytes
    deltas.set(c.name, d)
  }
  return sortDeltas([...deltas.values()])
}

/** Per-category median of several diffs (one per repeat; absent = 0), largest growth first. */
export function medianDeltas(diffs: readonly (readonly CategoryDelta[])[]): CategoryDelta[] {
  if (diffs.length === 0) return []
  const names = new Map<string, string>()
  for (const d of diffs) for (const c of d) names.set(c.name, c.kind)
  const out: CategoryDelta[] = []
  for (const [name, kind] of names) {
    const pick = (f: (c: CategoryDelta) => number) => Math.round(median(diffs.map((d) => { const c = d.find((x) => x.name === name); return c ? f(c) : 0 })))
    out.push({ name, kind, beforeBytes: pick((c) => c.beforeBytes), afterBytes: pick((c) => c.afterBytes), deltaBytes: pick((c) => c.deltaBytes) })
  }
  return sortDeltas(out)
}

function sortDeltas(deltas: CategoryDelta[]): CategoryDelta[] {
  return deltas.sort((a, b) => b.deltaBytes - a.deltaBytes || a.name.localeCompare(b.name))
}

const MiB = 1024 * 1024
const GiB = 1024 * MiB

/** `+11.4 MiB`, `-0.3 MiB`, `+1.25 GiB` (as the probe's `formatDelta`). */
export function formatCategoryDelta(bytes: number): string {
  const sign = bytes > 0 ? '+' : bytes < 0 ? '-' : '±'
  const a = Math.abs(bytes)
  return a >= GiB ? `${sign}${(a / GiB).toFixed(2)} GiB` : `${sign}${(a / MiB).toFixed(1)} MiB`
}

/**
 * One line naming the categories that changed most (by absolute change, at most `limit`, listed
 * largest growth first), then the V8 heap's change when it is not among them.
 * @example describeCategoryDeltas(diffCategoryRows(a, b)) // 'glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB'
 * @returns null when no category changed by `minBytes` or more
 */
export function describeCategoryDeltas(deltas: readonly CategoryDelta[], options: { limit?: number; minBytes?: number } = {}): string | null {
  const { limit = 3, minBytes = 0.05 * MiB } = options
  const named = deltas
    .filter((d) => Math.abs(d.deltaBytes) >= minBytes)
    .sort((a, b) => Math.abs(b.deltaBytes) - Math.abs(a.deltaBytes))
    .slice(0, limit)
  if (named.length === 0) return null
  named.sort((a, b) => b.deltaBytes - a.deltaBytes)
  const v8 = deltas.find((d) => d.kind === V8_HEAP_KIND)
  const list = v8 && !named.includes(v8) ? [...named, v8] : named
  return list.map((d) => `${d.name} ${formatCategoryDelta(d.deltaBytes)}`).join(', ')
}

/** One class of the JS heap as a baseline stores it (from a snapshot summary). Sizes in bytes. */
export interface HeapClassRow {
  className: string
  count: number
  selfBytes: number
  /**
   * The self sizes of the objects this class's objects are the nearest holder of on the
   * dominator path (src/snapshot/held.ts): a `CachedResponse`'s body strings count here, not
   * under `(string)`. Absent in baselines written before it was recorded.
   */
  heldBytes?: number
}

/** A class's change against another composition. */
export interface HeapClassDelta extends HeapClassRow {
  countDelta: number
  selfDeltaBytes: number
  /** Change of {@link HeapClassRow.heldBytes}; present when the diff ranked by held size. */
  heldDeltaBytes?: number
}

/**
 * What a heap composition diff ranks by. `held` when every row on both sides records a held
 * size: then the class that holds the growth comes first, not the type of its bytes (a
 * `LeakedRequestLog`, not the `(string)`s it keeps). `self` otherwise (a baseline written before
 * held sizes were recorded): both sides must measure the same thing, and self sizes are what
 * an old baseline has.
 */
export type HeapDiffBasis = 'held' | 'self'

/** The basis two compositions can be compared on (see {@link HeapDiffBasis}). */
export function heapDiffBasis(before: readonly HeapClassRow[], after: readonly HeapClassRow[]): HeapDiffBasis {
  const hasHeld = (c: HeapClassRow) => c.heldBytes !== undefined
  return before.length > 0 && before.every(hasHeld) && after.every(hasHeld) ? 'held' : 'self'
}

/** The size a basis compares: held, or self. */
export function heapRowBytes(c: HeapClassRow, basis: HeapDiffBasis): number {
  return basis === 'held' ? (c.heldBytes ?? c.selfBytes) : c.selfBytes
}

/**
 * Per-class change from `before` to `after` (absent = 0), largest growth first on `basis`
 * (by default the one both sides allow, see {@link heapDiffBasis}); `heldDeltaBytes` is set
 * when it is `held`.
 */
export function diffHeapClasses(before: readonly HeapClassRow[], after: readonly HeapClassRow[], basis: HeapDiffBasis = heapDiffBasis(before, after)): HeapClassDelta[] {
  const byHeld = basis === 'held'
  const map = new Map<string, HeapClassDelta>()
  const blank = (className: string): HeapClassDelta => ({ className, count: 0, selfBytes: 0, countDelta: 0, selfDeltaBytes: 0, ...(byHeld ? { heldBytes: 0, heldDeltaBytes: 0 } : {}) })
  for (const c of before) {
    const d = blank(c.className)
    d.countDelta = -c.count
    d.selfDeltaBytes = -c.selfBytes
    if (byHeld) d.heldDeltaBytes = -heapRowBytes(c, 'held')
    map.set(c.className, d)
  }
  for (const c of after) {
    const d = map.get(c.className) ?? blank(c.className)
    d.count = c.count
    d.selfBytes = c.selfBytes
    d.countDelta += c.count
    d.selfDeltaBytes += c.selfBytes
    if (byHeld) {
      d.heldBytes = heapRowBytes(c, 'held')
      d.heldDeltaBytes = d.heldDeltaBytes! + d.heldBytes
    }
    map.set(c.className, d)
  }
  const growth = (d: HeapClassDelta) => (byHeld ? d.heldDeltaBytes! : d.selfDeltaBytes)
  return [...map.values()].sort((a, b) => growth(b) - growth(a) || a.className.localeCompare(b.className))
}

/** The classes a composition lists one by one, and the others as one row. Sizes in bytes. */
export interface KeptHeapClasses {
  classes: HeapClassRow[]
  rest: {
    classes: number
    count: number
    selfBytes: number
    /** Present when every class records a held size. */
    heldBytes?: number
    /** The largest self size among the classes not listed: no unlisted class had more. */
    maxSelfBytes: number
    /** The largest held size among the classes not listed; present with `heldBytes`. */
    maxHeldBytes?: number
  }
}

/**
 * The top `top` classes by the size a diff will rank on (held when every class records one,
 * else self; see {@link heapDiffBasis}), largest first, and the rest as one row with the
 * largest value it folds in: a class a later run has but the list lacks had at most that much.
 */
export function keepTopHeapClasses(classes: readonly HeapClassRow[], top: number): KeptHeapClasses {
  const basis = heapDiffBasis(classes, classes)
  const sorted = [...classes].sort((a, b) => heapRowBytes(b, basis) - heapRowBytes(a, basis) || b.selfBytes - a.selfBytes || a.className.localeCompare(b.className))
  const kept = sorted.slice(0, top)
  const rest = sorted.slice(top)
  const sum = (f: (c: HeapClassRow) => number) => rest.reduce((n, c) => n + f(c), 0)
  const max = (f: (c: HeapClassRow) => number) => rest.reduce((n, c) => Math.max(n, f(c)), 0)
  const held = basis === 'held' ? { heldBytes: sum((c) => c.heldBytes ?? 0), maxHeldBytes: max((c) => c.heldBytes ?? 0) } : {}
  return {
    classes: kept.map((c) => ({ className: c.className, count: c.count, selfBytes: c.selfBytes, ...(basis === 'held' ? { heldBytes: c.heldBytes ?? 0 } : {}) })),
    rest: { classes: rest.length, count: sum((c) => c.count), selfBytes: sum((c) => c.selfBytes), ...held, maxSelfBytes: max((c) => c.selfBytes) },
  }
}
