/**
 * Memory bounded by design (issue 16, item 3): with the lean profile, the peak RSS of reading a
 * 24-megapixel photo, a 300-dpi A4 scan or a 4000-px-tall receipt exceeds that of a 150-dpi A4
 * page by at most 10 MiB (the decode cap `maxDecodedPixels` scales them down while decoding; at
 * full size their rasters alone are 26–72 MB).
 * One child process reads them all, in the lean environment with V8's young generation pinned
 * (`--max-semi-space-size=1`): after unmeasured warm-up reads (the reference page and a receipt at
 * its own size, so the ONNX Runtime arena and both accent lexicons are in place), each input is
 * read after a GC and a reset of the process's peak RSS (VmHWM), so each peak is that read's own.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { PROFILE_ENVIRONMENT } from '../../src/engine/index.js'
import { ensureLargeInputs, LARGE_INPUTS, type LargeInput, WARMUP_INPUTS } from './large-inputs/inputs.js'

const probe = fileURLToPath(new URL('./large-inputs/peak-probe.ts', import.meta.url))
const MiB = 2 ** 20

interface Peak {
  image: string
  peakRssBytes: number
  peakReset: boolean
  width: number
  height: number
  lines: number
  total?: string
}

const peaks = new Map<LargeInput, Peak>()

beforeAll(async () => {
  const paths = await ensureLargeInputs()
  const args = ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', probe, '--profile', 'lean', ...WARMUP_INPUTS.flatMap((k) => ['--warmup', paths[k]]), ...LARGE_INPUTS.map((k) => paths[k])]
  const { stdout } = await promisify(execFile)(process.execPath, args, { env: { ...process.env, ...PROFILE_ENVIRONMENT.lean }, maxBuffer: 1 << 20 })
  const read = stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Peak)
  LARGE_INPUTS.forEach((k) => {
    const peak = read.find((p) => p.image === paths[k])
    if (!peak) throw new Error(`The probe printed no figure for ${k}: ${stdout}`)
    peaks.set(k, peak)
  })
}, 240_000)

describe('lean peak RSS does not depend on the input resolution', () => {
  it.each(LARGE_INPUTS.filter((k) => k !== 'a4-150dpi'))('%s: peak growth over a 150-dpi A4 page ≤ 10 MiB', (k) => {
    const base = peaks.get('a4-150dpi')!.peakRssBytes
    const peak = peaks.get(k)!.peakRssBytes
    expect((peak - base) / MiB, `${k}: ${(peak / MiB).toFixed(1)} MiB vs ${(base / MiB).toFixed(1)} MiB (peak reset per read: ${peaks.get(k)!.peakReset})`).toBeLessThanOrEqual(10)
  })

  it('still reads them, and reports boxes and sizes in the input pixels', () => {
    expect(peaks.get('photo-24mp')).toMatchObject({ width: 6000, height: 4000 })
    expect(peaks.get('a4-300dpi')).toMatchObject({ width: 2480, height: 3508 })
    expect(peaks.get('receipt-4000px')!.height).toBe(4000)
    for (const [k, p] of peaks) expect(p.lines, k).toBeGreaterThan(30)
    expect(peaks.get('photo-24mp')!.total).toBe(peaks.get('a4-150dpi')!.total)
  })
})
