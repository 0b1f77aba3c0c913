/**
 * Finds scenarios: built-in names map to compiled modules in `dist/scenarios/`; anything that
 * looks like a path is the user's module (a `.ts` one runs through tsx, and the run says so).
 * The parent imports a scenario to read its declarations; the worker imports it again to run it.
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { ConfigError, UsageError } from '../common/errors.js'
import { regularFileProblem } from '../common/fs.js'
import { isModulePath } from '../config/index.js'
import { importUserModule, isTypeScriptFile } from './import-module.js'
import { isScenario, type Scenario } from './define.js'
import { builtinScenarioDir } from './paths.js'

/** A scenario module to run. */
export interface ScenarioRef {
  /** The name or path as given. */
  given: string
  /** Absolute path of the module. */
  module: string
  /** `tsx` for TypeScript modules, loaded through tsx in the worker too. */
  loader: 'node' | 'tsx'
  builtin: boolean
}

/** A scenario module and the scenario it exports. */
export interface LoadedScenario {
  ref: ScenarioRef
  scenario: Scenario
}

/** Names of the compiled built-in scenarios, sorted. */
export async function builtinScenarioNames(): Promise<string[]> {
  const dir = builtinScenarioDir()
  if (!existsSync(dir)) return []
  const files = await readdir(dir, { withFileTypes: true })
  return files
    // A leading underscore marks a helper module shared by scenarios, not a scenario.
    .filter((f) => f.isFile() && f.name.endsWith('.js') && !f.name.startsWith('_'))
    .map((f) => basename(f.name, '.js'))
    .sort()
}

/**
 * Resolves a name or path (already absolute when it is a path; see resolveRunOptions).
 * @throws UsageError for an unknown name or a missing file
 */
export async function resolveScenarioRef(given: string): Promise<ScenarioRef> {
  if (isModulePath(given)) {
    const problem = await regularFileProblem(given)
    if (problem?.code === 'missing') throw new UsageError(`Scenario module ${given} does not exist; check the path.`)
    if (problem) throw new UsageError(`Scenario module ${given} cannot be loaded: ${problem.why}. Give the path of a .js or .ts module.`)
    return { given, module: given, loader: isTypeScriptFile(given) ? 'tsx' : 'node', builtin: false }
  }
  const module = join(builtinScenarioDir(), `${given}.js`)
  if (!existsSync(module)) {
    const names = await builtinScenarioNames()
    const known = names.length ? `built-in scenarios: ${names.join(', ')}` : 'no built-in scenario is compiled; run `npm run build`'
    throw new UsageError(`Unknown scenario '${given}' (${known}). To run your own, give the path of its module.`)
  }
  return { given, module, loader: 'node', builtin: true }
}

/**
 * Imports a scenario module in this process and checks its export.
 * @throws UsageError when the module exports no scenario; ConfigError when a user's module does
 *   not import (syntax error, exception at import), naming the file and the error
 */
export async function loadScenario(ref: ScenarioRef): Promise<LoadedScenario> {
  let mod: Record<string, unknown>
  try {
    mod = await importUserModule(ref.module)
  } catch (error) {
    // A built-in scenario that does not import is memgate's bug, not the user's: keep the original.
    if (ref.builtin && error instanceof ConfigError && error.cause !== undefined) throw error.cause
    throw error
  }
  const scenario = isScenario(mod.default) ? mod.default : mod.scenario
  if (!isScenario(scenario)) {
    throw new UsageError(`${ref.module} does not export a scenario; write \`export default defineScenario({ ... })\`.`)
  }
  return { ref, scenario }
}

/** Resolves and loads each name or path, in order. */
export async function loadScenarios(given: readonly string[]): Promise<LoadedScenario[]> {
  const out: LoadedScenario[] = []
  for (const g of given) out.push(await loadScenario(await resolveScenarioRef(g)))
  const seen = new Set<string>()
  for (const { scenario, ref } of out) {
    if (seen.has(scenario.name)) throw new UsageError(`Scenario '${scenario.name}' is selected twice (${ref.given}); name each scenario once and use --repeat.`)
    seen.add(scenario.name)
  }
  return out
}
