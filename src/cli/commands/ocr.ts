/**
 * `memgate ocr FILE...`: read images with the OCR engine. One JSON object per input per line with
 * `--json`, a readable table otherwise. Exit 0 when every input was read, 2 when any was rejected;
 * the other inputs are still processed and printed.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import { ConfigError, ExitCode, MemgateError, toError } from '../../common/errors.js'
import { characterErrorRate } from '../../common/text-metrics.js'
import { formatMs, formatPercent } from '../../common/units.js'
import type { OcrItem, OcrResult } from '../../engine/index.js'
import type { CommandContext } from '../io.js'
import { println } from '../io.js'
import { renderTable } from '../../report/render/table.js'

interface OcrArgs {
  files: string[]
  json: boolean
  text: boolean
  profile: 'default' | 'lean'
  config?: string
  samples: boolean
}

/** The JSON line printed per input (documented in the README). */
export type OcrJsonLine =
  | ({ file: string; ok: true } & Pick<OcrResult, 'text' | 'lines' | 'confidence' | 'fields' | 'ms'>)
  | { file: string; ok: false; error: { code: string; message: string } }

export function ocrCommand(ctx: CommandContext): CommandModule<object, OcrArgs> {
  return {
    command: 'ocr [files..]',
    describe: 'Read text and invoice fields from images with the built-in OCR engine',
    builder: (y: Argv) =>
      y
        .positional('files', { type: 'string', array: true, default: [], describe: 'Image files (PNG, JPEG, WebP, TIFF, GIF, ...)' })
        .option('json', { type: 'boolean', default: false, describe: 'One JSON object per input per line, in input order' })
        .option('text', { type: 'boolean', default: false, describe: 'Also print the recognised page text (table mode)' })
        .option('profile', { choices: ['default', 'lean'] as const, default: 'lean' as const, describe: 'Engine profile' })
        .option('config', { type: 'string', describe: 'JSON file with engine options (see EngineOptions); overrides the profile' })
        .option('samples', { type: 'boolean', default: false, describe: 'Read the bundled sample corpus (generated on first use) and score it against its ground truth' })
        .example('memgate ocr invoice.png receipt.jpg', 'Print a table of lines, confidence and fields')
        .example('memgate ocr --json scans/*.png > out.jsonl', 'Machine-readable output')
        .example('memgate ocr --samples', 'OCR the generated sample corpus and print CER per document') as unknown as Argv<OcrArgs>,
    handler: async (args) => {
      ctx.exitCode = await runOcr(ctx, args)
    },
  }
}

async function loadEngineConfig(path: string | undefined, cwd: string): Promise<Record<string, unknown>> {
  if (!path) return {}
  const full = resolve(cwd, path)
  let text: string
  try {
    text = await readFile(full, 'utf8')
  } catch (error) {
    throw new ConfigError(`Cannot read engine config ${full}: ${toError(error).message}`, { cause: error })
  }
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object')
    return value as Record<string, unknown>
  } catch (error) {
    throw new ConfigError(`Engine config ${full} is not a JSON object of engine options: ${toError(error).message}`, { cause: error })
  }
}

async function runOcr(ctx: CommandContext, args: OcrArgs): Promise<number> {
  const { io } = ctx
  const truth = new Map<string, string>()
  const files = args.files.map((f) => resolve(io.cwd, f))
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
  let rejected = 0
  try {
    let done = 0
    for await (const item of engine.recognizeMany(files)) {
      done++
      if (!item.ok) rejected++
      if (io.stderr.isTTY && !args.json) io.stderr.write(`\r${done}/${files.length} ${item.input}`.slice(0, 100).padEnd(100) + (done === files.length ? '\n' : ''))
      if (args.json) {
        println(io.stdout, JSON.stringify(toJsonLine(item)))
        continue
      }
      rows.push(toRow(item, truth.get(item.input)))
      if (args.text && item.ok) texts.push(`── ${item.input}\n${item.result.text}`)
    }
  } finally {
    await engine.close()
  }
  if (!args.json) {
    const columns = [
      { header: 'FILE' },
      { header: 'STATUS' },
      { header: 'LINES', right: true },
      { header: 'CONF', right: true },
      { header: 'TIME', right: true },
      ...(truth.size ? [{ header: 'CER', right: true }] : []),
      { header: 'DATE' },
      { header: 'TOTAL', right: true },
      { header: 'CUR' },
      { header: 'INVOICE' },
      { header: 'TAX ID' },
    ]
    println(io.stdout, renderTable(columns, truth.size ? rows : rows.map((r) => r.filter((_, i) => i !== 5))))
    for (const t of texts) println(io.stdout, `\n${t}`)
    println(io.stdout, `\n${files.length - rejected} of ${files.length} inputs read${rejected ? `, ${rejected} rejected` : ''}.`)
  }
  return rejected > 0 ? ExitCode.UsageError : ExitCode.Ok
}

function toJsonLine(item: OcrItem<string>): OcrJsonLine {
  if (!item.ok) return { file: item.input, ok: false, error: { code: item.error.code, message: item.error.message } }
  const { text, lines, confidence, fields, ms } = item.result
  return { file: item.input, ok: true, text, lines, confidence, fields, ms }
}

function toRow(item: OcrItem<string>, truthText: string | undefined): string[] {
  const file = item.input.length > 48 ? `…${item.input.slice(-47)}` : item.input
  if (!item.ok) return [file, item.error.code, '', '', '', '', '', '', '', '', '']
  const r = item.result
  const f = r.fields
  return [
    file,
    'ok',
    String(r.lines.length),
    r.confidence.toFixed(3),
    formatMs(r.ms),
    truthText === undefined ? '' : formatPercent(characterErrorRate(truthText, r.text), false),
    f.date?.value ?? '',
    f.total?.value ?? '',
    f.currency?.value ?? '',
    f.invoiceNumber?.value ?? '',
    f.taxId ? `${f.taxId.value}${f.taxId.kind ? ` (${f.taxId.kind})` : ''}` : '',
  ]
}
