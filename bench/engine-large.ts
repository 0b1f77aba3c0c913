/**
 * `tsx bench/engine-large.ts [--rounds 3] [--warm] [--profile lean] [--node-flags '--max-semi-space-size=1'] [--preload /usr/lib/x86_64-linux-gnu/libjemalloc.so.2] [--options '{"maxDecodedPixels":0}']`:
 * peak RSS (VmHWM) by input size: a 150-dpi A4 page, the same page at 300 dpi, a 24-megapixel
 * phone photo of it (JPEG, and the same photo as PNG) and a 4000-px-tall receipt
 * (test/engine/large-inputs), each read in a fresh process in the profile's environment
 * (`PROFILE_ENVIRONMENT`), with `--node-flags` if given. Per input, the median over rounds of two
 * figures: the process's peak (opening the engine and reading the page: what issue 16's ≤ 230 MiB
 * goal is about) and the read's own peak (VmHWM reset after opening), with its growth over the A4
 * page. With `--warm` each process first reads the test's warm-up inputs unmeasured, as a
 * long-running service would have. That matters for a decoding transient: on top of ONNX
 * Runtime's grown arena it raises the peak, while a fresh process's first read reuses the memory
 * for the arena (the 24-MP PNG: −2.1 MiB as a first read, +16.8 MiB warm). The probe runs under
 * tsx, whose loader adds ~30 MiB to both against compiled JavaScript. Prints figures; asserts
 * nothing (the bound is asserted by test/engine/large-inputs.test.ts).
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { LEAN_PROFILE, PROFILE_ENVIRONMENT } from '../src/engine/index.js'
import { BENCH_INPUTS, ensureLargeInputs, LARGE_INPUTS, WARMUP_INPUTS } from '../test/engine/large-inputs/inputs.js'

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: LEAN_PROFILE },
    preload: { type: 'string' },
    options: { type: 'string', default: '{}' },
    rounds: { type: 'string', default: '1' },
    'node-flags': { type: 'string', default: '' },
    warm: { type: 'boolean', default: false },
  },
})
const profile = values.profile as keyof typeof PROFILE_ENVIRONMENT
const probe = fileURLToPath(new URL('../test/engine/large-inputs/peak-probe.ts', import.meta.url))
const paths = await ensureLargeInputs()
const env = { ...process.env, ...PROFILE_ENVIRONMENT[profile], ...(values.preload ? { LD_PRELOAD: values.preload } : {}) }
const flags = values['node-flags'].split(/\s+/).filter(Boolean)
const warmups = values.warm ? WARMUP_INPUTS.flatMap((k) => ['--warmup', paths[k]]) : []
const MiB = 2 ** 20
const mib = (b: number) => (b / MiB).toFixed(1)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

interface ProbeLine {
  peakRssBytes: number
  openPeakRssBytes: number
  ms: number
  width: number
  height: number
  lines: number
}

console.log(
  `profile ${profile}${values.preload ? `, LD_PRELOAD=${values.preload}` : ''}, node flags ${flags.join(' ') || '(none)'}, options ${values.options}, ${values.rounds} round(s), median${values.warm ? `, after warm-up reads (${WARMUP_INPUTS.join(', ')})` : ', first read in a fresh process'}`,
)
let base = 0
let worst = 0
for (const k of [...LARGE_INPUTS, ...BENCH_INPUTS]) {
  const reads: number[] = []
  const processes: number[] = []
  let last: ProbeLine | undefined
  for (let r = 0; r < Number(values.rounds); r++) {
    const out = execFileSync(process.execPath, ['--expose-gc', ...flags, '--import', 'tsx', probe, '--profile', profile, '--options', values.options, ...warmups, paths[k]], { env, encoding: 'utf8' })
    last = JSON.parse(out.trim().split('\n').at(-1)!) as ProbeLine
    reads.push(last.peakRssBytes)
    processes.push(Math.max(last.peakRssBytes, last.openPeakRssBytes))
  }
  const read = median(reads)
  const whole = median(processes)
  worst = Math.max(worst, whole)
  if (k === 'a4-150dpi') base = read
  const growth = k === 'a4-150dpi' ? 'reference' : `${read - base >= 0 ? '+' : ''}${mib(read - base)} MiB`
  console.log(`${k.padEnd(16)} ${`${last!.width}×${last!.height}`.padEnd(11)} process peak ${mib(whole)} MiB (rounds ${processes.map(mib).join(', ')}), read peak ${mib(read)} MiB (${growth}), ${last!.ms.toFixed(0)} ms, ${last!.lines} lines`)
}
console.log(`highest process peak: ${mib(worst)} MiB`)
