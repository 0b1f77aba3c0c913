/** The text of `memgate diff`: what grew and what retains it, or per-class counts when the two snapshots come from different processes. */
import { relative } from 'node:path'
import { formatBytes } from '../common/units.js'
import type { DiffReport } from '../snapshot/index.js'
import { renderTable } from '../report/render/table.js'
import { formatCount } from './format.js'

/**
 * The text report of snapshots from two processes: the warning, then per-class counts and sizes
 * before and after (no New/Freed columns: ids do not match across processes).
 */
function renderCountsOnly(report: DiffReport, table: string): string {
  const lines = [
    ...(report.warnings ?? []).map((w) => `WARNING: ${w}`),
    '',
    table,
    '',
    `Net change     ${formatCount(report.after.nodeCount - report.before.nodeCount, true)} objects (${formatBytes(report.after.totalSelfSizeBytes - report.before.totalSelfSizeBytes, true)})`,
    '',
  ]
  if (report.classes.length === 0) {
    lines.push('No class changed in count or size between the snapshots.')
    return lines.join('\n')
  }
  lines.push(
    renderTable(
      [
        { header: 'Class' },
        { header: 'Type' },
        { header: 'Count before', right: true },
        { header: 'Count after', right: true },
        { header: 'Net count', right: true },
        { header: 'Size before', right: true },
        { header: 'Size after', right: true },
        { header: 'Net size', right: true },
      ],
      report.classes.map((c) => [
        c.className,
        c.nodeType,
        formatCount(c.countBefore),
        formatCount(c.countAfter),
        formatCount(c.netCount, true),
        formatBytes(c.sizeBeforeBytes),
        formatBytes(c.sizeAfterBytes),
        formatBytes(c.netSizeBytes, true),
      ]),
    ),
  )
  if (report.classCount > report.classes.length) lines.push(`(${report.classes.length} of ${formatCount(report.classCount)} changed classes; --top to show more)`)
  return lines.join('\n')
}

/** The text report: totals, a table of the top classes, then retainer paths per growing class (timings are in the JSON only). */
export function renderDiff(report: DiffReport, cwd: string): string {
  const name = (path: string) => relative(cwd, path) || path
  const snapshotRow = (label: string, s: DiffReport['before']) => [label, name(s.path), formatBytes(s.fileSizeBytes), formatCount(s.nodeCount), formatBytes(s.totalSelfSizeBytes)]
  const table = renderTable(
    [{ header: '' }, { header: 'Snapshot' }, { header: 'File', right: true }, { header: 'Objects', right: true }, { header: 'Heap', right: true }],
    [snapshotRow('before', report.before), snapshotRow('after', report.after)],
  )
  if (report.ids && !report.ids.comparable) return renderCountsOnly(report, table)
  const lines = [
    table,
    '',
    `New objects    ${formatCount(report.addedCount)} (${formatBytes(report.addedSizeBytes)})`,
    `Freed objects  ${formatCount(report.removedCount)} (${formatBytes(report.removedSizeBytes)})`,
    `Net change     ${formatCount(report.after.nodeCount - report.before.nodeCount, true)} objects (${formatBytes(report.after.totalSelfSizeBytes - report.before.totalSelfSizeBytes, true)})`,
    '',
  ]
  if (report.classes.length === 0) {
    lines.push('No objects were added or freed between the snapshots.')
    return lines.join('\n')
  }
  lines.push(
    renderTable(
      [
        { header: 'Class' },
        { header: 'Type' },
        { header: 'New', right: true },
        { header: 'Freed', right: true },
        { header: 'Net count', right: true },
        { header: 'Net size', right: true },
        { header: 'Count after', right: true },
        { header: 'Size after', right: true },
      ],
      report.classes.map((c) => [
        c.className,
        c.nodeType,
        formatCount(c.addedCount),
        formatCount(c.removedCount),
        formatCount(c.netCount, true),
        formatBytes(c.netSizeBytes, true),
        formatCount(c.countAfter),
        formatBytes(c.sizeAfterBytes),
      ]),
    ),
  )
  if (report.classCount > report.classes.length) lines.push(`(${report.classes.length} of ${formatCount(report.classCount)} changed classes; --top to show more)`)
  const withPaths = report.classes.filter((c) => c.retainers && c.retainers.clusters.length > 0)
  if (withPaths.length > 0) {
    lines.push('', 'Retainer paths of new objects (shortest path from a GC root; share of the objects examined):')
    for (const c of withPaths) {
      const r = c.retainers!
      lines.push('', `${c.className}  ${formatCount(c.addedCount, true)} new, ${formatCount(r.examined)} examined`)
      for (const cluster of r.clusters) {
        const share = `${Math.round((cluster.count / r.examined) * 100)}%`.padStart(4)
        lines.push(`  ${share}  ${cluster.path.text}  (e.g. @${cluster.path.nodeId})`)
      }
    }
  }
  return lines.join('\n')
}
