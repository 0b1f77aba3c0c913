/**
 * Finding and loading memgate.config with every section (run, check, budgets): `.ts` through tsx, `.js`/`.mjs`
 * natively, `.json` parsed. A zod error becomes a ConfigError naming the file and the key path
 * (exit 2), with the closest known key for a typo.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { z } from 'zod'
import { ConfigError } from '../common/errors.js'
import { regularFileProblem } from '../common/fs.js'
import { levenshtein } from '../common/text-metrics.js'
import { memgateConfigSchema, type ParsedMemgateConfig } from './define-config.js'

/**
 * Imports a config module (`.ts` needs a TypeScript loader: the caller passes the scenario
 * runner's, so config never imports the runner).
 */
export type ModuleImporter = (file: string) => Promise<Record<string, unknown>>

const nativeImport: ModuleImporter = async (file) => (await import(pathToFileURL(file).href)) as Record<string, unknown>

/** Config file names, in the order they are looked for. */
export const CONFIG_FILES = ['memgate.config.ts', 'memgate.config.mts', 'memgate.config.js', 'memgate.config.mjs', 'memgate.config.json'] as const

/** A validated config and where it came from. */
export interface LoadedConfig {
  config: ParsedMemgateConfig
  /** Absolute path, or null when there is no config file (every default applies). */
  file: string | null
  /** Directory the config's relative paths resolve against. */
  baseDir: string
}

/**
 * Loads `explicit` (relative to `cwd`) or the first of {@link CONFIG_FILES} in `cwd`; no file is
 * fine (every option has a default).
 * @throws ConfigError when the file is missing, does not load, or does not validate
 */
export async function loadConfig(cwd: string, explicit?: string, importModule: ModuleImporter = nativeImport): Promise<LoadedConfig> {
  const file = explicit !== undefined ? resolve(cwd, explicit) : (CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f)) ?? null)
  if (file === null) return { config: {}, file: null, baseDir: cwd }
  const problem = await regularFileProblem(file)
  if (problem?.code === 'missing') throw new ConfigError(`Config file ${file} does not exist; check --config.`)
  // A device or a pipe would be read (or imported) forever.
  if (problem) throw new ConfigError(`Config file ${file} cannot be read: ${problem.why}. Check --config.`)
  return { config: validateMemgateConfig(await importConfig(file, importModule), file), file, baseDir: dirname(file) }
}

/**
 * Validates a config object.
 * @param source the file name, for the message
 * @throws ConfigError naming the first bad key path
 */
export function validateMemgateConfig(raw: unknown, source: string): ParsedMemgateConfig {
  const nonFinite = findNonFinite(raw, [])
  if (nonFinite) {
    throw new ConfigError(`${source}: ${nonFinite.path.join('.') || '(root)'}: must be a finite number but is ${nonFinite.value}. Fix the config file.`)
  }
  const parsed = memgateConfigSchema.safeParse(raw)
  if (parsed.success) return parsed.data
  const what = describeIssue(parsed.error.issues[0])
  throw new ConfigError(`${source}: ${what}${/[.?]$/.test(what) ? '' : '.'} Fix the config file (unknown keys are rejected).`, { cause: parsed.error })
}

/** The first Infinity, -Infinity or NaN in a plain config value (zod only says "Invalid input"). */
function findNonFinite(value: unknown, path: string[], depth = 0): { path: string[]; value: number } | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, value }
  if (depth > 32 || typeof value !== 'object' || value === null) return null
  const proto = Object.getPrototypeOf(value) as unknown
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return null
  for (const [k, v] of Object.entries(value)) {
    const found = findNonFinite(v, [...path, k], depth + 1)
    if (found) return found
  }
  return null
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid'
  const path = issue.path.map(String)
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? ''
    const at = [...path, key].join('.')
    const hint = closestKey(key, knownKeysAt(path))
    return `${at}: unknown key${hint ? `; did you mean '${hint}'?` : ''}`
  }
  return `${path.length ? path.join('.') : '(root)'}: ${issue.message}`
}

/** Keys the schema accepts at `path` (records contribute nothing). */
function knownKeysAt(path: readonly string[]): string[] {
  let schema: unknown = memgateConfigSchema
  for (const part of path) {
    const shape = shapeOf(schema)
    if (shape && part in shape) schema = shape[part]
    else {
      // A record (e.g. budgets.scenarios.<name>): its values share one schema.
      const def = (unwrap(schema) as { def?: { valueType?: unknown } }).def
      schema = def?.valueType
    }
  }
  const shape = shapeOf(schema)
  return shape ? Object.keys(shape) : []
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { type?: string; innerType?: unknown } } | undefined
  while (s?.def?.type === 'optional' || s?.def?.type === 'nullable') s = s.def.innerType as typeof s
  return s
}

function shapeOf(schema: unknown): Record<string, unknown> | null {
  const s = unwrap(schema) as { shape?: Record<string, unknown> } | undefined
  return s?.shape && typeof s.shape === 'object' ? s.shape : null
}

function closestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null
  let bestDistance = Number.POSITIVE_INFINITY
  for (const k of known) {
    const d = levenshtein(key.toLowerCase(), k.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [k, d]
  }
  // Only a near miss is a typo; anything further is a key from elsewhere.
  return best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : null
}

async function importConfig(file: string, importModule: ModuleImporter): Promise<unknown> {
  try {
    if (file.endsWith('.json')) return JSON.parse(await readFile(file, 'utf8')) as unknown
    const mod = await importModule(file)
    if (!('default' in mod) || mod.default === undefined) {
      const named = Object.keys(mod).filter((k) => k !== '__esModule')
      throw new ConfigError(
        `Config ${file} has no default export${named.length ? ` (it exports ${named.map((k) => `'${k}'`).join(', ')})` : ''}; write \`export default defineConfig({ ... })\`.`,
      )
    }
    return mod.default
  } catch (error) {
    if (error instanceof ConfigError) throw error
    throw new ConfigError(`Could not load config ${file}: ${(error as Error).message}`, { cause: error })
  }
}
