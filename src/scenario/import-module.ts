/**
 * Imports a user's module (a config file, a scenario): JavaScript natively, TypeScript through tsx
 * when it is installed, so users need no build step for their own files.
 */
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { ConfigError } from '../common/errors.js'

/** True for file names Node cannot import without a TypeScript loader. */
export function isTypeScriptFile(file: string): boolean {
  return /\.(c|m)?tsx?$/.test(file)
}

/**
 * Imports `file` (absolute path).
 * @throws ConfigError when a `.ts` file is given and tsx is not installed
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href
  if (!isTypeScriptFile(file)) return (await import(url)) as Record<string, unknown>
  let api: { tsImport(specifier: string, parent: string): Promise<unknown> }
  try {
    api = (await import('tsx/esm/api')) as typeof api
  } catch (error) {
    throw new ConfigError(`${file} is TypeScript, which needs tsx (npm i -D tsx); or compile it to .js first.`, { cause: error })
  }
  const ns = (await api.tsImport(url, import.meta.url)) as Record<string, unknown>
  // Outside a `"type": "module"` package tsx compiles to CommonJS; the ESM view then wraps the
  // exports object in `default`. Unwrap it so `export default` means the same in both cases.
  const inner = ns.default as Record<string, unknown> | undefined
  return inner && typeof inner === 'object' && inner.__esModule === true ? inner : ns
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
