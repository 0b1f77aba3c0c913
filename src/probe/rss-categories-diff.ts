/**
 * What grew between two RSS category readings, and one line that says so: the explanation a
 * memory gate prints instead of "native memory, not the JS heap".
 */
import { GiB, MiB } from '../common/units.js'
import { RSS_CATEGORY, type RssAttribution, type RssCategoryKind } from './rss-categories.js'

/** Change of one category between two readings. Sizes in bytes; `after − before`. */
export interface RssCategoryDelta {
  name: string
  kind: RssCategoryKind
  /** 0 when the category did not exist in `before`. */
  beforeRssBytes: number
  /** 0 when the category no longer exists in `after`. */
  afterRssBytes: number
  rssDeltaBytes: number
  pssDeltaBytes: number
  anonDeltaBytes: number
  swapDeltaBytes: number
}

/**
 * Per-category change from `before` to `after` (usually the same process at the start and end
 * of a stage), largest growth first, shrinking categories last; ties by name. Categories present
 * on only one side count as 0 on the other.
 */
export function diffRssCategories(before: RssAttribution, after: RssAttribution): RssCategoryDelta[] {
  const deltas = new Map<string, RssCategoryDelta>()
  for (const c of before.categories) {
    deltas.set(c.name, { name: c.name, kind: c.kind, beforeRssBytes: c.rssBytes, afterRssBytes: 0, rssDeltaBytes: -c.rssBytes, pssDeltaBytes: -c.pssBytes, anonDeltaBytes: -c.anonBytes, swapDeltaBytes: -c.swapBytes })
  }
  for (const c of after.categories) {
    const d = deltas.get(c.name) ?? { name: c.name, kind: c.kind, beforeRssBytes: 0, afterRssBytes: 0, rssDeltaBytes: 0, pssDeltaBytes: 0, anonDeltaBytes: 0, swapDeltaBytes: 0 }
    d.kind = c.kind
    d.afterRssBytes = c.rssBytes
    d.rssDeltaBytes += c.rssBytes
    d.pssDeltaBytes += c.pssBytes
    d.anonDeltaBytes += c.anonBytes
    d.swapDeltaBytes += c.swapBytes
    deltas.set(c.name, d)
  }
  return [...deltas.values()].sort((a, b) => b.rssDeltaBytes - a.rssDeltaBytes || a.name.localeCompare(b.name))
}

/** Options of {@link describeRssDiff}. */
export interface DescribeRssDiffOptions {
  /** Most categories named. @default 3 */
  limit?: number
  /** Smallest change named, bytes. @default 0.05 MiB (shows as ±0.1 MiB) */
  minBytes?: number
  /** Compare `pssDeltaBytes` instead of RSS (for processes that share pages). @default false */
  pss?: boolean
}

/** A user's first question about RSS growth is whether the JS heap grew: the V8 line is always given. */
const ALWAYS_NAMED = RSS_CATEGORY.v8Heap

/**
 * One line naming the categories that changed most (by absolute change, up to `limit`, listed
 * largest growth first), followed by the V8 heap's change when it is not among them.
 * @example describeRssDiff(diffRssCategories(a, b)) // 'glibc malloc arenas +11.4 MiB, V8 heap +0.1 MiB'
 * @returns `'no category changed by 0.1 MiB or more'` when nothing passes `minBytes` (V8 heap
 * included).
 */
export function describeRssDiff(deltas: readonly RssCategoryDelta[], options: DescribeRssDiffOptions = {}): string {
  const { limit = 3, minBytes = 0.05 * MiB, pss = false } = options
  const change = (d: RssCategoryDelta): number => (pss ? d.pssDeltaBytes : d.rssDeltaBytes)
  const named = deltas
    .filter((d) => Math.abs(change(d)) >= minBytes)
    .sort((a, b) => Math.abs(change(b)) - Math.abs(change(a)))
    .slice(0, limit)
  if (named.length === 0) return `no category changed by ${formatDelta(minBytes).slice(1)} or more`
  named.sort((a, b) => change(b) - change(a))
  const v8 = deltas.find((d) => d.name === ALWAYS_NAMED)
  const list = v8 && !named.includes(v8) ? [...named, v8] : named
  return list.map((d) => `${d.name} ${formatDelta(change(d))}`).join(', ')
}

/** `+11.4 MiB`, `-0.3 MiB`, `+1.25 GiB`: one unit across a line keeps it easy to compare. */
export function formatDelta(bytes: number): string {
  const sign = bytes > 0 ? '+' : bytes < 0 ? '-' : '±'
  const a = Math.abs(bytes)
  return a >= GiB ? `${sign}${(a / GiB).toFixed(2)} GiB` : `${sign}${(a / MiB).toFixed(1)} MiB`
}
