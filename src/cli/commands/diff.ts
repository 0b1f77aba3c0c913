/**
 * `memgate diff BEFORE AFTER [--top 20] [--retainers 3] [--json]`: which classes grew between two
 * heap snapshots of one process, and the retainer paths that keep the new objects alive.
 */
import type { Argv, CommandModule } from 'yargs'
import { relative, resolve } from 'node:path'
import { ExitCode } from '../../common/errors.js'
import { formatBytes } from '../../common/units.js'
import type { DiffReport } from '../../snapshot/index.js'
import { println, type CommandContext } from '../io.js'
import { renderTable } from '../../report/render/table.js'
import { formatCount, positiveInteger, progressPrinter } from '../format.js'

interface Args {
  before: string
  after: string
  top: number
  retainers: number
  json: boolean
}

/** The `diff` command. */
export function diffCommand(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'diff <before> <after>',
    describe: 'Compare two heap snapshots of one process: what grew, and what retains it',
    builder: (y: Argv<object>) =>
      y
        .positional('before', { type: 'string', demandOption: true, describe: 'the earlier .heapsnapshot' })
        .positional('after', { type: 'string', demandOption: true, describe: 'the later .heapsnapshot of the same process' })
        .option('top', { type: 'number', default: 20, describe: 'classes to show, largest net growth first' })
        .option('retainers', { type: 'number', default: 3, describe: 'retainer paths to show per growing class (0: none)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the versioned JSON report (schema: memgate.snapshot.diff v1)' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const top = positiveInteger(args.top, '--top', false, io.argv)
      const retainers = positiveInteger(args.retainers, '--retainers', true, io.argv)
      const { diffSnapshotFiles } = await import('../../snapshot/index.js')
      const progress = progressPrinter(io.stderr)
      const report = await diffSnapshotFiles(resolve(io.cwd, args.before), resolve(io.cwd, args.after), { top, retainers, onProgress: progress.update })
      progress.done()
      // With --json, warnings also go to stderr, so a script reading the JSON still shows them to a person.
      if (args.json) for (const w of report.warnings ?? []) println(io.stderr, `memgate diff: warning: ${w}`)
      println(io.stdout, args.json ? JSON.stringify(report, null, 2) : renderDiff(report, io.cwd))
      ctx.exitCode = ExitCode.Ok
    },
  }
}

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
