/**
 * Memory bounded by design (issue 16, item 3): with the lean profile, the peak RSS of reading a
 * 24-megapixel photo, a 300-dpi A4 scan or a 4000-px-tall receipt exceeds that of a 150-dpi A4
 * page by at most 10 MiB (the decode cap `maxDecodedPixels` scales them down while decoding; at
 * full size their rasters alone are 26–72 MB).
 * One child process per large input, one after another, in the lean environment with V8's young
 * generation pinned (`--max-semi-space-size=1`). After the same unmeasured warm-up reads (the
 * reference page as PNG and as JPEG, and a receipt at its own size, so the ONNX Runtime arena,
 * libjpeg and both accent lexicons are in place), it reads the reference page and the large input
 * in turn, {@link PAIRS} times, each after a GC and a reset of the process's peak RSS (VmHWM), so
 * each peak is that read's own. The growth is the median large read's peak minus the median page
 * read's, in the same process.
 * Why paired: a single read's peak varies by ±4 MiB (when V8 and malloc happen to return memory),
 * and a fresh process's by ±3 MiB more; one process reading every input once in a row measured
 * the same photo at +2.6 to +12.7 MiB over the page, depending on its place in the row.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { PROFILE_ENVIRONMENT } from '../../src/engine/index.js'
import { ensureLargeInputs, LARGE_INPUTS, type LargeInput, WARMUP_INPUTS } from './large-inputs/inputs.js'

const probe = fileURLToPath(new URL('./large-inputs/peak-probe.ts', import.meta.url))
const MiB = 2 ** 20
const mib = (bytes: number) => (bytes / MiB).toFixed(1)

interface Peak {
  image: string
  peakRssBytes: number
  peakReset: boolean
  width: number
  height: number
  lines: number
  total?: string
}

/** Reads of the reference page and of the large input, in turn, per process. */
const PAIRS = 3
const REFERENCE = 'a4-150dpi' satisfies LargeInput
const LARGE = LARGE_INPUTS.filter((k) => k !== REFERENCE)

/** Per large input: the median read of it and of the reference page in its process. */
const measured = new Map<LargeInput, { large: Peak; reference: Peak }>()

const median = (reads: Peak[]): Peak => [...reads].sort((a, b) => a.peakRssBytes - b.peakRssBytes)[(reads.length - 1) >> 1]!

beforeAll(async () => {
  const paths = await ensureLargeInputs()
  const warmups = WARMUP_INPUTS.flatMap((k) => ['--warmup', paths[k]])
  for (const k of LARGE) {
    const reads = Array.from({ length: PAIRS }, () => [paths[REFERENCE], paths[k]]).flat()
    const args = ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', probe, '--profile', 'lean', ...warmups, ...reads]
    const { stdout } = await promisify(execFile)(process.execPath, args, { env: { ...process.env, ...PROFILE_ENVIRONMENT.lean }, maxBuffer: 1 << 20 })
    const printed = stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Peak)
    const of = (path: string) => printed.filter((p) => p.image === path)
    if (of(paths[k]).length !== PAIRS || of(paths[REFERENCE]).length !== PAIRS) throw new Error(`The probe printed ${printed.length} figures for ${k}, not ${2 * PAIRS}: ${stdout}`)
    measured.set(k, { large: median(of(paths[k])), reference: median(of(paths[REFERENCE])) })
    console.log(`${k}: read peaks ${printed.map((p) => `${p.image === paths[k] ? k : REFERENCE} ${mib(p.peakRssBytes)}`).join(', ')} MiB`)
  }
}, 240_000)

describe('lean peak RSS does not depend on the input resolution', () => {
  it.each(LARGE)('%s: peak growth over a 150-dpi A4 page ≤ 10 MiB', (k) => {
    const { large, reference } = measured.get(k)!
    expect((large.peakRssBytes - reference.peakRssBytes) / MiB, `${k}: ${mib(large.peakRssBytes)} MiB vs ${mib(reference.peakRssBytes)} MiB (medians of ${PAIRS}; peak reset per read: ${large.peakReset})`).toBeLessThanOrEqual(10)
  })

  it('still reads them, and reports boxes and sizes in the input pixels', () => {
    const large = (k: LargeInput) => measured.get(k)!.large
    expect(large('photo-24mp')).toMatchObject({ width: 6000, height: 4000 })
    expect(large('a4-300dpi')).toMatchObject({ width: 2480, height: 3508 })
    expect(large('receipt-4000px').height).toBe(4000)
    for (const [k, { large: read, reference }] of measured) {
      expect(read.lines, k).toBeGreaterThan(30)
      expect(reference.lines, REFERENCE).toBeGreaterThan(30)
    }
    expect(large('photo-24mp').total).toBe(measured.get('photo-24mp')!.reference.total)
  })
})
