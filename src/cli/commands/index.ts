/** The command list. Each command lives in its own file and loads heavy modules only when run. */
import type { Argv } from 'yargs'
import type { CommandContext } from '../io.js'
import { runCommand } from './run.js'
import { listCommand } from './list.js'
import { diffCommand } from './diff.js'
import { inspectCommand } from './inspect.js'
import { fixturesCommand } from './fixtures.js'
import { ocrCommand } from './ocr.js'
import { checkCommand } from './check.js'
import { baselineCommand } from './baseline.js'
import { reportCommand } from './report.js'
import { compareCommand } from './compare.js'
import { serveCommand } from './serve.js'
import { snapshotCommand } from './snapshot.js'
import { mergeCommand } from './merge.js'
import { watchCommand } from './watch.js'

export function registerCommands(parser: Argv, _ctx: CommandContext): Argv {
  return parser
    .command(ocrCommand(_ctx))
    .command(runCommand(_ctx))
    .command(listCommand(_ctx))
    .command(diffCommand(_ctx))
    .command(inspectCommand(_ctx))
    .command(fixturesCommand(_ctx))
    .command(checkCommand(_ctx))
    .command(baselineCommand(_ctx))
    .command(reportCommand(_ctx))
    .command(compareCommand(_ctx))
    .command(serveCommand(_ctx))
    .command(snapshotCommand(_ctx))
    .command(mergeCommand(_ctx))
    .command(watchCommand(_ctx))
}
