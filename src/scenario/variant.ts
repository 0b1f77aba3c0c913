/**
 * The variant a scenario runs as (`--profile`): an opaque string to the runner. A scenario that
 * declares variants validates it here, in the parent, before any process starts.
 */
import { UsageError } from '../common/errors.js'
import type { Scenario } from './define.js'

/**
 * The variant `scenario` runs as: `given`, else its declared default, else null.
 * @throws UsageError when the scenario declares variants and `given` is not one of them
 */
export function resolveVariant(scenario: Pick<Scenario, 'name' | 'variants'>, given: string | null): string | null {
  const declared = scenario.variants
  if (!declared) return given
  if (given === null) return declared.default
  if (!declared.names.includes(given)) {
    throw new UsageError(`Scenario '${scenario.name}' has no variant '${given}' (--profile); it runs as one of ${declared.names.join(', ')}.`)
  }
  return given
}
