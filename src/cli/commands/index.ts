/** The command list. Each command lives in its own file and loads heavy modules only when run. */
import type { Argv } from 'yargs'
import type { CommandContext } from '../io.js'

export function registerCommands(parser: Argv, _ctx: CommandContext): Argv {
  return parser
}
