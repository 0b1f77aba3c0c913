/**
 * The command list: each command's name and one-line description, defined here once. Each command
 * lives in its own file, imported only when that command runs or shows its help (see
 * ../lazy-command.ts: the watcher's RSS goal), and loads heavy modules only inside its handler.
 */
import type { Argv } from 'yargs'
import type { CommandContext } from '../io.js'
import { lazyCommand } from '../lazy-command.js'

export function registerCommands(parser: Argv, ctx: CommandContext): Argv {
  return parser
    .command(lazyCommand({ command: 'ocr [files..]', describe: 'Read text and invoice fields from images with the built-in OCR engine', load: async () => (await import('./ocr.js')).ocrCommand }, ctx))
    .command(lazyCommand({ command: 'run [scenario..]', describe: 'Run scenarios in fresh processes and record memory figures (default suite: startup load stability precision)', load: async () => (await import('./run.js')).runCommand }, ctx))
    .command(lazyCommand({ command: 'list [scenario..]', describe: 'List the built-in scenarios (or the given scenario modules) with their parameters', load: async () => (await import('./list.js')).listCommand }, ctx))
    .command(lazyCommand({ command: 'diff <before> <after>', describe: 'Compare two heap snapshots of one process: what grew, and what retains it', load: async () => (await import('./diff.js')).diffCommand }, ctx))
    .command(lazyCommand({ command: 'inspect <snapshot>', describe: 'Summarise a heap snapshot by class: count, self size, retained size', load: async () => (await import('./inspect.js')).inspectCommand }, ctx))
    .command(lazyCommand({ command: 'fixtures', describe: 'Generate a document corpus (images + ground-truth JSON) deterministically from a seed', load: async () => (await import('./fixtures.js')).fixturesCommand }, ctx))
    .command(lazyCommand({ command: 'check [scenario..]', describe: 'Gate on memory budgets: run scenarios (or --run DIR), apply every rule, exit 0/1/2/3', load: async () => (await import('./check.js')).checkCommand }, ctx))
    .command(lazyCommand({ command: 'baseline', describe: 'Manage the committed baselines that relative budgets compare against', load: async () => (await import('./baseline.js')).baselineCommand }, ctx))
    .command(lazyCommand({ command: 'report [run]', describe: 'Write the optimisation report of a finished run (report.md with PNG charts, report.html)', load: async () => (await import('./report.js')).reportCommand }, ctx))
    .command(lazyCommand({ command: 'compare [before] [after]', describe: 'Write the before-vs-after report of two runs (or run two profiles first with --profiles default,lean)', load: async () => (await import('./compare.js')).compareCommand }, ctx))
    .command(lazyCommand({ command: 'serve', describe: 'Serve the OCR engine over HTTP (POST /ocr, /healthz, /metrics, /results, /stats) with recycling workers', load: async () => (await import('./serve.js')).serveCommand }, ctx))
    .command(lazyCommand({ command: 'snapshot <pid>', describe: 'Heap snapshot (or allocation sampling) of a running Node.js process, through its inspector', load: async () => (await import('./snapshot.js')).snapshotCommand }, ctx))
    .command(lazyCommand({ command: 'merge <dir..>', describe: 'Merge the partial runs of a CI matrix (--shard i/n) into one run directory', load: async () => (await import('./merge.js')).mergeCommand }, ctx))
    .command(lazyCommand({ command: 'watch [pid..]', describe: 'Watch running processes (PIDs, --name REGEX, or -- COMMAND) with their children: RSS/PSS/USS, swap, CPU; writes a run', load: async () => (await import('./watch.js')).watchCommand }, ctx))
}
