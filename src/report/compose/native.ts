/**
 * The native allocations section: per scenario with a heaptrack pass, its totals, the top shared
 * objects and named frames (still allocated at the end, and at heaptrack's peak), and the sites
 * still holding the most.
 */
import type { NativeFindings, NativeGroupRow } from '../model/native.js'
import type { Block, Section } from './doc.js'
import type { ComposeContext } from './context.js'

function groupTable(c: ComposeContext, header: string, rows: readonly NativeGroupRow[]): Block {
  const { m, f } = c
  return {
    type: 'table',
    columns: [{ header }, { header: m.native.leaked, align: 'right' }, { header: m.native.peak, align: 'right' }, { header: m.native.allocations, align: 'right' }, { header: m.native.sitesCol, align: 'right' }],
    rows: rows.map((g) => [`\`${g.name}\`${g.kind ? ` (${g.kind})` : ''}`, f.bytes(g.leakedBytes), f.bytes(g.peakBytes), f.num(g.allocations, 0), f.num(g.sites, 0)]),
  }
}

function scenarioBlocks(c: ComposeContext, n: NativeFindings): Block[] {
  const { m, f } = c
  const blocks: Block[] = [{ type: 'paragraph', text: m.native.totals(n.scenario, f.bytes(n.totals.peakBytes), f.bytes(n.totals.leakedBytes), f.num(n.totals.allocations, 0), n.version, n.file) }]
  if (n.bySharedObject.length) blocks.push({ type: 'paragraph', text: m.native.bySharedObject }, groupTable(c, m.native.sharedObject, n.bySharedObject))
  if (n.byFrame.length) blocks.push({ type: 'paragraph', text: m.native.byFrame }, groupTable(c, m.native.frame, n.byFrame))
  if (n.topSites.length) {
    blocks.push(
      { type: 'paragraph', text: m.native.sites(n.topSitesBy) },
      {
        type: 'table',
        columns: [{ header: m.native.sharedObject }, { header: m.native.frame }, { header: m.native.leaked, align: 'right' }, { header: m.native.peak, align: 'right' }, { header: m.native.allocations, align: 'right' }],
        rows: n.topSites.map((s) => [`\`${s.library}\``, s.frame ? `\`${s.frame}\`` : '—', f.bytes(s.leakedBytes), f.bytes(s.peakBytes), f.num(s.allocations, 0)]),
      },
    )
  }
  return blocks
}

/** The native allocations section (after's run only: a heaptrack pass describes the code it traced). */
export function nativeSection(c: ComposeContext): Section {
  const { m } = c
  const found = c.r.after.native
  const blocks: Block[] = found.length ? [{ type: 'paragraph', text: m.native.intro }, ...found.flatMap((n) => scenarioBlocks(c, n))] : [{ type: 'paragraph', text: m.native.none }]
  return { id: 'native', title: m.section.native, blocks }
}
