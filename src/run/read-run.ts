/**
 * Reading a finished run: its directory, its run.json, or `reports/latest` (a symlink, or where
 * links are not allowed a text file naming the run). The one reader every command uses.
 */
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { InputError } from '../common/errors.js'
import { regularFileProblem } from '../common/fs.js'
import { LATEST } from './run-dir.js'
import { parseRun, type RunResult } from './schema.js'

/** A run read from disk and the directory holding its run.json. */
export interface ReadRun {
  run: RunResult
  dir: string
}

/**
 * Reads and validates a run.
 * @param cwd relative paths resolve against it
 * @param given the path as the user gave it
 * @param what how the user gave it, for messages (`--run`, `RUN_DIR`, `BEFORE_DIR`)
 * @throws InputError('INPUT_NOT_FOUND') when there is no such run; InputError('RUN_INVALID') when it does not validate
 */
export async function readRun(cwd: string, given: string, what = 'RUN_DIR'): Promise<ReadRun> {
  let path = resolve(cwd, given)
  if (!existsSync(path)) throw new InputError('INPUT_NOT_FOUND', `${what} ${given}: ${path} does not exist; give a run directory written by \`memgate run\`, such as reports/latest.`, path)
  // A FIFO or /dev/zero given as a run would block or read forever: say what it is instead.
  if (!statSync(path).isDirectory()) {
    const problem = await regularFileProblem(path)
    if (problem) throw new InputError('INPUT_INVALID', `${what} ${given}: ${problem.why}; give a run directory written by memgate run.`, path)
  }
  if (basename(path) === LATEST && statSync(path).isFile()) {
    path = join(dirname(path), (await readFile(path, 'utf8')).trim())
    if (!existsSync(path)) throw new InputError('INPUT_NOT_FOUND', `${what} ${given} names run ${basename(path)}, but ${path} does not exist; run \`memgate run\` again.`, path)
  // A FIFO or /dev/zero given as a run would block or read forever: say what it is instead.
  if (!statSync(path).isDirectory()) {
    const problem = await regularFileProblem(path)
    if (problem) throw new InputError('INPUT_INVALID', `${what} ${given}: ${problem.why}; give a run directory written by memgate run.`, path)
  }
  }
  const isDir = statSync(path).isDirectory()
  const dir = isDir ? path : dirname(path)
  const file = isDir ? join(path, 'run.json') : path
  if (!existsSync(file)) throw new InputError('INPUT_NOT_FOUND', `${what} ${given}: ${dir} holds no run.json; give a directory written by \`memgate run\`.`, file)
  const fileProblem = await regularFileProblem(file)
  if (fileProblem) throw new InputError('INPUT_INVALID', `${what} ${given}: ${file}: ${fileProblem.why}.`, file)
  let json: unknown
  try {
    json = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new InputError('RUN_INVALID', `${file} is not JSON (${(error as Error).message}); the run was cut short or edited by hand. Re-run the scenarios.`, file, { cause: error })
  }
  return { run: parseRun(json, file), dir }
}
