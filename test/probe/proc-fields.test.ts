import { describe, expect, it } from 'vitest'
import { ProcFields } from '../../src/probe/proc-fields.js'
import { parseProcStatus } from '../../src/probe/proc-status.js'
import { createSmapsFields, privateBytesOf, pssBytesOf } from '../../src/probe/smaps-rollup.js'

/** Builds a status file the way the kernel prints it: `Key:\t<padded value> kB`. */
function statusText(fields: Record<string, string | number>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}:\t${typeof v === 'number' ? `${String(v).padStart(8)} kB` : v}`)
    .join('\n')
    .concat('\n')
}

describe('ProcFields', () => {
  it('converts kB values to bytes and keeps unit-less values as they are', () => {
    const f = new ProcFields(['VmRSS', 'Threads', 'VmSwap']).parse(Buffer.from(statusText({ VmRSS: 2048, Threads: '7', VmSwap: 0 })))
    expect(f.get(0)).toBe(2048 * 1024)
    expect(f.get(1)).toBe(7)
    expect(f.get(2)).toBe(0) // a real zero stays zero: only a missing key is null
  })

  it('reads a missing key or a non-numeric value as null', () => {
    const f = new ProcFields(['VmRSS', 'VmHWM']).parse(Buffer.from('VmHWM:\tunknown\nName:\tx\n'))
    expect(f.get(0)).toBeNull()
    expect(f.get(1)).toBeNull()
  })

  it('matches whole keys only (Pss is not Pss_Dirty) and ignores bytes past the given length', () => {
    const text = 'Pss_Dirty:  999 kB\nPss:  12 kB\n'
    const buf = Buffer.alloc(256, 'Private_Clean: 777 kB\n')
    buf.write(text)
    const f = createSmapsFields().parse(buf, text.length)
    expect(pssBytesOf(f)).toBe(12 * 1024)
    // "Private_Clean" appears only in the stale bytes after `length`.
    expect(privateBytesOf(f)).toBeNull()
  })

  it('resets values between parses (a reused parser never leaks the previous file)', () => {
    const f = new ProcFields(['VmRSS'])
    f.parse(Buffer.from('VmRSS: 10 kB\n'))
    expect(f.get(0)).toBe(10240)
    f.parse(Buffer.from('Name: zombie\n'))
    expect(f.get(0)).toBeNull()
  })

  it('parses a file without a trailing newline', () => {
    expect(new ProcFields(['Threads']).parse(Buffer.from('Name: a\nThreads:\t3')).get(0)).toBe(3)
  })
})

describe('smaps_rollup', () => {
  it('sums Private_Clean and Private_Dirty into privateBytes, skipping the [rollup] header', () => {
    const text = [
      '556363002000-7fff4f88b000 ---p 00000000 00:00 0                          [rollup]',
      'Rss:                1624 kB',
      'Pss:                 329 kB',
      'Pss_Dirty:           116 kB',
      'Private_Clean:        56 kB',
      'Private_Dirty:       116 kB',
      '',
    ].join('\n')
    const f = createSmapsFields().parse(Buffer.from(text))
    expect(pssBytesOf(f)).toBe(329 * 1024)
    expect(privateBytesOf(f)).toBe((56 + 116) * 1024)
  })
})

describe('parseProcStatus', () => {
  it('parses names, state and every size in bytes', () => {
    const text = statusText({
      Name: 'node worker',
      State: 'S (sleeping)',
      Pid: '4242',
      PPid: '1',
      VmPeak: 900,
      VmSize: 800,
      VmHWM: 300,
      VmRSS: 200,
      RssAnon: 120,
      RssFile: 70,
      RssShmem: 10,
      VmData: 400,
      VmSwap: 5,
      Threads: '11',
    })
    expect(parseProcStatus(Buffer.from(text))).toEqual({
      pid: 4242,
      ppid: 1,
      name: 'node worker',
      state: 'S',
      rssBytes: 200 * 1024,
      peakRssBytes: 300 * 1024,
      swapBytes: 5 * 1024,
      sizeBytes: 800 * 1024,
      peakSizeBytes: 900 * 1024,
      dataBytes: 400 * 1024,
      rssAnonBytes: 120 * 1024,
      rssFileBytes: 70 * 1024,
      rssShmemBytes: 10 * 1024,
      threads: 11,
    })
  })

  it('gives null memory figures for a zombie, which has no Vm* lines', () => {
    const s = parseProcStatus(Buffer.from(statusText({ Name: 'sh', State: 'Z (zombie)', Pid: '7', PPid: '6', Threads: '1' })))
    expect(s?.state).toBe('Z')
    expect(s?.rssBytes).toBeNull()
    expect(s?.peakRssBytes).toBeNull()
  })

  it('returns null for text that is not a status file', () => {
    expect(parseProcStatus(Buffer.from('hello\n'))).toBeNull()
  })
})
