/** The text of a `toLeakMemory` result: what grew, by how much, and what holds it. */
import { formatBytes } from '../common/units.js'
// The file, not '../baseline/index.js' (a third of the modules): loaded in the test worker.
import { pathTail } from '../baseline/render/explanation.js'
import type { LeakCheckResult } from './leak-check.js'

/** Steps of a retainer path shown in a failure: the holder is at the end. */
const PATH_STEPS = 8

/** The failure/explanation lines of a result. */
export function leakMessage(r: LeakCheckResult, isNot: boolean): string {
  const rounds = r.roundsBytes.map((b) => formatBytes(b, true)).join(', ')
  const head = isNot
    ? `expected fn not to leak memory, but what stays after GC grew by ${formatBytes(r.growthBytes, true)} per ${r.iterations} calls (rounds of ${r.iterations} calls: ${rounds}; limit ${formatBytes(r.limitBytes)})`
    : `expected fn to leak memory, but what stays after GC grew by at most ${formatBytes(r.growthBytes, true)} per ${r.iterations} calls (rounds: ${rounds}; limit ${formatBytes(r.limitBytes)})`
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

