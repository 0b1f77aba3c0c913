/** The glibc version, read without a process report. */
import { describe, expect, it } from 'vitest'
import { glibcVersion } from '../../src/common/libc.js'

describe('glibcVersion', () => {
  it('agrees with the version the running process reports, and is read once', () => {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined
    expect(glibcVersion()).toBe(report?.header?.glibcVersionRuntime ?? null)
    expect(glibcVersion()).toBe(glibcVersion())
  })
})
