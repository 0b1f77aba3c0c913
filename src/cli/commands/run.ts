/**
 * `memgate run [SCENARIO...]`: runs scenarios in fresh worker processes and writes
 * `reports/<run-id>/run.json`. Exit code 3 when any worker crashed, was killed or hung.
 */
import type { Argv } from 'yargs'
import { ExitCode } from '../../common/errors.js'
import { formatBytes, formatMs } from '../../common/units.js'
import type { RunOutcome } from '../../scenario/harness.js'
import type { Shard } from '../../run/shard.js'
import { println, type CommandContext, type OutStream } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { PROFILE_DESCRIBE, SHARD_OPTION } from '../options.js'
import { createReporter } from '../reporter.js'
import { renderTable } from '../../report/render/table.js'

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
  shard?: Shard
  native?: string
}

/** The `run` command. */
export function runCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      y
        .positional('scenario', { type: 'string', array: true, describe: 'built-in scenario names or scenario module paths (.js, .ts)' })
        .option('repeat', { type: 'number', describe: 'fresh worker processes per scenario (every repeat is kept) [default: 1]' })
        .option('profile', { type: 'string', describe: PROFILE_DESCRIBE })
        .option('param', { type: 'string', array: true, nargs: 1, describe: 'scenario parameter k=v or scenario.k=v (repeatable)' })
        .option('snapshots', { type: 'string', choices: ['none', 'stages'], describe: "'stages': one more process takes heap snapshots before and after each stage [default: the scenario's]" })
        .option('timeout', { type: 'number', describe: 'seconds per worker process before it is killed as hung [default: 900]' })
        .option('out', { type: 'string', describe: 'output directory [default: reports]' })
        .option('interval', { type: 'number', describe: 'sampling interval of the worker, ms [default: 100]' })
        .option('node-flag', { type: 'string', array: true, nargs: 1, describe: 'Node/V8 flag for the workers, e.g. --node-flag=--max-old-space-size=512' })
        .option('env', { type: 'string', array: true, nargs: 1, describe: 'environment for the workers, NAME=value (e.g. MALLOC_ARENA_MAX=2)' })
        .option('memory-limit', { type: 'string', describe: "run each worker in a memory cgroup with this limit, e.g. '512 MiB' (needs writable cgroups)" })
        .option('config', { type: 'string', describe: 'config file [default: memgate.config.{ts,js,json} in the working directory]' })
        .option('shard', SHARD_OPTION)
        .option('native', { type: 'string', choices: ['heaptrack'], describe: "one more worker per scenario under a native allocation profiler (never the measuring pass); its top sites go to the scenario's analysis.native" }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const c = await import('../../check/index.js')
      const { loadConfig } = await import('../../config/index.js')
      const { importUserModule } = await import('../../scenario/harness.js')
      const loaded = await loadConfig(io.cwd, args.config, importUserModule)
      const flags = {
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
        shard: args.shard,
      }
      // Checked before anything runs: a missing profiler is a usage error with the install command.
      const tracedPass = args.native === 'heaptrack' ? await c.heaptrackPass() : undefined
      const reporter = createReporter('stages', io.stdout, io.stderr)
      const { outcome } = await c.runTargets(io, loaded, flags, loaded.config.run, reporter.onEvent, tracedPass ? { tracedPass } : {})
      reporter.end()
      printSummary(io.stdout, outcome)
      for (const s of outcome.run.scenarios) {
        const n = s.analysis?.native
        if (n) println(io.stdout, `${s.name}: heaptrack peak ${formatBytes(n.totals.peakBytes)}, still allocated at exit ${formatBytes(n.totals.leakedBytes)}; top: ${n.bySharedObject.slice(0, 3).map((g) => `${g.key.split('/').pop()} ${formatBytes(g.peakBytes)}`).join(', ')} (${n.file})`)
      }
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
