/**
 * Child-process probe: opens the engine with a profile, reads one image, prints one JSON line
 * with the process's peak RSS (VmHWM) and the fields read. One input per process, so each peak
 * is that input's alone. Run as `node --import tsx peak-probe.ts <image> [profile] [options JSON]`.
 */
import { readFileSync } from 'node:fs'
import { openEngine } from '../../../src/engine/index.js'

const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024
const [image, profile = 'lean', extra = '{}'] = process.argv.slice(2)
if (!image) throw new Error('usage: peak-probe.ts <image> [profile]')
const engine = await openEngine({ profile: profile as 'lean', ...(JSON.parse(extra) as object) })
const started = performance.now()
const result = await engine.recognize(image)
const ms = performance.now() - started
const peakRssBytes = kib('VmHWM')
await engine.close()
console.log(JSON.stringify({ image, profile, peakRssBytes, ms, width: result.width, height: result.height, lines: result.lines.length, total: result.fields.total?.value, date: result.fields.date?.value }))
