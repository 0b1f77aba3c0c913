/**
 * The CLI: parse → call the library → print → exit code. main() never calls process.exit, so
 * tests run it in-process with fake streams (STYLE.md §1).
 */
import type { Argv } from 'yargs'
import { ExitCode, MemgateError, UsageError, exitCodeFor } from '../common/errors.js'
import type { CliIO, CommandContext } from './io.js'
import { println } from './io.js'
import { registerCommands } from './commands/index.js'
import { loadYargs } from './lean-yargs.js'

export type { CliIO } from './io.js'
export { ExitCode } from '../common/errors.js'

/** Runs the CLI and resolves to its exit code. */
export async function main(io: CliIO): Promise<number> {
  const ctx: CommandContext = { io, exitCode: ExitCode.Ok }
  const yargs = await loadYargs()
  let parser: Argv = yargs(io.argv)
    .scriptName('memgate')
    .usage('memgate <command> [options]\n\nFind and stop memory regressions in Node.js services.')
    .strict()
    .strictCommands()
    .demandCommand(1, 'Name a command.')
    .recommendCommands()
    .exitProcess(false)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err
      throw new UsageError(msg)
    })
    .help()
    .alias('h', 'help')
    .version()
  parser = registerCommands(parser, ctx)
  let helpShown = false
  try {
    await parser.parseAsync(io.argv, {}, (err, _argv, output) => {
      // yargs hands back help/version text instead of printing it when a callback is given.
      if (output && !err) {
        helpShown = true
        println(io.stdout, output)
      }
    })
    if (helpShown) return ExitCode.Ok
    return ctx.exitCode
  } catch (error) {
    // yargs raises YError for argument mistakes it detects outside .fail() (e.g. a flag missing its value).
    if (error instanceof Error && error.name === 'YError') return reportError(io, new UsageError(error.message, { cause: error }))
    return reportError(io, error)
  }
}

/** Prints a known error as one line and an unknown one with its stack (a bug). */
export function reportError(io: CliIO, error: unknown): number {
  const code = exitCodeFor(error)
  if (error instanceof UsageError) {
    println(io.stderr, `memgate: ${error.message}`)
    println(io.stderr, "Run 'memgate --help' for usage.")
  } else if (error instanceof MemgateError) {
    println(io.stderr, `memgate: ${error.code}: ${error.message}`)
  } else {
    println(io.stderr, 'memgate: internal error (this is a bug in memgate; please report it with the stack below)')
    println(io.stderr, error instanceof Error ? (error.stack ?? String(error)) : String(error))
  }
  return code
}
