/** Lines that say what grew, shared by the terminal, Markdown and JUnit outputs. */
import { formatBytes } from '../../common/units.js'
import type { Explanation } from '../explain.js'
import { topGrowingClasses } from '../explain.js'
import { holderAmount, holderName } from '../explain-native.js'

/** Classes listed per explanation. */
export const TOP_CLASSES = 5

/** Steps of a retainer path shown in logs: the end of the path says who holds the objects; the start is runtime plumbing. */
export const PATH_TAIL_STEPS = 8

/** A rope's inner links (`(concatenated string) → first → (string)`): V8's string representation, not a holder. */
const ROPE_LINK = /\(concatenated string\) → (?:first|second) → (?=\((?:concatenated |sliced )?string\))/g

/**
 * The last {@link PATH_TAIL_STEPS} steps of a rendered retainer path (`a → b → c`), with `…` for
 * the rest, after folding the inner links of string ropes so the tail shows who holds the string.
 */
export function pathTail(path: string, steps = PATH_TAIL_STEPS): string {
  let folded = path
  for (let before = ''; before !== folded; ) [before, folded] = [folded, folded.replace(ROPE_LINK, '')]
  const parts = folded.split(' → ')
  return parts.length <= steps ? folded : ['…', ...parts.slice(-steps)].join(' → ')
}

/**
 * The explanation as plain lines (no indentation of the first level).
 * @param withClasses list the classes that grew; false when an earlier verdict of the same scenario already did. @default true
 */
export function explanationLines(e: Explanation, withClasses = true): string[] {
  const lines: string[] = []
  const s = e.split
  if (s) {
    // Peak RSS and after-GC heap are different measures, so the heap's growth can exceed the RSS's.
    const percent = Math.round((Math.max(0, s.jsGrowthBytes) / s.rssGrowthBytes) * 100)
    const share = percent >= 100 ? 'all' : `${percent}%`
    const basis = s.basis === 'baseline' ? 'against the baseline' : 'from the first stage to the last'
    // Name the category that grew rather than only "native" when smaps categories were recorded.
    const top = e.rss?.deltas.find((d) => d.kind !== 'v8-heap' && d.kind !== 'array-buffers')
    const native = top && top.deltaBytes > 0 ? `native memory (most: ${top.name}), not the JS heap` : 'native memory, not the JS heap'
    lines.push(
      s.where === 'native'
        ? `what grew: ${native}: RSS ${formatBytes(s.rssGrowthBytes, true)}, JS heap + ArrayBuffers ${formatBytes(s.jsGrowthBytes, true)} (${share} of it), ${basis}`
        : `what grew: the JS heap: JS heap + ArrayBuffers ${formatBytes(s.jsGrowthBytes, true)} of RSS ${formatBytes(s.rssGrowthBytes, true)} (${share === 'all' ? 'all of it' : share}), ${basis}`,
    )
  }
  const r = e.rss
  if (r?.summary) lines.push(`where RSS grew: ${r.summary} ${r.basis === 'baseline' ? `vs baseline (end of ${r.stage})` : `(first stage's start → end of ${r.stage})`}`)
  const n = e.native
  if (n) {
    const holders = n.holders.map((h) => `${holderName(h)} ${holderAmount(h.bytes, n.measure)}`).join(', ')
    const total = n.measure === 'leaked' ? `of ${formatBytes(n.totalBytes)} still allocated at the end` : `of a ${formatBytes(n.totalBytes)} peak`
    lines.push(`native memory held by (heaptrack pass, ${n.file}): ${holders} (${total})`)
  }
  const hb = e.heapVsBaseline
  if (hb && hb.classes.length > 0 && withClasses) {
    lines.push(`classes that grew vs baseline (end of ${hb.stage}):`)
    const paths = new Map(e.heap?.state === 'ok' ? e.heap.classes.map((c) => [c.className, c.retainerPath]) : [])
    for (const c of hb.classes) {
      const path = paths.get(c.className)
      // Held growth when the baseline records it: what the class's objects keep alive (src/snapshot/held.ts).
      const size = c.heldDeltaBytes !== undefined ? `${formatBytes(c.heldDeltaBytes, true)} retained` : formatBytes(c.selfDeltaBytes, true)
      lines.push(`  ${c.countDelta >= 0 ? '+' : ''}${c.countDelta.toLocaleString('en-US')} ${c.className} (${size}) vs baseline${path ? `, held by ${pathTail(path, 3)}` : ''}`)
    }
  }
  const h = e.heap
  if (h && !withClasses) {
    lines.push('classes that grew: as above')
  } else if (h?.state === 'ok') {
    const top = topGrowingClasses(h.classes, TOP_CLASSES)
    if (top.length === 0) lines.push(`no class grew between the heap snapshots ${h.from} → ${h.to}`)
    else lines.push(`top growing classes (heap snapshots ${h.from} → ${h.to}):`)
    for (const c of top) {
      // Strings and arrays are named after their type already: `(string)`, not `(string) (string)`.
      const type = c.className === `(${c.nodeType})` ? '' : ` (${c.nodeType})`
      lines.push(`  ${formatBytes(c.netSizeBytes, true)}  ${c.netCount >= 0 ? '+' : ''}${c.netCount}  ${c.className}${type}`)
      lines.push(`    held by: ${c.retainerPath ? pathTail(c.retainerPath) : 'no retainer path found (unreachable or a GC root)'}`)
    }
  } else if (h?.state === 'unavailable') {
    lines.push(`no heap snapshot diff: ${h.reason}`)
  }
  return lines
}
