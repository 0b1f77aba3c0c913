import { describe, expect, it } from 'vitest'
import { PERM_EXEC, PERM_READ, PERM_SHARED, PERM_WRITE, SmapsParser, parseSmaps } from '../../src/probe/smaps-parse.js'
import { smapsText } from './fixtures/smaps-text.js'

/** Two records as a 6.x kernel prints them, copied from a Node 20 process and trimmed by hand. */
const REAL = `00b72000-025fe000 r-xp 00772000 fe:00 260689                             /usr/bin/node
Size:              23088 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:               21880 kB
Pss:                5470 kB
Pss_Dirty:             0 kB
Shared_Clean:      21880 kB
Shared_Dirty:          0 kB
Private_Clean:         0 kB
Private_Dirty:         0 kB
Referenced:        21880 kB
Anonymous:             0 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                  0 kB
SwapPss:               0 kB
Locked:                0 kB
THPeligible:           0
VmFlags: rd ex mr mw me 
41d14000000-41d54000000 rw-p 00000000 00:00 0 
Size:            1048576 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                7372 kB
Pss:                7372 kB
Pss_Dirty:          7372 kB
Shared_Clean:          0 kB
Shared_Dirty:          0 kB
Private_Clean:         0 kB
Private_Dirty:      7372 kB
Referenced:         7372 kB
Anonymous:          7244 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:      2048 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                 12 kB
SwapPss:               6 kB
Locked:                0 kB
THPeligible:           1
ProtectionKey:         0
VmFlags: rd wr mr mw me ac 
`

const KiB = 1024

describe('parseSmaps', () => {
  it('reads the header and the four figures of each record, in bytes', () => {
    const [node, young] = parseSmaps(REAL)
    expect(node).toEqual({ startAddr: 0xb72000, endAddr: 0x25fe000, perms: PERM_READ | PERM_EXEC, path: '/usr/bin/node', rssBytes: 21880 * KiB, pssBytes: 5470 * KiB, anonBytes: 0, swapBytes: 0 })
    // Whole keys only: Pss_Dirty, AnonHugePages and SwapPss do not overwrite Pss, Anonymous and Swap.
    expect(young).toEqual({ startAddr: 0x41d14000000, endAddr: 0x41d54000000, perms: PERM_READ | PERM_WRITE, path: '', rssBytes: 7372 * KiB, pssBytes: 7372 * KiB, anonBytes: 7244 * KiB, swapBytes: 12 * KiB })
  })

  it('gives the same mappings however the text is cut into chunks', () => {
    const text = Buffer.from(REAL + smapsText([{ range: '7fd67d060000-7fd67d070000', perms: 'rw-s', path: '/dev/shm/my file (deleted)', rssKb: 64 }]))
    const whole = parseSmaps(text)
    expect(whole).toHaveLength(3)
    for (let cut = 1; cut < text.length; cut += 7) {
      const parser = new SmapsParser()
      parser.write(text.subarray(0, cut))
      parser.write(text.subarray(cut))
      expect(parser.end(), `cut at ${cut}`).toEqual(whole)
    }
    // Three-byte chunks: a line spans many chunks.
    const parser = new SmapsParser()
    for (let at = 0; at < text.length; at += 3) parser.write(text.subarray(at, at + 3))
    expect(parser.end()).toEqual(whole)
  })

  it('keeps spaces and the (deleted) mark in paths, and marks shared mappings', () => {
    const [shm] = parseSmaps(smapsText([{ range: '7fd67d060000-7fd67d070000', perms: 'rw-s', path: '/dev/shm/my file (deleted)', rssKb: 64 }]))
    expect(shm?.path).toBe('/dev/shm/my file (deleted)')
    expect(shm?.perms).toBe(PERM_READ | PERM_WRITE | PERM_SHARED)
  })

  it('parses only `length` bytes of a reused buffer, and a last line without a newline', () => {
    const text = REAL.trimEnd().replace(/Swap: {17}12 kB\nSwapPss:.*$/s, 'Swap:                 12 kB')
    const buf = Buffer.alloc(text.length + 100, 'Rss: 999 kB\n')
    buf.write(text)
    const parser = new SmapsParser()
    parser.write(buf, text.length)
    const mappings = parser.end()
    expect(mappings).toHaveLength(2)
    expect(mappings[1]?.swapBytes).toBe(12 * KiB)
    expect(mappings[1]?.rssBytes).toBe(7372 * KiB) // the stale "Rss: 999 kB" past `length` is not read
  })

  it('ignores lines before the first header and malformed headers; an empty text has no mappings', () => {
    expect(parseSmaps('')).toEqual([])
    const mappings = parseSmaps(`Rss: 5 kB\nabc-xyz r--p 0 0:0 0\n${REAL}`)
    expect(mappings.map((m) => m.path)).toEqual(['/usr/bin/node', ''])
  })

  it('can be reused after end()', () => {
    const parser = new SmapsParser()
    parser.write(Buffer.from(REAL))
    expect(parser.end()).toHaveLength(2)
    parser.write(Buffer.from(REAL.slice(0, 200)))
    expect(parser.end()).toHaveLength(1)
  })
})
