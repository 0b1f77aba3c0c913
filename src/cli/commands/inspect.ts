/**
 * `memgate inspect SNAPSHOT [--top 20] [--json]`: what a heap snapshot holds, by class, with
 * retained sizes (Chrome DevTools' Summary view, for files of any size, in a terminal).
 */
import type { Argv, CommandModule } from 'yargs'
import { relative, resolve } from 'node:path'
import { ExitCode, UsageError } from '../../common/errors.js'
import { formatBytes, MiB } from '../../common/units.js'
import type { InspectReport } from '../../snapshot/index.js'
import { println, type CommandContext, type OutStream } from '../io.js'
import { renderTable } from '../table.js'

interface Args {
  snapshot: string
  top: number
  json: boolean
}

/** The `inspect` command. */
export function inspectCommand(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'inspect <snapshot>',
    describe: 'Summarise a heap snapshot by class: count, self size, retained size',
    builder: (y: Argv<object>) =>
      y
        .positional('snapshot', { type: 'string', demandOption: true, describe: '.heapsnapshot file' })
        .option('top', { type: 'number', default: 20, describe: 'classes to show, largest retained size first' })
        .option('json', { type: 'boolean', default: false, describe: 'print the versioned JSON report (schema: memgate.snapshot.inspect v1)' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const top = positiveInteger(args.top, '--top')
      const { inspectSnapshotFile } = await import('../../snapshot/index.js')
      const progress = progressPrinter(io.stderr)
      const report = await inspectSnapshotFile(resolve(io.cwd, args.snapshot), { top, onProgress: progress.update })
      progress.done()
      println(io.stdout, args.json ? JSON.stringify(report, null, 2) : renderInspect(report, io.cwd))
      ctx.exitCode = ExitCode.Ok
    },
  }
}

/** Validates a count flag. */
export function positiveInteger(value: number, flag: string, allowZero = false): number {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new UsageError(`Expected ${allowZero ? 'a non-negative' : 'a positive'} integer for ${flag} but received ${String(value)}`)
  }
  return value
}

/** Formats a count with thousands separators: `100,000`. */
export function formatCount(n: number, signed = false): string {
  return `${signed && n > 0 ? '+' : ''}${n.toLocaleString('en-US')}`
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

/** Files smaller than this parse in about a second: no progress line. */
const PROGRESS_MIN_BYTES = 64 * MiB

/**
 * A live "reading X: 42%" line on stderr for big files, only when stderr is a terminal
 * (a CI log would get hundreds of lines).
 */
export function progressPrinter(stderr: OutStream): { update: (path: string, read: number, total: number) => void; done: () => void } {
  let shown = false
  let lastPercent = -1
  return {
    update(path, read, total) {
      if (!stderr.isTTY || total < PROGRESS_MIN_BYTES) return
      const percent = Math.floor((read / total) * 100)
      if (percent === lastPercent) return
      lastPercent = percent
      shown = true
      stderr.write(`\rreading ${path}: ${percent}% of ${formatBytes(total)}\u001b[K`)
    },
    done() {
      if (shown) stderr.write('\r\u001b[K')
      shown = false
    },
  }
}
