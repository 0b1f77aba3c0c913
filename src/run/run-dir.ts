/**
 * A run is a directory `reports/<run-id>/` holding run.json and the snapshot pass's files;
 * `reports/latest` points at the newest. run.json is validated before every write (a run the
 * gate cannot read is a bug here, not there) and written atomically.
 */
import { randomBytes } from 'node:crypto'
import { rename, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MemgateError } from '../common/errors.js'
import { tempPathFor, writeJsonAtomic } from '../common/fs.js'
import { runResultSchema, type RunResult } from './schema.js'

/** Name of the link (or, where links are not allowed, the file) pointing at the newest run. */
export const LATEST = 'latest'

/**
 * A sortable, unique run id: UTC time and 4 random hex digits.
 * @example newRunId(new Date('2025-03-01T12:34:56Z')) // '20250301-123456-9f2c'
 */
export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString()
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${randomBytes(2).toString('hex')}`
}

/**
 * Validates and writes `run` as `<dir>/run.json`.
 * @throws MemgateError('INTERNAL') when the run does not match its own schema
 */
export async function writeRun(dir: string, run: RunResult): Promise<string> {
  const checked = runResultSchema.safeParse(run)
  if (!checked.success) {
    const issue = checked.error.issues[0]
    throw new MemgateError('INTERNAL', `memgate built a run.json that fails its schema at ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? ''}`, { cause: checked.error })
  }
  const file = join(dir, 'run.json')
  await writeJsonAtomic(file, run)
  return file
}

/** Points `<outDir>/latest` at run `id` (a relative symlink, replaced atomically). */
export async function pointLatest(outDir: string, id: string): Promise<void> {
  const link = join(outDir, LATEST)
  const tmp = tempPathFor(link)
  try {
    await symlink(id, tmp, 'dir')
    await rename(tmp, link)
  } catch {
    // No symlinks here (some Windows setups, some mounts): a text file naming the run instead.
    await rm(tmp, { force: true })
    await rm(link, { force: true, recursive: false }).catch(() => undefined)
    await writeFile(link, `${id}\n`)
  }
}
