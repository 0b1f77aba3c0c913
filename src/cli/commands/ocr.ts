/**
 * `memgate ocr FILE...`: read images with the OCR engine. One JSON object per input per line with
 * `--json`, a readable table otherwise. Exit 0 when every input was read, 2 when any was rejected;
 * the other inputs are still processed and printed.
 */
import { join, resolve } from 'node:path'
import type { Argv } from 'yargs'
import { ExitCode, MemgateError } from '../../common/errors.js'
import { LEAN_PROFILE, PROFILE_NAMES, type ProfileName } from '../../engine/profiles.js'
import type { CommandContext } from '../io.js'
import { println } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { renderTable } from '../../report/render/table.js'
import { inputsInOrder, loadEngineConfig, readStdin, STDIN_LABEL } from '../ocr/inputs.js'
import { clarify, ocrColumns, toJsonLine, toRow } from '../ocr/output.js'

interface OcrArgs {
  files: string[]
  json: boolean
  text: boolean
  profile: ProfileName
  config?: string
  samples: boolean
}

export function ocrCommand(ctx: CommandContext): CommandBody<OcrArgs> {
  return {
    builder: (y: Argv) =>
      y
        .positional('files', { type: 'string', array: true, default: [], describe: "Image files (PNG, JPEG, WebP, TIFF, GIF, ...); '-' reads one image from standard input" })
        .option('json', { type: 'boolean', default: false, describe: 'One JSON object per input per line, in input order' })
        .option('text', { type: 'boolean', default: false, describe: 'Also print the recognised page text (table mode)' })
        .option('profile', { choices: PROFILE_NAMES, default: LEAN_PROFILE, describe: 'Engine profile' })
        .option('config', { type: 'string', describe: 'JSON file with engine options (see EngineOptions); overrides the profile' })
        .option('samples', { type: 'boolean', default: false, describe: 'Read the bundled sample corpus (generated on first use) and score it against its ground truth' })
        .example('memgate ocr invoice.png receipt.jpg', 'Print a table of lines, confidence and fields')
        .example('memgate ocr --json scans/*.png > out.jsonl', 'Machine-readable output')
        .example('convert scan.pdf png:- | memgate ocr -', 'Read an image piped in on standard input')
        .example('memgate ocr --samples', 'OCR the generated sample corpus and print CER per document') as unknown as Argv<OcrArgs>,
    handler: async (args) => {
      ctx.exitCode = await runOcr(ctx, args)
    },
  }
}

async function runOcr(ctx: CommandContext, args: OcrArgs): Promise<number> {
  const { io } = ctx
  const truth = new Map<string, string>()
  const given = inputsInOrder(io.argv, args.files)
  const stdinImage = given.stdin ? await readStdin(io) : null
  const files: (string | Buffer)[] = given.order.map((f) => (f === STDIN_LABEL ? stdinImage! : resolve(io.cwd, f)))
  const labelOf = (input: string | Uint8Array): string => (typeof input === 'string' ? input : STDIN_LABEL)
  if (args.samples) {
    const { ensureCorpus, readTruth } = await import('../../../scenarios/fixtures/index.js')
    const corpus = await ensureCorpus('sample')
    for (const entry of corpus.documents) {
      const file = join(corpus.dir, entry.image)
      files.push(file)
      truth.set(file, (await readTruth(corpus, entry)).text)
    }
    if (!args.json) println(io.stderr, `Sample corpus: ${corpus.dir} (${corpus.documents.length} generated documents)`)
  }
  if (files.length === 0) throw new MemgateError('USAGE', 'Name at least one image file, or pass --samples to read the bundled sample corpus.')

  const { openEngine, resolveEngineOptions } = await import('../../engine/index.js')
  const options = resolveEngineOptions({ profile: args.profile, ...(await loadEngineConfig(args.config, io.cwd)) })
  const engine = await openEngine(options)
  const rows: string[][] = []
  const texts: string[] = []
  const failures: { label: string; error: MemgateError }[] = []
  let rejected = 0
  try {
    let done = 0
    for await (const item of engine.recognizeMany(files)) {
      done++
      if (!item.ok) rejected++
      const label = labelOf(item.input)
      if (!item.ok) failures.push({ label, error: clarify(item.error, label) })
      if (io.stderr.isTTY && !args.json) io.stderr.write(`\r${done}/${files.length} ${label}`.slice(0, 100).padEnd(100) + (done === files.length ? '\n' : ''))
      if (args.json) {
        println(io.stdout, JSON.stringify(toJsonLine(item, label)))
        continue
      }
      rows.push(toRow(item, label, typeof item.input === 'string' ? truth.get(item.input) : undefined))
      if (args.text && item.ok) texts.push(`── ${label}\n${item.result.text}`)
    }
  } finally {
    await engine.close()
  }
  if (!args.json) {
    println(io.stdout, renderTable(ocrColumns(truth.size > 0), truth.size ? rows : rows.map((r) => r.filter((_, i) => i !== 5))))
    for (const t of texts) println(io.stdout, `\n${t}`)
    println(io.stdout, `\n${files.length - rejected} of ${files.length} inputs read${rejected ? `, ${rejected} rejected` : ''}.`)
    // The table has room for the code only: say why each input was rejected.
    for (const f of failures) println(io.stderr, `memgate ocr: ${f.label}: ${f.error.code}: ${f.error.message}`)
  }
  return rejected > 0 ? ExitCode.UsageError : ExitCode.Ok
}

