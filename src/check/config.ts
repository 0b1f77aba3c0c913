/**
 * The gate's configuration: memgate.config (its `check` and `budgets` sections) with the
 * command's flags over it, loaded once per invocation.
 */
import type { ScenarioBudgets } from '../config/policy.js'
import { resolveScenarioBudgets } from '../config/budgets.js'
import { resolveCheckConfig, type CheckFlags, type ResolvedCheckConfig } from '../config/check-section.js'
import { loadConfig, type LoadedConfig } from '../config/load.js'
import { importUserModule } from '../scenario/import-module.js'

/** A loaded config, its resolved `check` section and the budgets of any scenario. */
export interface GateConfig {
  loaded: LoadedConfig
  check: ResolvedCheckConfig
  budgetsFor(scenario: string): ScenarioBudgets
}

/**
 * Loads memgate.config (`configFile`, or the first memgate.config.* in `cwd`) and resolves its
 * `check` section with `flags` over it.
 * @throws ConfigError when the file does not load or validate; UsageError for a bad flag
 */
export async function loadGateConfig(cwd: string, configFile: string | undefined, flags: CheckFlags = {}): Promise<GateConfig> {
  const loaded = await loadConfig(cwd, configFile, importUserModule)
  const check = resolveCheckConfig(loaded.config.check, flags, cwd, loaded.baseDir)
  return { loaded, check, budgetsFor: (name) => resolveScenarioBudgets(loaded.config.budgets, name) }
}
