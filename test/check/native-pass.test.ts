/** `--native heaptrack`: one extra worker under heaptrack, recorded as analysis.native, never a repeat. */
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { heaptrackPass } from '../../src/check/native-pass.js'
import { UsageError } from '../../src/common/errors.js'
import { readRunJson, ensureBuilt, removeTempOuts, runFixture } from '../scenario/helpers.js'

const hasHeaptrack = (() => {
  try {
    execFileSync('heaptrack_print', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

describe.runIf(hasHeaptrack && process.platform === 'linux')('the heaptrack pass', () => {
  it('attributes kept Buffer.allocUnsafeSlow blocks to node’s CreateUnsafeArrayBuffer, outside every repeat', async () => {
    const outcome = await runFixture(['native-blocks.mjs'], { tracedPass: await heaptrackPass() })
    const run = readRunJson(outcome.file)
    const s = run.scenarios[0]
    // Only the measuring repeat is a repeat; its RSS figures are not the traced worker's.
    expect(s?.repeats.map((r) => r.pass)).toEqual(['measure'])
    const native = s?.analysis?.native
    expect(native?.tool).toBe('heaptrack')
    expect(native?.file).toMatch(/^native\/heaptrack\.native-blocks\.(zst|gz)$/)
    const frame = native?.byFrame.find((g) => /CreateUnsafeArrayBuffer/.test(g.key))
    // 8 blocks of 4 MiB (heaptrack prints 1000-based sizes).
    expect(frame?.allocations).toBe(8)
    expect(frame?.peakBytes).toBeGreaterThan(33e6)
    expect(native?.topByPeak[0]?.frame).toMatch(/CreateUnsafeArrayBuffer/)
  }, 120_000)
})

describe('without heaptrack', () => {
  it('is a usage error that names the install command', async () => {
    const error = await heaptrackPass({ path: '/nonexistent' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toContain('apt-get install heaptrack')
  })
})
