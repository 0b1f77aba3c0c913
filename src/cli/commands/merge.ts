/**
 * `memgate merge DIR... [--out DIR]`: joins the partial runs of a CI job matrix (`check --shard
 * i/n`, `run --shard i/n`) into one run directory for `memgate check --run`, `report` and
 * `baseline update`. Refuses (exit 2) partials that are not parts of one suite under one config.
 */
import type { Argv } from 'yargs'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'

interface Args {
  dir?: string[]
  out?: string
  'allow-partial'?: boolean
  'allow-mixed-machines'?: boolean
}

/** The `merge` command. */
export function mergeCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      y
        .positional('dir', { type: 'string', array: true, describe: "each shard's run directory (or the --out directory holding it)" })
        .option('out', { type: 'string', describe: 'directory of the merged run (must not exist or be empty) [default: reports/<new run id>, pointed at by reports/latest]' })
        .option('allow-partial', { type: 'boolean', default: false, describe: 'merge although shards are missing or an input is not a shard' })
        .option('allow-mixed-machines', { type: 'boolean', default: false, describe: 'merge shards measured on different CPU models or core counts (platform, arch and Node major must match)' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      const { mergeRuns, formatShard } = await import('../../run/index.js')
      const merged = await mergeRuns(io.cwd, args.dir ?? [], {
        out: args.out,
        allowPartial: args['allow-partial'],
        allowMixedMachines: args['allow-mixed-machines'],
        argv: io.argv,
      })
      for (const note of merged.notes) println(io.stderr, `memgate: note: ${note}`)
      const parts = merged.partials.map((p) => (p.run.shard ? `shard ${formatShard(p.run.shard)}` : `run ${p.run.id}`))
      const names = merged.run.scenarios.map((s) => s.name)
      println(io.stdout, `Merged ${parts.join(', ')}: ${names.length} scenario${names.length === 1 ? '' : 's'} (${names.join(', ')}), ${merged.copies.length} referenced file${merged.copies.length === 1 ? '' : 's'} copied.`)
      println(io.stdout, `Run written to ${merged.file}`)
    },
  }
}
