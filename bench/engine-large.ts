/**
 * `tsx bench/engine-large.ts [--profile lean] [--preload /usr/lib/x86_64-linux-gnu/libjemalloc.so.2] [--options '{"maxDecodedPixels":0}']`:
 * peak RSS (VmHWM) by input size: a 150-dpi A4 page, the same page at 300 dpi, a 24-megapixel
 * phone photo of it and a 4000-px-tall receipt (test/engine/large-inputs), each read in a fresh
 * process in the profile's environment. Prints figures; asserts nothing (the bound is asserted by
 * test/engine/large-inputs.test.ts).
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { LEAN_PROFILE, PROFILE_ENVIRONMENT } from '../src/engine/index.js'
import { ensureLargeInputs, LARGE_INPUTS } from '../test/engine/large-inputs/inputs.js'

const { values } = parseArgs({ options: { profile: { type: 'string', default: LEAN_PROFILE }, preload: { type: 'string' }, options: { type: 'string', default: '{}' }, rounds: { type: 'string', default: '1' } } })
const profile = values.profile as keyof typeof PROFILE_ENVIRONMENT
const probe = fileURLToPath(new URL('../test/engine/large-inputs/peak-probe.ts', import.meta.url))
const paths = await ensureLargeInputs()
const env = { ...process.env, ...PROFILE_ENVIRONMENT[profile], ...(values.preload ? { LD_PRELOAD: values.preload } : {}) }
const MiB = 2 ** 20
console.log(`profile ${profile}${values.preload ? `, LD_PRELOAD=${values.preload}` : ''}, options ${values.options}`)
let base = 0
for (const k of LARGE_INPUTS) {
  const peaks: number[] = []
  let last: { peakRssBytes: number; ms: number; width: number; height: number; lines: number } | undefined
  for (let r = 0; r < Number(values.rounds); r++) {
    last = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', probe, paths[k], profile, values.options], { env, encoding: 'utf8' }).trim().split('\n').at(-1)!)
    peaks.push(last!.peakRssBytes)
  }
  const peak = peaks.sort((a, b) => a - b)[Math.floor(peaks.length / 2)]!
  if (k === 'a4-150dpi') base = peak
  console.log(`${k.padEnd(16)} ${`${last!.width}×${last!.height}`.padEnd(11)} peak RSS ${(peak / MiB).toFixed(1)} MiB (${k === 'a4-150dpi' ? 'reference' : `${((peak - base) / MiB >= 0 ? '+' : '') + ((peak - base) / MiB).toFixed(1)} MiB`}), ${last!.ms.toFixed(0)} ms, ${last!.lines} lines`)
}
