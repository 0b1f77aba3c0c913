/**
 * Finds heaptrack on PATH. It is an optional system tool (Debian package `heaptrack`), so its
 * absence is a clear, typed error with the install command, never a spawn ENOENT.
 */
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { delimiter, isAbsolute, join } from 'node:path'
import { promisify } from 'node:util'
import { MemgateError, toError } from '../common/errors.js'

const execFileAsync = promisify(execFile)

/** The install command named in every "heaptrack missing" message. */
export const HEAPTRACK_INSTALL_COMMAND = 'apt-get install heaptrack'

/** Where heaptrack's two executables are, and their version. */
export interface HeaptrackTools {
  /** Absolute path of the `heaptrack` launcher (a shell script that preloads the tracer). */
  heaptrack: string
  /** Absolute path of `heaptrack_print`, which turns a data file into text. */
  heaptrackPrint: string
  /** Version reported by `heaptrack_print --version`, e.g. `'1.4.0'`. */
  version: string
}

/** Options of {@link detectHeaptrack}. */
export interface DetectOptions {
  /** The PATH to search, `:`-separated. @default process.env.PATH */
  path?: string
}

async function findExecutable(name: string, dirs: readonly string[]): Promise<string | null> {
  for (const dir of dirs) {
    const candidate = join(dir, name)
    try {
      await access(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this directory
    }
  }
  return null
}

/**
 * Finds `heaptrack` and `heaptrack_print` on PATH and reads the version.
 * @throws MemgateError `PROBE_UNAVAILABLE` (a measuring tool this host lacks; exit code 2) naming
 *   what is missing and the install command (`apt-get install heaptrack`).
 * @example const tools = await detectHeaptrack() // { heaptrack: '/usr/bin/heaptrack', heaptrackPrint: '/usr/bin/heaptrack_print', version: '1.4.0' }
 */
export async function detectHeaptrack(options: DetectOptions = {}): Promise<HeaptrackTools> {
  const dirs = (options.path ?? process.env.PATH ?? '').split(delimiter).filter((d) => d !== '' && isAbsolute(d))
  const [heaptrack, heaptrackPrint] = await Promise.all([findExecutable('heaptrack', dirs), findExecutable('heaptrack_print', dirs)])
  if (!heaptrack || !heaptrackPrint) {
    const missing = [heaptrack ? null : '`heaptrack`', heaptrackPrint ? null : '`heaptrack_print`'].filter(Boolean).join(' and ')
    throw new MemgateError(
      'PROBE_UNAVAILABLE',
      `Native allocation profiling needs heaptrack, but ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not on PATH (searched ${dirs.length} directories). Install it with \`${HEAPTRACK_INSTALL_COMMAND}\` (Debian/Ubuntu; the package is also named heaptrack on Fedora and Arch), or run without the native pass.`,
    )
  }
  let stdout: string
  try {
    ;({ stdout } = await execFileAsync(heaptrackPrint, ['--version'], { timeout: 10_000 }))
  } catch (error) {
    throw new MemgateError('PROBE_UNAVAILABLE', `\`${heaptrackPrint} --version\` failed (${toError(error).message.split('\n')[0]}). Reinstall heaptrack with \`${HEAPTRACK_INSTALL_COMMAND}\`.`, { cause: error })
  }
  const version = /(\d+\.\d+(?:\.\d+)?)/.exec(stdout)?.[1]
  if (!version) throw new MemgateError('PROBE_UNAVAILABLE', `Could not read heaptrack's version from \`${heaptrackPrint} --version\` (printed ${JSON.stringify(stdout.trim().slice(0, 80))}). Reinstall heaptrack with \`${HEAPTRACK_INSTALL_COMMAND}\`.`)
  return { heaptrack, heaptrackPrint, version }
}
