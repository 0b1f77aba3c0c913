/**
 * V8 flags that keep `memgate watch` (and `memgate --help`) small: the watcher's own RSS is a
 * goal (≤ 60 MB, issue 12). The bin script applies them with `v8.setFlagsFromString` before it
 * imports the CLI, so they cover yargs, zod and the watcher's modules; nothing here loads more.
 *
 * Measured on Node 20 (peak RSS of `watch --duration 4 -- sleep 30`, median of 3–5 runs):
 * - `--semi-space-growth-factor=1`: the young generation stays at its initial 1 MiB semi-space
 *   instead of doubling while the modules load (everything survives then): −2.5 MiB for watch,
 *   −2 MiB for --help. (`--max-semi-space-size` does nothing once the heap is set up; this does.)
 * - `--no-opt`: no TurboFan. Its compiler's machine code (pages of the node binary) and zones are
 *   never touched: −2 MiB for watch, −5 MiB for --help. The watch loop stays ≤ 1% of a core
 *   without it (0.60% at 1 s on 10 processes, bench/watch.ts), its hot paths are short.
 * - `--optimize-for-size`: V8's smaller heap growth and code choices: −1 MiB for watch.
 * Never set here: `--single-threaded-gc`, `--no-parallel-marking` and the like. Changed after
 * start, they make V8 abort ("Check failed: concurrent_marking_handle_ …") at the next full GC.
 * With yargs' help-text libraries left unloaded (./lean-yargs.ts) and no process report at all
 * (src/common/libc.ts), the flags took watch from 71–74 to ~55 MiB and --help from 60
 * to ~51 MiB (bench/watch-rss.ts). Tried and dropped (no gain at run time): `--no-sparkplug`,
 * `--max-lazy`, `--bytecode-old-age=1`, `--no-lazy-feedback-allocation`, a GC before the run modules load.
 * Other commands keep V8's defaults: `run`, `check`, `diff`, `inspect` allocate and compute a lot
 * and would lose time with a 1 MiB young generation and no optimising compiler.
 */

/** The flags, in the order they are applied. */
export const LEAN_V8_FLAGS: readonly string[] = ['--semi-space-growth-factor=1', '--no-opt', '--optimize-for-size']

/** The commands that run lean; a command line without a command (`--help`, `--version`) does too. */
const LEAN_COMMANDS: ReadonlySet<string> = new Set(['watch'])

/** The V8 flags for memgate's command line `argv` (without node and the script): lean ones or none. */
export function leanV8Flags(argv: readonly string[]): readonly string[] {
  const first = argv[0]
  // memgate has no global option that takes a value, so a first word with a dash is --help/--version (or a usage error).
  if (first === undefined || first.startsWith('-') || LEAN_COMMANDS.has(first)) return LEAN_V8_FLAGS
  return []
}
