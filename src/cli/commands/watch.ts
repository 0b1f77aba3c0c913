/**
 * `memgate watch PID...`, `memgate watch --name REGEX`, `memgate watch -- COMMAND ARGS...`:
 * watches processes memgate did not start (or one it starts) with their descendants, shows a
 * live table (a line per interval off a terminal, JSON objects with `--json`), and writes the
 * watch as a run (`reports/<id>/run.json`, target kind `watch`) that `memgate report` and
 * `memgate check --run` read. Exit 0, 1 when `--max-rss`/`--max-pss` was exceeded, 2 for a bad
 * selection or flag, 3 when the command memgate started failed. Ctrl-C stops the watch cleanly:
 * the run is written and the exit code is as above.
 */
import { resolve } from 'node:path'
import type { Argv } from 'yargs'
import { ExitCode, UsageError } from '../../common/errors.js'
import { formatBytes, parseBytes } from '../../common/units.js'
import type { WatchRunOutcome } from '../../check/watch-run.js'
import type { WatchSelection } from '../../probe/index.js'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { createWatchDisplay } from '../watch-table.js'
import { summaryLines, summaryOf, WATCH_JSON_VERSION } from '../watch-summary.js'

interface Args {
  pid?: (number | string)[]
  name?: string
  interval: number
  duration?: number
  children: boolean
  out: string
  'max-rss'?: string
  'max-pss'?: string
  json: boolean
}

/** The `watch` command. */
export function watchCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      y
        .positional('pid', { type: 'string', array: true, describe: 'process ids to watch' })
        .option('name', { type: 'string', describe: 'watch every process whose command line matches this regular expression (memgate itself excluded)' })
        .option('interval', { type: 'number', default: 1, describe: 'seconds between samples' })
        .option('duration', { type: 'number', describe: 'stop after this many seconds [default: until the targets end or Ctrl-C]' })
        .option('children', { type: 'boolean', default: true, describe: 'watch the whole tree under each target (--no-children: the targets only)' })
        .option('out', { type: 'string', default: 'reports', describe: 'runs directory: writes OUT/<id>/run.json and points OUT/latest at it' })
        .option('max-rss', { type: 'string', describe: "budget on the tree's total RSS, e.g. '500 MiB': exit 1 when exceeded" })
        .option('max-pss', { type: 'string', describe: "budget on the tree's total PSS (shared pages counted once), e.g. '400 MiB': exit 1 when exceeded" })
        .option('json', { type: 'boolean', default: false, describe: `print one JSON object per interval, then a summary (memgate.watch v${WATCH_JSON_VERSION})` })
        .example('memgate watch 4242 --duration 600', 'Watch PID 4242 and its children for ten minutes')
        .example('memgate watch --name "gunicorn|celery" --max-pss 2GiB', 'Every Gunicorn and Celery process; fail when their PSS passes 2 GiB')
        .example('memgate watch -- python3 -m http.server 8000', 'Start a command, watch it until it ends (Ctrl-C ends it)') as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const selection = selectionOf(args, io.argv)
      const intervalMs = seconds(args.interval, '--interval', 0.01) * 1000
      const durationMs = args.duration === undefined ? null : seconds(args.duration, '--duration', 0.001) * 1000
      const maxRssBytes = args['max-rss'] === undefined ? null : parseBytes(args['max-rss'], '--max-rss')
      const maxPssBytes = args['max-pss'] === undefined ? null : parseBytes(args['max-pss'], '--max-pss')
      const mode = args.json ? 'json' : io.stdout.isTTY ? 'table' : 'lines'
      // Not check/index.js: the gate's baselines and rules are not needed here, and cost ~6 MB of RSS.
      const { runWatch } = await import('../../check/watch-run.js')
      const description = selection.kind === 'pids' ? `PID ${selection.pids.join(', ')}` : selection.kind === 'name' ? `/${selection.pattern}/` : selection.argv.join(' ')
      const display = createWatchDisplay(io.stdout, mode, { description, intervalMs, budgets: { maxRssBytes, maxPssBytes } })
      let outcome: WatchRunOutcome
      try {
        outcome = await runWatch({
          selection,
          intervalMs,
          durationMs,
          children: args.children,
          outDir: resolve(io.cwd, args.out),
          argv: io.argv,
          cwd: io.cwd,
          env: io.env,
          signal: io.signal,
          maxRssBytes,
          maxPssBytes,
          onTick: (tick) => display.tick(tick),
          // The command's output would tear the live table; its stderr tail is kept in the run.
          onOutput: mode === 'table' ? undefined : (chunk) => io.stderr.write(chunk),
        })
      } finally {
        display.end()
      }
      ctx.exitCode = exitCodeOf(outcome)
      if (args.json) println(io.stdout, JSON.stringify(summaryOf(outcome, ctx.exitCode)))
      else for (const line of summaryLines(outcome, io.cwd)) println(io.stdout, line)
      for (const b of outcome.budgets) {
        if (b.exceeded) println(io.stderr, `memgate: --${b.name} ${formatBytes(b.limitBytes)} exceeded: the tree's total ${b.name === 'max-rss' ? 'RSS' : 'PSS'} reached ${formatBytes(b.peakBytes)} (${formatBytes((b.peakBytes ?? 0) - b.limitBytes, true)})`)
      }
      if (outcome.checkpointFailure) println(io.stderr, `memgate: warning: ${outcome.checkpointFailure}`)
      if (outcome.commandFailure) println(io.stderr, `memgate: ${outcome.commandFailure}${outcome.watch.command?.stderrTail ? `; the end of its stderr:\n${outcome.watch.command.stderrTail.trimEnd()}` : ''}`)
    },
  }
}

/** PIDs, `--name` or the words after `--`: exactly one. */
function selectionOf(args: Args, argv: readonly string[]): WatchSelection {
  const dash = argv.indexOf('--')
  const command = dash >= 0 ? argv.slice(dash + 1) : []
  // yargs also hands the words after `--` to the positional: drop them there.
  const words = (args.pid ?? []).map(String).slice(0, Math.max(0, (args.pid?.length ?? 0) - command.length))
  const chosen = [words.length > 0, args.name !== undefined, dash >= 0].filter(Boolean).length
  if (chosen === 0) throw new UsageError('Say what to watch: memgate watch PID..., memgate watch --name REGEX, or memgate watch -- COMMAND ARGS...')
  if (chosen > 1) throw new UsageError('Choose one of PIDs, --name REGEX and -- COMMAND; they cannot be combined')
  if (dash >= 0) return { kind: 'command', argv: command }
  if (args.name !== undefined) return { kind: 'name', pattern: args.name }
  return {
    kind: 'pids',
    pids: words.map((w) => {
      const pid = Number(w)
      if (!/^\d+$/.test(w) || !Number.isSafeInteger(pid) || pid <= 0) throw new UsageError(`Expected a process id (a positive integer) but received '${w}'`)
      return pid
    }),
  }
}

function seconds(value: number, flag: string, least: number): number {
  if (!Number.isFinite(value) || value < least) throw new UsageError(`Expected a number of seconds of at least ${least} for ${flag} but received ${String(value)}`)
  return value
}

function exitCodeOf(outcome: WatchRunOutcome): number {
  if (outcome.commandFailure) return ExitCode.TargetFailed
  return outcome.budgets.some((b) => b.exceeded) ? ExitCode.BudgetExceeded : ExitCode.Ok
}
