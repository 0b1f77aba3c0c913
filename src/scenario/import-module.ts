/**
 * Imports a user's module (a config file, a scenario): JavaScript natively, TypeScript through tsx
 * when it is installed, so users need no build step for their own files.
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { ConfigError, MemgateError } from '../common/errors.js'

/** True for file names Node cannot import without a TypeScript loader. */
export function isTypeScriptFile(file: string): boolean {
  return /\.(c|m)?tsx?$/.test(file)
}

/**
 * Imports `file` (absolute path).
 * @throws ConfigError when a `.ts` file is given and tsx is not installed, and when the module
 *   does not import: a syntax error, a missing import, or an exception thrown at import (the
 *   message names the file, the error and, when known, the line; no stack: it is the user's code)
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href
  if (!isTypeScriptFile(file)) {
    try {
      return (await import(url)) as Record<string, unknown>
    } catch (error) {
      throw importFailed(file, error)
    }
  }
  let api: { tsImport(specifier: string, parent: string): Promise<unknown> }
  try {
    api = (await import('tsx/esm/api')) as typeof api
  } catch (error) {
    throw new ConfigError(`${file} is TypeScript, which needs tsx (npm i -D tsx); or compile it to .js first.`, { cause: error })
  }
  let ns: Record<string, unknown>
  try {
    ns = (await api.tsImport(url, import.meta.url)) as Record<string, unknown>
  } catch (error) {
    throw importFailed(file, error)
  }
  // Outside a `"type": "module"` package tsx compiles to CommonJS; the ESM view then wraps the
  // exports object in `default`. Unwrap it so `export default` means the same in both cases.
  const inner = ns.default as Record<string, unknown> | undefined
  return inner && typeof inner === 'object' && inner.__esModule === true ? inner : ns
}

/** The ConfigError for a module that did not import (memgate's own errors pass through). */
function importFailed(file: string, error: unknown): MemgateError {
  if (error instanceof MemgateError) return error
  return new ConfigError(`${file} could not be imported: ${describeImportError(file, error)}. Fix the module and run again.`, { cause: error })
}

/**
 * One readable line (or a few) for an error raised while importing `file`: esbuild's syntax
 * errors keep their `file:line:col`; Node's SyntaxError gets its line from `node --check`; an
 * exception thrown by the module's top-level code gets the line in `file` from its stack.
 */
export function describeImportError(file: string, error: unknown): string {
  if (!(error instanceof Error)) return `it threw ${JSON.stringify(error) ?? String(error)}`
  const message = error.message.trim()
  // esbuild (through tsx): "Transform failed with 1 error:\n/path/x.ts:2:12: ERROR: Expected ..."
  if (/^(Transform|Build) failed with \d+ errors?:/.test(message)) {
    const lines = message.split('\n').slice(1).map((l) => l.trim()).filter(Boolean)
    return `syntax error: ${lines.slice(0, 3).join('; ')}`
  }
  if (error.name === 'SyntaxError') {
    const where = syntaxErrorLocation(file)
    return `SyntaxError: ${message}${where ? ` (${where})` : ''}`
  }
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return message.split('\n')[0]!
  const line = thrownAt(file, error.stack)
  return `it threw at import: ${error.name}: ${message.split('\n')[0]}${line ? ` (${line})` : ''}`
}

/** `line N` where the stack passes through `file`, if it does. */
function thrownAt(file: string, stack: string | undefined): string | null {
  if (!stack) return null
  for (const candidate of [pathToFileURL(file).href, file]) {
    const at = stack.indexOf(`${candidate}:`)
    if (at < 0) continue
    const m = /^:(\d+):(\d+)/.exec(stack.slice(at + candidate.length))
    if (m) return `line ${m[1]}, column ${m[2]}`
  }
  return null
}

/**
 * Where Node finds a syntax error in a JavaScript file: `node --check` prints `file:line` and
 * the offending line; the in-process SyntaxError of an ES module carries neither.
 */
function syntaxErrorLocation(file: string): string | null {
  if (isTypeScriptFile(file)) return null
  try {
    const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 })
    const m = new RegExp(`${escapeRegExp(file)}:(\\d+)`).exec(r.stderr ?? '')
    return m ? `line ${m[1]}` : null
  } catch {
    return null
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The file URL of tsx's loader, for `node --import <url>` in a worker: resolved from memgate's
 * own install, so it works whatever the working directory.
 * @throws ConfigError when tsx is not installed
 */
export function tsxLoaderUrl(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  } catch (error) {
    throw new ConfigError('A .ts scenario runs through tsx, which is not installed; npm i -D tsx, or compile the scenario to .js.', { cause: error })
  }
}
