/**
 * `memgate ocr FILE...`: read images with the OCR engine. One JSON object per input per line with
 * `--json`, a readable table otherwise. Exit 0 when every input was read, 2 when any was rejected;
 * the other inputs are still processed and printed.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import { ConfigError, ExitCode, MemgateError, UsageError, toError } from '../../common/errors.js'
import { describeFsError, regularFileProblem } from '../../common/fs.js'
import { MiB } from '../../common/units.js'
import { characterErrorRate } from '../../common/text-metrics.js'
import { formatMs, formatPercent } from '../../common/units.js'
import { LEAN_PROFILE, PROFILE_NAMES, type OcrItem, type OcrResult, type ProfileName } from '../../engine/index.js'
import type { CliIO, CommandContext, InStream } from '../io.js'
import { println } from '../io.js'
import { renderTable } from '../../report/render/table.js'

interface OcrArgs {
  files: string[]
  json: boolean
  text: boolean
  profile: ProfileName
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

async function loadEngineConfig(path: string | undefined, cwd: string): Promise<Record<string, unknown>> {
  if (!path) return {}
  const full = resolve(cwd, path)
  // A device or a pipe would be read forever.
  const problem = await regularFileProblem(full)
  if (problem) throw new ConfigError(`Cannot read engine config ${full}: ${problem.why}.`)
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

/** Label of the standard-input image in the output. */
const STDIN_LABEL = '-'
/** Largest image read from standard input: beyond this, save it to a file. */
const STDIN_MAX_BYTES = 256 * MiB

/**
 * The inputs in command-line order, with `-` where the user wrote it: yargs drops a lone `-`
 * from the positionals, so it is found in the raw arguments.
 */
function inputsInOrder(argv: readonly string[], files: readonly string[]): { stdin: boolean; order: (string | typeof STDIN_LABEL)[] } {
  const order: string[] = []
  let k = 0
  let dashes = 0
  const start = argv.indexOf('ocr')
  for (let i = start + 1; i < argv.length; i++) {
    const a = argv[i]!
    const prev = argv[i - 1]
    if (a === '-' && prev !== '--config' && prev !== '--profile') {
      dashes++
      order.push(STDIN_LABEL)
    } else if (k < files.length && a === files[k]) {
      order.push(files[k++]!)
    }
  }
  order.push(...files.slice(k))
  if (dashes > 1) throw new UsageError("'-' (standard input) can be given once: it holds one image.")
  return { stdin: dashes === 1, order }
}

/** Reads one image from standard input. */
async function readStdin(io: CliIO): Promise<Buffer> {
  const stdin: InStream = io.stdin ?? process.stdin
  if (stdin.isTTY) throw new UsageError("'-' reads an image from standard input, but standard input is a terminal; pipe an image in (memgate ocr - < scan.png) or name the file.")
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stdin) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      size += b.byteLength
      if (size > STDIN_MAX_BYTES) throw new UsageError(`Standard input holds more than ${STDIN_MAX_BYTES / MiB} MiB; save the image to a file and name it instead of '-'.`)
      chunks.push(b)
    }
  } catch (error) {
    if (error instanceof MemgateError) throw error
    throw new UsageError(`Cannot read an image from standard input: ${describeFsError(error)}.`, { cause: error })
  }
  return Buffer.concat(chunks, size)
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
    // The table has room for the code only: say why each input was rejected.
    for (const f of failures) println(io.stderr, `memgate ocr: ${f.label}: ${f.error.code}: ${f.error.message}`)
  }
  return rejected > 0 ? ExitCode.UsageError : ExitCode.Ok
}

/**
 * The engine's error with the CLI's words where they are clearer: a symlink loop is not a
 * permissions problem, and the image read from `-` is "standard input", not "<buffer>".
 */
function clarify(error: MemgateError, label: string): MemgateError {
  const cause = error.cause as NodeJS.ErrnoException | undefined
  let message = error.message
  if (cause?.code === 'ELOOP') message = `Cannot read image ${label}: ${describeFsError(cause)}.`
  if (label === STDIN_LABEL) message = message.replaceAll('<buffer>', 'standard input')
  if (message === error.message) return error
  const clear = new MemgateError(error.code, message, { cause: error })
  return clear
}

function toJsonLine(item: OcrItem<string | Uint8Array>, label: string): OcrJsonLine {
  if (!item.ok) {
    const error = clarify(item.error, label)
    return { file: label, ok: false, error: { code: error.code, message: error.message } }
  }
  const { text, lines, confidence, fields, ms } = item.result
  return { file: label, ok: true, text, lines, confidence, fields, ms }
}

function toRow(item: OcrItem<string | Uint8Array>, label: string, truthText: string | undefined): string[] {
  const file = label.length > 48 ? `…${label.slice(-47)}` : label
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
