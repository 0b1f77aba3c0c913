/**
 * The whole memgate.config schema: the `run` section (src/config/schema.ts) plus `check` and
 * `budgets`. Unknown keys are rejected at every level.
 *
 * @example
 * // memgate.config.ts
 * import { defineConfig } from 'memgate'
 * export default defineConfig({
 *   check: { scenarios: ['load', 'stability'], repeat: 3 },
 *   budgets: {
 *     peakRss: '500 MB', drift: '2%', regression: { peakRss: '+5%', throughput: '-10%' },
 *     scenarios: { precision: { cer: '5%', fieldAccuracy: 0.9 } },
 *   },
 * })
 */
import { z } from 'zod'
import { budgetsConfigSchema } from './budgets.js'
import { checkConfigSchema } from './check-section.js'
import { configShape } from './run-section.js'

/** memgate.config with every section. */
export const memgateConfigSchema = z.strictObject({
  ...configShape,
  check: checkConfigSchema.optional(),
  budgets: budgetsConfigSchema.optional(),
})

/** A config as written by the user (human units as strings). */
export type MemgateConfigInput = z.input<typeof memgateConfigSchema>
/** A config after validation (units parsed). */
export type ParsedMemgateConfig = z.output<typeof memgateConfigSchema>

/**
 * Types a `memgate.config.ts` default export; returns it unchanged (validation happens at load,
 * where the file name can be named in the error).
 */
export function defineConfig(config: MemgateConfigInput): MemgateConfigInput {
  return config
}
