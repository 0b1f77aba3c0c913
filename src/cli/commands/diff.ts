/**
 * `memgate diff BEFORE AFTER [--top 20] [--retainers 3] [--json]`: which classes grew between two
 * heap snapshots of one process, and the retainer paths that keep the new objects alive.
 */
import type { Argv } from 'yargs'
import { resolve } from 'node:path'
import { ExitCode } from '../../common/errors.js'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { positiveInteger, progressPrinter } from '../format.js'
import { renderDiff } from '../snapshot-output.js'

interface Args {
  before: string
  after: string
  top: number
  retainers: number
  json: boolean
}

/** The `diff` command. */
export function diffCommand(ctx: CommandContext): CommandBody<Args> {
  return {
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
