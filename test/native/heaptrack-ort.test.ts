import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readNativeProfile, runUnderHeaptrack, type NativeProfile } from '../../src/native/index.js'
import { renderPage } from '../helpers/render-page.js'
import { fixture, requireTools, runReal, tempDir } from './helpers.js'

const MB = 1e6
const ORT = /\/libonnxruntime\.so[\d.]*$/
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).pathname

/**
 * One small page through the lean engine with ONNX Runtime's CPU arena on, under heaptrack. (The
 * same run with the arena off, recorded in test/fixtures/native-heaptrack-print/ort-arena-off.txt,
 * leaves nothing under InferenceSessionWrap::Run; see parse-print.test.ts.)
 */
describe.runIf(runReal)('heaptrack on the OCR engine with ONNX Runtime’s CPU arena on', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let profile: NativeProfile

  beforeAll(async () => {
    dir = await tempDir('ort')
    const page = join(dir.path, 'page.png')
    await writeFile(page, renderPage(['Invoice 2024-117', 'Total due 1,250.00 EUR'], { width: 480, height: 160, fontPx: 22 }))
    const dataFile = await runUnderHeaptrack({ command: process.execPath, args: ['--import', TSX, fixture('native-ort/recognize-page.ts'), page, 'arena-on'], outDir: dir.path, timeoutMs: 100_000, tools: requireTools() })
    profile = await readNativeProfile(dataFile, { tools: requireTools() })
  }, 110_000)
  afterAll(() => dir?.remove())

  it('attributes the model to libonnxruntime under the N-API binding InferenceSessionWrap::LoadModel', () => {
    const ort = profile.bySharedObject.find((g) => ORT.test(g.key))
    // The peak is one moment, and whether it falls while ONNX Runtime or JavaScript's model buffers
    // hold most moves with GC timing (libonnxruntime's share measured 6–27 MB here); what is still
    // allocated at the end does not move (41 MB in every run).
    expect(ort?.peakBytes).toBeGreaterThan(1 * MB)
    expect(ort?.leakedBytes).toBeGreaterThan(30 * MB)
    const load = profile.byFrame.find((g) => g.key === 'InferenceSessionWrap::LoadModel')
    expect(load).toMatchObject({ kind: 'binding' })
    expect(load?.module).toMatch(/\/onnxruntime_binding\.node$/)
    expect(load?.leakedBytes).toBeGreaterThan(10 * MB)
  })

  it('shows what the arena keeps after the run as still allocated in libonnxruntime under InferenceSessionWrap::Run', () => {
    const run = profile.byFrame.find((g) => g.key === 'InferenceSessionWrap::Run')
    expect(run).toMatchObject({ kind: 'binding' })
    expect(run?.leakedBytes).toBeGreaterThan(10 * MB)
    const sites = profile.sites.filter((s) => s.frame?.name === 'InferenceSessionWrap::Run')
    // Most of it is ONNX Runtime's own (the arena). The rest, when listed, is output tensors whose
    // ArrayBuffers Node allocated and no GC freed before exit (seen on one CI machine: /usr/bin/node).
    const ortLeaked = sites.filter((s) => ORT.test(s.sharedObject ?? '')).reduce((sum, s) => sum + (s.leakedBytes ?? 0), 0)
    expect(ortLeaked).toBeGreaterThan(10 * MB)
    expect(ortLeaked).toBeGreaterThan(0.5 * run!.leakedBytes)
    for (const site of sites) expect(site.sharedObject, JSON.stringify(site.frames[0])).toMatch(/\/libonnxruntime\.so[\d.]*$|\/node$/)
    const ort = profile.bySharedObject.find((g) => ORT.test(g.key))
    console.info(`arena on: libonnxruntime peak ${((ort?.peakBytes ?? 0) / MB).toFixed(2)} MB, leaked ${((ort?.leakedBytes ?? 0) / MB).toFixed(2)} MB; InferenceSessionWrap::Run leaked ${((run?.leakedBytes ?? 0) / MB).toFixed(2)} MB over ${sites.length} sites (${(ortLeaked / MB).toFixed(2)} MB in libonnxruntime); total peak ${(profile.totals.peakBytes / MB).toFixed(2)} MB, leaked ${(profile.totals.leakedBytes / MB).toFixed(2)} MB`)
  })
})
