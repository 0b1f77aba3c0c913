/**
 * Memory bounded by design (issue 16, item 3): with the lean profile, the peak RSS of reading a
 * 24-megapixel photo, a 300-dpi A4 scan or a 4000-px-tall receipt exceeds that of a 150-dpi A4
 * page by at most 10 MiB (the decode cap `maxDecodedPixels` scales them down while decoding).
 * Each input is read in its own child process (VmHWM is per process, reset after the engine
 * opens), in the lean environment with V8's young generation pinned (`--max-semi-space-size=1`).
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { PROFILE_ENVIRONMENT } from '../../src/engine/index.js'
import { ensureLargeInputs, LARGE_INPUTS, type LargeInput } from './large-inputs/inputs.js'

const probe = fileURLToPath(new URL('./large-inputs/peak-probe.ts', import.meta.url))
const MiB = 2 ** 20

interface Peak {
  peakRssBytes: number
  width: number
  height: number
  lines: number
  total?: string
}

async function peakOf(image: string): Promise<Peak> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', probe, image, 'lean'], { env: { ...process.env, ...PROFILE_ENVIRONMENT.lean }, maxBuffer: 1 << 20 })
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Peak
}

const peaks = new Map<LargeInput, Peak>()

beforeAll(async () => {
  const paths = await ensureLargeInputs()
  // Two at a time (VmHWM is per process, so neighbours do not mix; more than two only queue on a
  // two-core machine).
  for (let i = 0; i < LARGE_INPUTS.length; i += 2) {
    const pair = LARGE_INPUTS.slice(i, i + 2)
    const read = await Promise.all(pair.map((k) => peakOf(paths[k])))
    pair.forEach((k, j) => peaks.set(k, read[j]!))
  }
}, 300_000)

describe('lean peak RSS does not depend on the input resolution', () => {
  it.each(LARGE_INPUTS.filter((k) => k !== 'a4-150dpi'))('%s: peak growth over a 150-dpi A4 page ≤ 10 MiB', (k) => {
    const base = peaks.get('a4-150dpi')!.peakRssBytes
    const peak = peaks.get(k)!.peakRssBytes
    expect((peak - base) / MiB, `${k}: ${(peak / MiB).toFixed(1)} MiB vs ${(base / MiB).toFixed(1)} MiB`).toBeLessThanOrEqual(10)
  })

  it('still reads them, and reports boxes and sizes in the input pixels', () => {
    expect(peaks.get('photo-24mp')).toMatchObject({ width: 6000, height: 4000 })
    expect(peaks.get('a4-300dpi')).toMatchObject({ width: 2480, height: 3508 })
    for (const [k, p] of peaks) expect(p.lines, k).toBeGreaterThan(30)
    expect(peaks.get('photo-24mp')!.total).toBe(peaks.get('a4-150dpi')!.total)
  })
})
