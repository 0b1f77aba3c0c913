/**
 * `expect(fn).not.toLeakMemory(options?)`: passes (for `.not`) when the after-GC heap does not
 * keep growing over repeated calls; the failure names the constructors that grew and what holds
 * them. Registered by {@link installLeakMatcher}.
 */
import { formatBytes } from '../common/index.js'
import { pathTail } from '../baseline/index.js'
import { getLeakDefaults, recordLeakCheck } from './current-test.js'
import { checkLeak, type LeakCheckResult } from './leak-check.js'
import { DEFAULT_LEAK, resolveLeakOptions, type LeakCheckInput, type ResolvedLeakOptions } from './options.js'

/** Steps of a retainer path shown in a failure: the holder is at the end. */
const PATH_STEPS = 8

/** The failure/explanation lines of a result. */
export function leakMessage(r: LeakCheckResult, isNot: boolean): string {
  const rounds = r.roundsBytes.map((b) => formatBytes(b, true)).join(', then ')
  const head = isNot
    ? `expected fn not to leak memory, but what stays after GC grew by ${formatBytes(r.growthBytes, true)} over ${r.iterations} calls in each of ${r.roundsBytes.length} rounds (${rounds}; limit ${formatBytes(r.limitBytes)})`
    : `expected fn to leak memory, but what stays after GC grew by ${rounds} over ${r.iterations} calls (limit ${formatBytes(r.limitBytes)})`
  const lines = [head]
  if (r.growing && r.growing.length > 0) {
    lines.push('top growing constructors (objects allocated in the second round and still alive, from a heap snapshot):')
    for (const c of r.growing) {
      const held = c.retainerPath ? `held by ${pathTail(c.retainerPath, PATH_STEPS)}` : 'no retainer path found'
      lines.push(`  +${c.count} ${c.className} (${formatBytes(c.sizeBytes, true)} self), ${held}`)
    }
  } else if (r.diffError) {
    lines.push(`no heap snapshot diff: ${r.diffError}`)
  } else if (r.leaked) {
    lines.push('no constructor grew in the heap snapshot diff: the growth is outside the JS heap objects (external memory, ArrayBuffers) or in V8 internals')
  }
  return lines.join('\n')
}

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
  const result = await checkLeak(received as () => unknown, resolved)
  recordLeakCheck({ iterations: result.iterations, growthBytes: result.growthBytes, limitBytes: result.limitBytes, leaked: result.leaked, durationMs: result.durationMs })
  return { pass: result.leaked, message: () => leakMessage(result, this.isNot) }
}

declare module 'vitest' {
  interface Matchers<T = any> {
    /** Calls the received function repeatedly and checks what stays after GC (memgate). Await it. */
    toLeakMemory(options?: LeakCheckInput): Promise<void>
  }
}
