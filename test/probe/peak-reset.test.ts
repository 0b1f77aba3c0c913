import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { MiB } from '../../src/common/units.js'
import { resetPeakRss } from '../../src/probe/peak-reset.js'
import { readProcStatus } from '../../src/probe/proc-status.js'
import { startNodeChild } from './fixtures/node-child.js'

/** Touches 128 MiB, frees it (GC + a moment for the free to reach the kernel), then reports. */
const PEAK_THEN_FREE = `
let big = Buffer.alloc(128 * 1024 * 1024, 1);
big = null;
globalThis.gc();
setTimeout(() => { globalThis.gc(); console.log('freed'); }, 50);
`

describe('resetPeakRss', () => {
  it('lowers VmHWM of a child after a big freed allocation, where the kernel allows it', async () => {
    const child = await startNodeChild(PEAK_THEN_FREE, ['--expose-gc'])
    try {
      expect(await child.nextLine()).toBe('freed')
      const before = await readProcStatus(child.pid)
      // Precondition: the peak is well above the current RSS.
      expect(before!.peakRssBytes! - before!.rssBytes!).toBeGreaterThan(96 * MiB)
      const reset = resetPeakRss(child.pid)
      const after = await readProcStatus(child.pid)
      if (reset) {
        expect(after!.peakRssBytes!).toBeLessThan(before!.peakRssBytes! - 96 * MiB)
        expect(after!.peakRssBytes! - after!.rssBytes!).toBeLessThan(16 * MiB)
      } else {
        // Refused (older kernel, Yama ptrace scope, container profile): nothing changed.
        expect(reset).toBe(false)
        expect(after!.peakRssBytes).toBe(before!.peakRssBytes)
      }
    } finally {
      await child.kill()
    }
  })

  it("resets this process's own peak to about its current RSS", async () => {
    const reset = resetPeakRss('self')
    const status = await readProcStatus('self')
    if (reset) expect(status!.peakRssBytes! - status!.rssBytes!).toBeLessThan(16 * MiB)
    else expect(reset).toBe(false)
    expect(status!.peakRssBytes!).toBeGreaterThanOrEqual(status!.rssBytes!)
  })

  it('returns false for a process that does not exist', () => {
    expect(resetPeakRss(2 ** 22 + 1)).toBe(false) // above the kernel's pid_max ceiling
  })

  it('rejects a PID that is not a positive integer', () => {
    expect(() => resetPeakRss(-1)).toThrow(ConfigError)
  })
})
