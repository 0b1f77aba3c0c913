/**
 * `expect(fn).not.toLeakMemory(options?)`: passes (for `.not`) when the after-GC heap does not
 * keep growing over repeated calls; the failure names the constructors that grew and what holds
 * them. Registered by `useMemgate()` (the plugin's setup file).
 */
import { getLeakDefaults, recordLeakCheck } from './current-test.js'
import { DEFAULT_LEAK, resolveLeakOptions, type LeakCheckInput, type ResolvedLeakOptions } from './options.js'

interface MatcherContext {
  isNot: boolean
}

/** The matcher function for `expect.extend`. */
export async function toLeakMemory(this: MatcherContext, received: unknown, options?: LeakCheckInput): Promise<{ pass: boolean; message: () => string }> {
  if (typeof received !== 'function') {
    return { pass: false, message: () => `toLeakMemory expects a function to call repeatedly, but received ${received === null ? 'null' : typeof received}` }
  }
  const base = (getLeakDefaults() as ResolvedLeakOptions | undefined) ?? DEFAULT_LEAK
  const resolved = resolveLeakOptions(options, base, 'toLeakMemory()')
  // Loaded on first use: the setup file runs in every test file and must stay light.
  const [{ checkLeak }, { leakMessage }] = await Promise.all([import('./leak-check.js'), import('./leak-message.js')])
  const result = await checkLeak(received as () => unknown, resolved)
  const message = leakMessage(result, this.isNot)
  recordLeakCheck({ iterations: result.iterations, growthBytes: result.growthBytes, limitBytes: result.limitBytes, leaked: result.leaked, durationMs: result.durationMs, cpuMs: result.cpuMs, timings: result.timings })
  return { pass: result.leaked, message: () => message }
}

declare module 'vitest' {
  interface Matchers<T = any> {
    /** Calls the received function repeatedly and checks what stays after GC (memgate). Await it. */
    toLeakMemory(options?: LeakCheckInput): Promise<void>
  }
}
