/**
 * yargs, without loading its help-text libraries until help is printed.
 *
 * `import yargs from 'yargs'` loads cliui, wrap-ansi, strip-ansi and three copies of string-width
 * (with emoji-regex, get-east-asian-width, an `Intl.Segmenter` and `/v` regular expressions that
 * V8 builds from ICU's Unicode sets as it parses them): measured +3 MiB anonymous and +1 MiB of
 * the node binary's pages at import, most of what yargs costs `memgate watch` (RSS goal ≤ 60 MB,
 * issue 12), for help text it never prints. This is yargs' own ESM entry
 * (yargs/index.mjs + lib/platform-shims/esm.mjs, yargs 18) with `cliui` and `stringWidth`
 * loaded by `require` on first use: the same parser, the same help (see also {@link withoutHelpCache}).
 *
 * It needs `require()` of ES modules (Node ≥ 20.19); on an older Node, {@link loadYargs} returns
 * yargs' own entry.
 */
import { notStrictEqual, strictEqual } from 'node:assert'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import type { Argv } from 'yargs'

type YargsFactory = (processArgs?: readonly string[] | string, cwd?: string) => Argv

/**
 * The yargs factory: lean where Node can `require` ES modules, else yargs' own entry. The lean one
 * reads yargs' build files by path; should a yargs release move them, the CLI still starts, on
 * yargs' own entry (test/cli/lean-yargs.test.ts fails then, so the move is seen).
 */
export async function loadYargs(): Promise<YargsFactory> {
  if (process.features.require_module) {
    try {
      return leanYargs()
    } catch {
      // yargs' internal layout changed: fall through to its own entry.
    }
  }
  return (await import('yargs')).default as unknown as YargsFactory
}

let factory: YargsFactory | undefined

/** yargs' factory with a platform shim whose help-text libraries load on first use. */
export function leanYargs(): YargsFactory {
  if (factory) return factory
  // Resolved from yargs' own location: these are its dependencies (and its files), not ours.
  const entry = createRequire(import.meta.url).resolve('yargs')
  const root = dirname(entry)
  const req = createRequire(entry)
  // Some of them have a CommonJS build for require (module.exports), others are ES modules only (a default export).
  const esm = <T>(id: string): T => {
    const m = req(id) as { default?: T } & T
    return m.default ?? m
  }
  const { YargsFactory } = req('./build/lib/yargs-factory.js') as { YargsFactory: (shim: unknown) => YargsFactory }
  const { getProcessArgvBin } = req('./build/lib/utils/process-argv.js') as { getProcessArgvBin: () => string }
  const y18n = esm<(opts: { directory: string; updateFiles: boolean }) => unknown>('y18n')
  const getCallerFile = req('get-caller-file') as (position?: number) => string
  let stringWidth: ((s: string) => number) | undefined
  const shim = {
    assert: { notStrictEqual, strictEqual },
    cliui: (opts: unknown) => esm<(o: unknown) => unknown>('cliui')(opts),
    findUp: esm<unknown>('escalade/sync'),
    getEnv: (key: string) => process.env[key],
    inspect,
    getProcessArgvBin,
    // As yargs' shim computes it from its own path: the directory above node_modules.
    mainFilename: root.substring(0, root.lastIndexOf('node_modules')) || process.cwd(),
    Parser: esm<unknown>('yargs-parser'),
    path: { basename, dirname, extname, relative, resolve, join },
    process: {
      argv: () => process.argv,
      cwd: process.cwd,
      emitWarning: (warning: string, type: string) => process.emitWarning(warning, type),
      execPath: () => process.execPath,
      exit: (code: number) => process.exit(code),
      nextTick: process.nextTick,
      stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null,
    },
    readFileSync,
    readdirSync,
    require: req,
    getCallerFile: () => {
      const callerFile = getCallerFile(3)
      return callerFile.startsWith('file://') ? fileURLToPath(callerFile) : callerFile
    },
    stringWidth: (s: string) => (stringWidth ??= esm<(s: string) => number>('string-width'))(s),
    y18n: y18n({ directory: join(root, 'locales'), updateFiles: false }),
  }
  const create = YargsFactory(shim)
  return (factory = (processArgs, cwd) => withoutHelpCache(create(processArgs, cwd)))
}

/**
 * yargs renders a command's whole help as it starts the command's handler, in case the handler
 * calls `showHelp()` later: that would load the help-text libraries in every command. memgate's
 * handlers never do (usage errors go through `.fail()`, `--help` renders its own), so it is skipped.
 * `getInternalMethods()` is yargs' (17, 18) way into its parts; without it, nothing changes.
 */
function withoutHelpCache(parser: Argv): Argv {
  const internal = (parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.()
  const usage = internal?.getUsageInstance?.()
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined
  return parser
}
