/**
 * A full garbage collection without requiring `--expose-gc` on the command line.
 * `global.gc` is used when the process was started with it; otherwise the flag is switched on at
 * run time and `gc` is taken from a fresh vm context (V8 installs it on contexts created after the
 * flag is set). If even that is unavailable, the inspector's `HeapProfiler.collectGarbage` does it;
 * the inspector answers asynchronously, hence the promise.
 */
import { Session } from 'node:inspector/promises'
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'

type GcFunction = () => void

let cached: GcFunction | null | undefined

/** `gc` from the global or a fresh context, or null when neither can be had. */
function lookupGc(): GcFunction | null {
  const fromGlobal = (globalThis as { gc?: unknown }).gc
  if (typeof fromGlobal === 'function') return fromGlobal as GcFunction
  try {
    setFlagsFromString('--expose-gc')
    const fromContext: unknown = runInNewContext('typeof gc === "function" ? gc : undefined')
    if (typeof fromContext === 'function') return fromContext as GcFunction
  } catch {
    // Fall through to the inspector.
  }
  return null
}

async function inspectorGc(): Promise<void> {
  const session = new Session()
  session.connect()
  try {
    await session.post('HeapProfiler.collectGarbage')
  } finally {
    session.disconnect()
  }
}

/**
 * Runs a full (major, compacting) garbage collection; it has run when the promise resolves.
 * @example
 * await collectGarbage()
 * const steady = process.memoryUsage().heapUsed
 */
export async function collectGarbage(): Promise<void> {
  if (cached === undefined) cached = lookupGc()
  if (cached) cached()
  else await inspectorGc()
}
