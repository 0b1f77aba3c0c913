/**
 * Child-process probe: opens the engine with a profile, reads the `--warmup` images unmeasured
 * (the ONNX Runtime arena, the accent lexicons and the JIT reach their working size), then reads
 * each image after a GC and a reset of the peak RSS (VmHWM, through `/proc/self/clear_refs` where
 * the kernel allows it), so each figure is that read's own and not the model loading's or a
 * neighbour's. Prints one JSON line per measured image: the peak RSS while reading it, the RSS
 * before it, the process's peak while opening, and what was read.
 * Run as `node --expose-gc [--max-semi-space-size=1] --import tsx peak-probe.ts [--profile lean]
 * [--options JSON] [--warmup image]... image...` (the semi-space cap pins V8's young generation,
 * whose growth otherwise moves RSS by tens of MiB).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { isProfileName, openEngine } from '../../../src/engine/index.js'

const status = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024
const { values, positionals } = parseArgs({ allowPositionals: true, options: { profile: { type: 'string', default: 'lean' }, options: { type: 'string', default: '{}' }, warmup: { type: 'string', multiple: true, default: [] } } })
if (positionals.length === 0 || !isProfileName(values.profile)) throw new Error('usage: peak-probe.ts [--profile lean|default] [--options JSON] [--warmup image]... image...')
const gc = globalThis.gc
if (!gc) throw new Error('peak-probe.ts needs node --expose-gc')
const engine = await openEngine({ profile: values.profile, ...(JSON.parse(values.options) as object) })
gc()
const openPeakRssBytes = status('VmHWM')
for (const image of values.warmup) await engine.recognize(image)

/** Resets VmHWM to the current RSS; false where the kernel does not allow it (the peak then only grows). */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

for (const image of positionals) {
  gc()
  const peakReset = resetPeak()
  const beforeRssBytes = status('VmRSS')
  const started = performance.now()
  const result = await engine.recognize(image)
  const ms = performance.now() - started
  const peakRssBytes = status('VmHWM')
  console.log(
    JSON.stringify({ image, profile: values.profile, peakRssBytes, peakReset, beforeRssBytes, openPeakRssBytes, ms, width: result.width, height: result.height, lines: result.lines.length, total: result.fields.total?.value, date: result.fields.date?.value }),
  )
}
await engine.close()
