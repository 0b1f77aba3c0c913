/** config: memgate.config loading, zod schemas and defaults, resolved into `Resolved*` types. */
export * from './defaults.js'
export { parseParamAssignment, splitParamName, type ParamAssignment, type ParamInput } from './params.js'
export { configShape, runConfigSchema, type RunConfig } from './schema.js'
export { CONFIG_FILES, loadConfig, type LoadedConfig } from './load.js'
export { resolveRunOptions, isModulePath, type ResolvedRunOptions, type RunFlags } from './run-options.js'
export { importUserModule, isTypeScriptFile, tsxLoaderUrl } from './import-module.js'
