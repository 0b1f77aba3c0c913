/**
 * Where memgate's own files are: the package root, the compiled worker and the compiled built-in
 * scenarios. The worker and built-ins always run as compiled JS from `dist/` (no TS loader in the
 * measured process), also when the runner itself is loaded from source by a test runner.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError } from '../common/errors.js'

let root: string | null = null

/** The directory of memgate's package.json, found by walking up from this file. */
export function packageRoot(): string {
  if (root) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'memgate') return (root = dir)
    const up = dirname(dir)
    if (up === dir) throw new ConfigError(`Cannot find memgate's package.json above ${fileURLToPath(import.meta.url)}; reinstall memgate.`)
    dir = up
  }
}

/** memgate's version, from package.json. */
export function memgateVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version
}

/**
 * The compiled worker entry.
 * @throws ConfigError when `dist/` has not been built
 */
export function workerEntry(): string {
  const file = join(packageRoot(), 'dist', 'src', 'scenario', 'worker.js')
  if (!existsSync(file)) throw new ConfigError(`The scenario worker ${file} is missing; run \`npm run build\` first (scenarios run as compiled JS).`)
  return file
}

/** The folder of compiled built-in scenarios (`dist/scenarios`). */
export function builtinScenarioDir(): string {
  return join(packageRoot(), 'dist', 'scenarios')
}
