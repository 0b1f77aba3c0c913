/**
 * `memgate inspect SNAPSHOT [--top 20] [--json]`: what a heap snapshot holds, by class, with
 * retained sizes (Chrome DevTools' Summary view, for files of any size, in a terminal).
 */
import type { Argv } from 'yargs'
import { relative, resolve } from 'node:path'
import { ExitCode } from '../../common/errors.js'
import { formatBytes } from '../../common/units.js'
import type { InspectReport } from '../../snapshot/index.js'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { formatCount, positiveInteger, progressPrinter } from '../format.js'
import { renderTable } from '../../report/render/table.js'

interface Args {
  snapshot: string
  top: number
  json: boolean
}

/** The `inspect` command. */
export function inspectCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      y
        .positional('snapshot', { type: 'string', demandOption: true, describe: '.heapsnapshot file' })
        .option('top', { type: 'number', default: 20, describe: 'classes to show, largest retained size first' })
        .option('json', { type: 'boolean', default: false, describe: 'print the versioned JSON report (schema: memgate.snapshot.inspect v1)' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const top = positiveInteger(args.top, '--top', false, io.argv)
      const { inspectSnapshotFile } = await import('../../snapshot/index.js')
      const progress = progressPrinter(io.stderr)
      const report = await inspectSnapshotFile(resolve(io.cwd, args.snapshot), { top, onProgress: progress.update })
      progress.done()
      println(io.stdout, args.json ? JSON.stringify(report, null, 2) : renderInspect(report, io.cwd))
      ctx.exitCode = ExitCode.Ok
    },
  }
}

/** The text report: a header with totals, then a table of the top classes (timings are in the JSON only, so the text is reproducible). */
export function renderInspect(report: InspectReport, cwd: string): string {
  const s = report.snapshot
  const lines = [
    `Snapshot  ${relative(cwd, s.path) || s.path} (${formatBytes(s.fileSizeBytes)})`,
    `Heap      ${formatCount(s.nodeCount)} objects, ${formatCount(s.edgeCount)} references, ${formatBytes(s.totalSelfSizeBytes)} (${formatBytes(report.reachableSizeBytes)} reachable, ${formatCount(report.unreachableCount)} unreachable objects)`,
    '',
    renderTable(
      [{ header: 'Class' }, { header: 'Type' }, { header: 'Count', right: true }, { header: 'Self size', right: true }, { header: 'Retained', right: true }],
      report.classes.map((c) => [c.className, c.nodeType, formatCount(c.count), formatBytes(c.selfSizeBytes), formatBytes(c.retainedSizeBytes)]),
    ),
  ]
  if (report.classCount > report.classes.length) lines.push(`(${report.classes.length} of ${formatCount(report.classCount)} classes; --top to show more)`)
  return lines.join('\n')
}

