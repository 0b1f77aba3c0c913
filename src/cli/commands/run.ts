/**
 * `memgate run [SCENARIO...]`: runs scenarios in fresh worker processes and writes
 * `reports/<run-id>/run.json`. Exit code 3 when any worker crashed, was killed or hung.
 */
import type { Argv, CommandModule } from 'yargs'
import { ExitCode } from '../../common/errors.js'
import { formatBytes, formatMs } from '../../common/units.js'
import type { RunEvent, RunOutcome } from '../../scenario/harness.js'
import { println, type CommandContext, type OutStream } from '../io.js'
import { renderTable } from '../table.js'

interface Args {
  scenario?: string[]
  repeat?: number
  profile?: string
  param?: string[]
  snapshots?: string
  timeout?: number
  out?: string
  interval?: number
  'node-flag'?: string[]
  env?: string[]
  'memory-limit'?: string
  config?: string
}

/** The `run` command. */
export function runCommand(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'run [scenario..]',
    describe: 'Run scenarios in fresh processes and record memory figures (default suite: startup load stability precision, profile lean)',
    builder: (y: Argv<object>) =>
      y
        .positional('scenario', { type: 'string', array: true, describe: 'built-in scenario names or scenario module paths (.js, .ts)' })
        .option('repeat', { type: 'number', describe: 'fresh worker processes per scenario (every repeat is kept) [default: 1]' })
        .option('profile', { type: 'string', choices: ['default', 'lean'], describe: 'engine profile passed to the scenarios [default: lean for the default suite, else default]' })
        .option('param', { type: 'string', array: true, nargs: 1, describe: 'scenario parameter k=v or scenario.k=v (repeatable)' })
        .option('snapshots', { type: 'string', choices: ['none', 'stages'], describe: "'stages': one more process takes heap snapshots before and after each stage [default: the scenario's]" })
        .option('timeout', { type: 'number', describe: 'seconds per worker process before it is killed as hung [default: 900]' })
        .option('out', { type: 'string', describe: 'output directory [default: reports]' })
        .option('interval', { type: 'number', describe: 'sampling interval of the worker, ms [default: 100]' })
        .option('node-flag', { type: 'string', array: true, nargs: 1, describe: 'Node/V8 flag for the workers, e.g. --node-flag=--max-old-space-size=512' })
        .option('env', { type: 'string', array: true, nargs: 1, describe: 'environment for the workers, NAME=value (e.g. MALLOC_ARENA_MAX=2)' })
        .option('memory-limit', { type: 'string', describe: "run each worker in a memory cgroup with this limit, e.g. '512 MiB' (needs writable cgroups)" })
        .option('config', { type: 'string', describe: 'config file [default: memgate.config.{ts,js,json} in the working directory]' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { loadConfig, resolveRunOptions } = await import('../../config/index.js')
      const { loadScenarios, runScenarios } = await import('../../scenario/harness.js')
      const { io } = ctx
      const loaded = await loadConfig(io.cwd, args.config)
      const options = resolveRunOptions(
        {
          scenarios: args.scenario,
          repeat: args.repeat,
          profile: args.profile,
          params: args.param,
          snapshots: args.snapshots,
          timeoutSec: args.timeout,
          intervalMs: args.interval,
          nodeFlags: args['node-flag'],
          env: args.env,
          memoryLimit: args['memory-limit'],
          outDir: args.out,
        },
        loaded.config.run,
        io.cwd,
        loaded.baseDir,
      )
      const scenarios = await loadScenarios(options.scenarios)
      if (options.defaultSuite) println(io.stdout, `Running the default suite (${options.scenarios.join(', ')}) with profile ${options.profile}.`)
      const progress = new Progress(io.stdout)
      const outcome = await runScenarios({ ...options, scenarios, baseEnv: io.env, argv: [...io.argv], onEvent: (e) => progress.onEvent(e) })
      progress.end()
      printSummary(io.stdout, outcome)
      println(io.stdout, `Run written to ${outcome.file}`)
      if (outcome.failedRepeats > 0) {
        for (const s of outcome.run.scenarios) {
          for (const r of s.repeats) if (r.failure) println(io.stderr, `memgate: ${s.name} ${r.pass} #${r.index + 1} ${r.state}: ${r.failure.message}`)
        }
        ctx.exitCode = ExitCode.TargetFailed
      }
    },
  }
}

/** Live lines: on a terminal one line per stage, rewritten as it goes; elsewhere a line per finished stage. */
class Progress {
  private live = false
  private lastDrawMs = 0
  private label = ''

  constructor(private readonly out: OutStream) {}

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'repeat-start':
        this.clear()
        this.label = `${e.scenario} ${e.pass === 'measure' ? `#${e.index + 1}/${e.total}` : 'snapshots'}`
        println(this.out, `▸ ${this.label}`)
        break
      case 'stage-start':
        this.draw(`  ${e.stage} (${e.kind}) …`, true)
        break
      case 'progress':
        if (e.stage !== null) this.draw(`  ${e.stage}  ops ${e.ops}${e.errors ? ` (${e.errors} errors)` : ''}  rss ${formatBytes(e.rssBytes)}  peak ${formatBytes(e.peakRssBytes)}`)
        break
      case 'stage-end':
        this.clear()
        println(this.out, `  ${e.stage}  ops ${e.ops}${e.errors ? ` (${e.errors} errors)` : ''}  ${formatMs(e.durationMs)}  rss ${formatBytes(e.rssBytes)}  peak ${formatBytes(e.peakRssBytes)}`)
        break
      case 'repeat-end':
        this.clear()
        if (e.repeat.failure) println(this.out, `  ✗ ${e.repeat.state}: ${e.repeat.failure.message}`)
        break
    }
  }

  end(): void {
    this.clear()
  }

  private draw(line: string, force = false): void {
    if (!this.out.isTTY) return
    const now = Date.now()
    // Redraw at most 10 times a second: a terminal is slower than a 10 ms sampler.
    if (!force && now - this.lastDrawMs < 100) return
    this.lastDrawMs = now
    const width = Math.max(20, (this.out.columns ?? 100) - 1)
    this.out.write(`\r\x1b[K${line.slice(0, width)}`)
    this.live = true
  }

  private clear(): void {
    if (!this.live) return
    this.out.write('\r\x1b[K')
    this.live = false
  }
}

function printSummary(out: OutStream, outcome: RunOutcome): void {
  const rows = outcome.run.scenarios.flatMap((s) =>
    s.repeats.map((r) => [s.name, r.pass === 'measure' ? `#${r.index + 1}` : 'snapshot', r.state, formatBytes(r.peakRssBytes), formatMs(r.endedAtMs - r.startedAtMs), String(r.stages.length)]),
  )
  println(out)
  println(
    out,
    renderTable(
      [{ header: 'scenario' }, { header: 'repeat' }, { header: 'state' }, { header: 'peak RSS', right: true }, { header: 'time', right: true }, { header: 'stages', right: true }],
      rows,
    ),
  )
}
