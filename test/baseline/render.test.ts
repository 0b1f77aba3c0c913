/** Output helpers: XML and workflow-command escaping, the "what grew" lines. */
import { describe, expect, it } from 'vitest'
import { explanationLines, pathTail } from '../../src/baseline/render/explanation.js'
import { escapeData, escapeProperty } from '../../src/baseline/render/github.js'
import { xmlEscape } from '../../src/baseline/render/junit.js'
import { formatAmount, formatChange, formatValue } from '../../src/baseline/format.js'

describe('escaping', () => {
  it('escapes XML and drops characters XML cannot hold', () => {
    expect(xmlEscape(`a<b & "c" 'd'> \u0001e`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt; e')
  })

  it('escapes workflow command data and properties', () => {
    expect(escapeData('50% of it\nnext\r')).toBe('50%25 of it%0Anext%0D')
    expect(escapeProperty('memgate load: a, b')).toBe('memgate load%3A a%2C b')
  })
})

describe('formatting', () => {
  it('formats by unit', () => {
    expect(formatValue(538 * 1048576, 'bytes')).toBe('538 MiB')
    expect(formatValue(0.0264, 'ratio')).toBe('2.64%')
    expect(formatValue(0.8512, 'score')).toBe('0.851')
    expect(formatValue(14.26, 'perSec')).toBe('14.3/s')
    expect(formatValue(830, 'ms')).toBe('830 ms')
    expect(formatValue(null, 'bytes')).toBe('—')
    expect(formatAmount(-0.006, 'ratio')).toBe('0.60 pp')
    expect(formatChange(0.076)).toBe('+7.6%')
    expect(formatChange(-0.1)).toBe('-10.0%')
    expect(formatChange(0.00001)).toBe('0.0%')
  })
})

describe('explanationLines', () => {
  it('names the classes that grew with a retainer path each', () => {
    const lines = explanationLines({
      split: { basis: 'run', rssGrowthBytes: 20 * 1048576, jsGrowthBytes: 18 * 1048576, where: 'js' },
      heap: {
        state: 'ok',
        from: 'before setup',
        to: 'after cycle-3',
        classes: [
          { className: 'LeakedRequestLog', nodeType: 'object', netCount: 15000, netSizeBytes: 480000, retainerPath: '(GC roots) → requestLog → [14999] → LeakedRequestLog' },
          { className: '(closure)', nodeType: 'closure', netCount: -3, netSizeBytes: -96, retainerPath: null },
        ],
      },
    })
    expect(lines).toEqual([
      'what grew: the JS heap: JS heap + ArrayBuffers +18.0 MiB of RSS +20.0 MiB (90%), from the first stage to the last',
      'top growing classes (heap snapshots before setup → after cycle-3):',
      '  +469 KiB  +15000  LeakedRequestLog (object)',
      '    held by: (GC roots) → requestLog → [14999] → LeakedRequestLog',
    ])
  })
})

describe('pathTail', () => {
  it('keeps the end of a long retainer path, where the holder is', () => {
    const path = Array.from({ length: 12 }, (_, i) => `s${i}`).join(' → ')
    expect(pathTail(path)).toBe('… → s4 → s5 → s6 → s7 → s8 → s9 → s10 → s11')
    expect(pathTail('a → b')).toBe('a → b')
    // Rope internals are folded, so the holder stays in view.
    const rope = 'root → requestLog → Array → [3] → LeakedRequestLog → line → (concatenated string) → second → (concatenated string) → first → (concatenated string) → first → (string)'
    expect(pathTail(rope)).toBe('root → requestLog → Array → [3] → LeakedRequestLog → line → (string)')
  })

  it('does not repeat a type already in the class name, and says when no path was found', () => {
    const lines = explanationLines({ split: null, heap: { state: 'ok', from: 'a', to: 'b', classes: [{ className: '(string)', nodeType: 'string', netCount: 3, netSizeBytes: 2048, retainerPath: null }] } })
    expect(lines.slice(1)).toEqual(['  +2.00 KiB  +3  (string)', '    held by: no retainer path found (unreachable or a GC root)'])
  })
})
