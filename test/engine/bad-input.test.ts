import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../../src/common/errors.js'
import { openEngine, type OcrEngine } from '../../src/engine/index.js'
import { BAD_KINDS, generateBadInputs, saveBadInputs, type BadInput } from './bad-inputs/generators.js'
import type { RssProbeReport } from './bad-inputs/rss-probe.js'
import { textOnTransparent } from './bad-inputs/rasters.js'

const COUNT = 1000
const WARMUP = 100
/** Allowed RSS growth after the warm-up, bytes (5 MB). */
const MAX_RSS_GROWTH_BYTES = 5_000_000
/**
 * Allowed growth of V8's live heap and of `external` (Buffers, sharp's native memory reported to
 * V8) after the warm-up, bytes. These are exact after a forced GC, unlike RSS: the allocator's
 * free pool (tens of MB after the models load) absorbs a leak before RSS shows it. A planted leak
 * of 8 KiB per input raised `external` by 7.0 MiB and RSS by 0.0–3.5 MiB.
 */
const MAX_JS_GROWTH_BYTES = 1024 * 1024

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const probeScript = fileURLToPath(new URL('./bad-inputs/rss-probe.ts', import.meta.url))

/** `code source` for an outcome (flagging a message that does not name its source), so a mismatch prints as one line. */
function outcome(error: unknown): string {
  if (!(error instanceof Error)) return `no error (${typeof error})`
  if (!(error instanceof InputError)) return `${error.name} ${(error as { code?: string }).code ?? ''}: ${error.message}`
  return `${error.code} ${error.source ?? '(no source)'}${error.message.includes(error.source ?? '\0') ? '' : ' (message does not name it)'}`
}
const expected = (b: BadInput): string => `${b.code} ${b.source}`

describe(`${COUNT} bad inputs through one engine`, () => {
  let dir: string
  let inputs: BadInput[]
  let engine: OcrEngine
  let probe: Promise<{ stdout: string; stderr: string }> | undefined

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'memgate-bad-input-'))
    inputs = await generateBadInputs(COUNT, join(dir, 'inputs'), 7)
    // The memory probe replays the same inputs in its own process while this one checks errors.
    const manifest = await saveBadInputs(inputs, join(dir, 'manifest'))
    probe = promisify(execFile)(process.execPath, ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', probeScript, manifest, String(WARMUP)], {
      cwd: repoRoot,
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
      // One malloc arena: otherwise glibc adds per-thread arenas (up to 8 per core) whenever
      // threads contend, at unpredictable moments, and each keeps the 1-3 MiB it touched. Measured
      // on these inputs: 1.5-4.5 MiB RSS growth by default, 0-0.25 MiB with one arena.
      env: { ...process.env, MALLOC_ARENA_MAX: '1' },
    })
    probe.catch(() => undefined) // awaited in its test; no unhandled rejection meanwhile
    engine = await openEngine()
  })

  afterAll(async () => {
    await engine?.close()
    await probe?.catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
  })

  it('the generated mix holds every kind, as paths and as bytes', () => {
    expect(new Set(inputs.map((b) => b.kind))).toEqual(new Set(Object.keys(BAD_KINDS)))
    expect(inputs.filter((b) => typeof b.input === 'string').length).toBeGreaterThan(COUNT / 4)
    expect(inputs.filter((b) => typeof b.input !== 'string').length).toBeGreaterThan(COUNT / 4)
  })

  it('recognizeMany yields every input, in order, with its typed error, and goes on', async () => {
    const mismatches: string[] = []
    let index = 0
    for await (const item of engine.recognizeMany(inputs.map((b) => b.input))) {
      const want = inputs[index]!
      const got = item.ok ? 'ok' : outcome(item.error)
      if (item.input !== want.input || got !== expected(want)) mismatches.push(`#${index} ${want.kind}: expected ${expected(want)}, got ${got}`)
      index++
    }
    expect(index).toBe(COUNT)
    expect(mismatches).toEqual([])
  })

  it('recognize rejects every input with its typed error', async () => {
    const mismatches: string[] = []
    for (const [index, want] of inputs.entries()) {
      const got = await engine.recognize(want.input).then(() => 'ok', outcome)
      if (got !== expected(want)) mismatches.push(`#${index} ${want.kind}: expected ${expected(want)}, got ${got}`)
    }
    expect(mismatches).toEqual([])
  })

  it('the same engine still reads a good image afterwards, alone and after bad ones in a batch', async () => {
    // White text on transparency: readable only if decoding flattened it to dark on light.
    const page = await textOnTransparent('#fff')
    const alone = await engine.recognize(page.png)
    expect(alone.text).toMatch(/Total\s*42/i)
    const batch = [...inputs.slice(0, 20).map((b) => b.input), page.png]
    const items: boolean[] = []
    for await (const item of engine.recognizeMany(batch)) items.push(item.ok)
    expect(items).toEqual([...Array<boolean>(20).fill(false), true])
  })

  it(`memory does not grow from input ${WARMUP} to ${COUNT}: RSS < 5 MB, V8 heap and external < 1 MiB (child process, forced GC)`, async () => {
    const { stdout } = await probe!
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as RssProbeReport
    expect(report.gcExposed).toBe(true)
    expect(report.count).toBe(COUNT)
    expect(report.mismatches).toEqual([])
    const growth = (key: keyof NodeJS.MemoryUsage) => report.end[key] - report.warm[key]
    expect(growth('rss')).toBeLessThan(MAX_RSS_GROWTH_BYTES)
    expect(growth('heapUsed')).toBeLessThan(MAX_JS_GROWTH_BYTES)
    expect(growth('external')).toBeLessThan(MAX_JS_GROWTH_BYTES)
  })
})
