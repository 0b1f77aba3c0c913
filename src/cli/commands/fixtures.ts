/** `memgate fixtures`: generates a built-in document corpus with ground truth and lists what it wrote. */
import type { Argv } from 'yargs'
import { UsageError } from '../../common/errors.js'
import { prepareOutputDir } from '../../common/fs.js'
import { println, type CommandContext } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { renderTable } from '../../report/render/table.js'

interface Args {
  corpus: 'sample' | 'precision' | 'load'
  out?: string
  seed?: number
  count?: number
}

/** The `fixtures` command. */
export function fixturesCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      y
        .option('corpus', { choices: ['sample', 'precision', 'load'] as const, default: 'sample' as const, describe: 'which built-in corpus to generate' })
        .option('out', { type: 'string', describe: 'directory to write to [default: the reusable cache .cache/fixtures/<corpus>-<hash>]' })
        .option('seed', { type: 'number', describe: 'base seed; same seed → identical files [default: 1]' })
        .option('count', { type: 'number', describe: 'number of regular documents [default: 6 / 36 / 24]' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      checkInteger('--seed', args.seed, 0, 0xffffffff)
      checkInteger('--count', args.count, 1, 10_000)
      const { resolve } = await import('node:path')
      const out = args.out === undefined ? undefined : await prepareOutputDir(resolve(io.cwd, args.out), '--out')
      // The generator loads canvas and sharp: only when this command runs.
      const { planCorpus, generateCorpus, ensureCorpus } = await import('../../../scenarios/fixtures/index.js')
      const plan = planCorpus(args.corpus, { ...(args.seed === undefined ? {} : { seed: args.seed }), ...(args.count === undefined ? {} : { count: args.count }) })
      const started = performance.now()
      const manifest = args.out === undefined ? await ensureCorpus(plan) : await generateCorpus(out!, plan)
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      const rows = manifest.documents.map((d) => [d.id, d.lang, d.kind, d.degradations.length > 0 ? d.degradations.join(', ') : 'clean'])
      println(io.stdout, renderTable([{ header: 'id' }, { header: 'lang' }, { header: 'kind' }, { header: 'degradations' }], rows))
      println(io.stdout)
      println(io.stdout, `${manifest.documents.length} documents of corpus '${manifest.name}' in ${manifest.dir} (manifest.json, ${seconds} s)`)
      ctx.exitCode = 0
    },
  }
}

function checkInteger(flag: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`Expected ${flag} to be an integer in ${min}..${max} but received ${String(value)}.`)
  }
}
