/**
 * The baseline store: one JSON file per scenario, platform, architecture and Node major under a
 * directory (`baselines/` by default). Only `memgate baseline update` writes here, atomically.
 */
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { InputError } from '../common/errors.js'
import { describeFsError, writeJsonAtomic } from '../common/fs.js'
import type { RunResult, ScenarioResult } from '../run/schema.js'
import { baselineFileName, baselineFileSchema, baselineKeyOf, baselineMismatch, type BaselineFile, type BaselineKey, type BaselineLookup } from './baseline-file.js'

/** Path of the baseline of `key` in `dir`. */
export function baselinePath(dir: string, key: BaselineKey): string {
  return join(dir, baselineFileName(key))
}

/**
 * Reads and validates a baseline file.
 * @returns null when the file does not exist
 * @throws InputError('BASELINE_INVALID') when it exists but is not a valid baseline
 */
export async function readBaselineFile(file: string): Promise<BaselineFile | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new InputError('BASELINE_INVALID', `Cannot read baseline ${file}: ${describeFsError(error)}.`, file, { cause: error })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new InputError('BASELINE_INVALID', `Baseline ${file} is not JSON (${(error as Error).message}); restore it from git or rewrite it with \`memgate baseline update\`.`, file, { cause: error })
  }
  const parsed = baselineFileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const at = issue?.path.length ? issue.path.join('.') : '(root)'
    throw new InputError('BASELINE_INVALID', `Baseline ${file} is not valid at ${at}: ${issue?.message ?? 'invalid'}; restore it from git or rewrite it with \`memgate baseline update\`.`, file, { cause: parsed.error })
  }
  checkIdentity(file, parsed.data)
  return parsed.data
}

/**
 * A baseline's file name is its key (scenario, platform, architecture, Node major): a file whose
 * content names another key was copied or renamed by hand, and would judge one scenario by another's figures.
 * @throws InputError('BASELINE_INVALID')
 */
function checkIdentity(file: string, baseline: BaselineFile): void {
  const expected = baselineFileName(baseline)
  const name = basename(file)
  if (name === expected) return
  const what = name.startsWith(`${baseline.scenario}.`)
    ? `was measured on ${baseline.platform}-${baseline.arch} with Node ${baseline.nodeMajor}`
    : `is the baseline of scenario '${baseline.scenario}'`
  throw new InputError(
    'BASELINE_INVALID',
    `Baseline ${file} ${what}, but its file name says ${name}; its content belongs in ${expected}. Restore the file from git or rewrite it with \`memgate baseline update\`.`,
    file,
  )
}

/** Finds the baseline of `scenario` in `run` and says whether it is comparable. */
export async function lookupBaseline(dir: string, run: RunResult, scenario: ScenarioResult): Promise<BaselineLookup> {
  const file = baselinePath(dir, baselineKeyOf(run, scenario.name))
  const baseline = await readBaselineFile(file)
  if (!baseline) return { state: 'missing', file }
  const reason = baselineMismatch(baseline, scenario)
  return reason ? { state: 'mismatch', file, baseline, reason } : { state: 'found', file, baseline }
}

/** Writes `baseline` into `dir` atomically; returns its path. */
export async function writeBaseline(dir: string, baseline: BaselineFile): Promise<string> {
  const file = baselinePath(dir, baseline)
  await writeJsonAtomic(file, baseline)
  return file
}
