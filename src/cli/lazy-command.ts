/**
 * Commands registered by name and description, their modules imported only when they run.
 *
 * Every command module imported at start cost `memgate watch` (and `memgate --help`) its modules
 * and what they import: measured 77–83 MiB of RSS for the watcher against a 60 MB goal (issue 12).
 * yargs needs only a command's name (with its positionals) and description to list it and to
 * dispatch; it awaits a builder that returns a promise, so the options come from the command's
 * module, loaded then: `memgate --help` loads no command module, `memgate watch` loads one.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs'
import type { CommandContext } from './io.js'

/** What a command module exports: its options and what it does (the registry owns its name). */
export interface CommandBody<A> {
  /** Declares the command's positionals, options and examples. */
  builder: (y: Argv<object>) => Argv<A>
  handler: (args: ArgumentsCamelCase<A>) => void | Promise<void>
}

/** A command as `memgate --help` lists it, and where its body lives. */
export interface LazyCommandSpec<A> {
  /** yargs command string: the name and its positionals, e.g. `watch [pid..]`. */
  command: string
  /** One line for `memgate --help`. */
  describe: string
  /** Imports the command's module; called at most once, when the command runs or shows its help. */
  load: () => Promise<(ctx: CommandContext) => CommandBody<A>>
}

/** The yargs command of `spec`: its module loads on first use, once. */
export function lazyCommand<A>(spec: LazyCommandSpec<A>, ctx: CommandContext): CommandModule<object, A> {
  let body: Promise<CommandBody<A>> | undefined
  const load = (): Promise<CommandBody<A>> => (body ??= spec.load().then((make) => make(ctx)))
  return {
    command: spec.command,
    describe: spec.describe,
    builder: async (y: Argv<object>) => (await load()).builder(y),
    handler: async (args) => (await load()).handler(args),
  }
}
