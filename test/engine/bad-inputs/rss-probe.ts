/**
 * Child-process probe for bad-input.test.ts: one engine, the bad inputs of a manifest (written by
 * `saveBadInputs`) through `recognizeMany`, memory sampled after a forced GC once the first
 * `warmup` inputs are done and again at the end. Prints one JSON line ({@link RssProbeReport}).
 *
 * Run as `node --expose-gc --max-semi-space-size=1 --import tsx rss-probe.ts <manifest> <warmup>`.
 * A separate process, so the figures are this workload's and GC can be forced. The semi-space
 * cap pins V8's young generation: by default V8 grows it (to 16 MiB per semi-space) whenever the
 * allocation rate says so, and first touches its pages at an arbitrary moment; measured here, that
 * alone moved RSS by 6–13 MiB in one run out of three. That is GC sizing, not retention; a leak
 * of JS objects or buffers still grows the old generation, `external` and RSS.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { InputError } from '../../../src/common/errors.js'
import { openEngine } from '../../../src/engine/index.js'
import { loadBadInputs } from './generators.js'

/** What the probe prints. */
export interface RssProbeReport {
  gcExposed: boolean
  count: number
  /** `process.memoryUsage()` after the warm-up inputs and a forced GC, bytes. */
  warm: NodeJS.MemoryUsage
  /** `process.memoryUsage()` after all inputs and a forced GC, before `close()`, bytes. */
  end: NodeJS.MemoryUsage
  /** Inputs whose outcome was not the expected typed error, as `index kind: got`. */
  mismatches: string[]
}

async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  // Two GCs with a pause between: the first can leave finalisers (sharp's native buffers) pending.
  for (let i = 0; i < 2; i++) {
    globalThis.gc?.()
    await sleep(20)
  }
  return process.memoryUsage()
}

async function main(): Promise<void> {
  const [manifest, warmupText = '100'] = process.argv.slice(2)
  if (!manifest) throw new Error('usage: rss-probe.ts <manifest> [warmup]')
  const warmup = Number(warmupText)
  const inputs = await loadBadInputs(manifest)
  const engine = await openEngine()
  const mismatches: string[] = []
  let warm: NodeJS.MemoryUsage | undefined
  let end: NodeJS.MemoryUsage | undefined
  let index = 0
  try {
    for await (const item of engine.recognizeMany(inputs.map((b) => b.input))) {
      const expected = inputs[index]!
      const got = item.ok ? 'ok' : item.error instanceof InputError ? `${item.error.code} ${item.error.source ?? ''}` : `${item.error.name} ${item.error.code}`
      if (got !== `${expected.code} ${expected.source}`) mismatches.push(`${index} ${expected.kind}: ${got}`)
      index++
      if (index === warmup) warm = await settledMemory()
    }
    // Before close(): releasing the sessions would lower RSS and hide growth.
    end = await settledMemory()
  } finally {
    await engine.close()
  }
  if (!warm) throw new Error(`only ${index} inputs ran; the warm-up needs ${warmup}`)
  const report: RssProbeReport = { gcExposed: typeof globalThis.gc === 'function', count: index, warm, end, mismatches }
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

await main()
