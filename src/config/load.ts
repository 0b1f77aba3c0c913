/**
 * Finding memgate.config: the file names, and `loadConfig`, which validates the whole file (run,
 * check and budgets sections; load-config.ts) so every command accepts the same config.
 */
import type { LoadedMemgateConfig } from './load-config.js'

/** Config file names, in the order they are looked for. */
export const CONFIG_FILES = ['memgate.config.ts', 'memgate.config.mts', 'memgate.config.js', 'memgate.config.mjs', 'memgate.config.json'] as const

/** A validated config and where it came from. */
export type LoadedConfig = LoadedMemgateConfig

/**
 * Loads `explicit` (relative to `cwd`) or the first of {@link CONFIG_FILES} in `cwd`; no file is
 * fine (every option has a default).
 * @throws ConfigError when the file is missing, does not load or does not validate
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  // Imported when called: load-config.ts imports CONFIG_FILES from here.
  const { loadMemgateConfig } = await import('./load-config.js')
  return loadMemgateConfig(cwd, explicit)
}
