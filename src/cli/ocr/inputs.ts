/** What `memgate ocr` reads: its inputs in command-line order (`-` for standard input) and the engine config. */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ConfigError, MemgateError, UsageError, toError } from '../../common/errors.js'
import { describeFsError, regularFileProblem } from '../../common/fs.js'
import { MiB } from '../../common/units.js'
import type { CliIO, InStream } from '../io.js'

/** The engine options of `--config` (a JSON object), or none. */
export async function loadEngineConfig(path: string | undefined, cwd: string): Promise<Record<string, unknown>> {
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
export const STDIN_LABEL = '-'
/** Largest image read from standard input: beyond this, save it to a file. */
const STDIN_MAX_BYTES = 256 * MiB

/**
 * The inputs in command-line order, with `-` where the user wrote it: yargs drops a lone `-`
 * from the positionals, so it is found in the raw arguments.
 */
export function inputsInOrder(argv: readonly string[], files: readonly string[]): { stdin: boolean; order: (string | typeof STDIN_LABEL)[] } {
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
export async function readStdin(io: CliIO): Promise<Buffer> {
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
