/**
 * Child-process probe: opens the engine with a profile, then resets the peak RSS (VmHWM, through
 * `/proc/self/clear_refs` where the kernel allows it) so the figure is the read's own and not the
 * model loading's (which moves by ±10 MiB run to run), reads one image, and prints one JSON line:
 * the peak RSS while reading, the RSS after opening, and the fields read. One input per process.
 * Run as `node --expose-gc --max-semi-space-size=1 --import tsx peak-probe.ts <image> [profile] [options JSON]`
 * (the semi-space cap pins V8's young generation, whose growth otherwise moves RSS by several MiB).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { openEngine } from '../../../src/engine/index.js'

const status = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024
const [image, profile = 'lean', extra = '{}'] = process.argv.slice(2)
if (!image) throw new Error('usage: peak-probe.ts <image> [profile] [options JSON]')
const engine = await openEngine({ profile: profile as 'lean', ...(JSON.parse(extra) as object) })
globalThis.gc?.()
const openPeakRssBytes = status('VmHWM')
let peakReset = false
try {
  writeFileSync('/proc/self/clear_refs', '5')
  peakReset = true
} catch {
  // Not allowed here: the peak then includes opening.
}
const openRssBytes = status('VmRSS')
const started = performance.now()
const result = await engine.recognize(image)
const ms = performance.now() - started
const peakRssBytes = status('VmHWM')
await engine.close()
console.log(JSON.stringify({ image, profile, peakRssBytes, peakReset, openRssBytes, openPeakRssBytes, ms, width: result.width, height: result.height, lines: result.lines.length, total: result.fields.total?.value, date: result.fields.date?.value }))
