/** The helper for per-test limits. */
import type { TestMemoryLimits } from './options.js'

/**
 * Test options carrying memgate limits, for vitest 4.1's `test(name, options, fn)`.
 * @example test('reads a page', memoryLimits({ peakRss: '300 MB', retained: '2 MB' }), async () => { … })
 */
export function memoryLimits(limits: TestMemoryLimits): { meta: { memgate: TestMemoryLimits } } {
  return { meta: { memgate: limits } }
}
