/** config: memgate.config loading, zod schemas and defaults, resolved into `Resolved*` types. */
export * from './defaults.js'
export { parseParamAssignment, splitParamName, type ParamAssignment, type ParamInput } from './params.js'
export { configShape, runConfigSchema, type RunConfig } from './run-section.js'
export { CONFIG_FILES, loadConfig, validateMemgateConfig, type LoadedConfig, type ModuleImporter } from './load.js'
export { resolveRunOptions, isModulePath, type ResolvedRunOptions, type RunFlags } from './run-options.js'
