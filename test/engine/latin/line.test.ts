import { describe, expect, it } from 'vitest'
import { EditableLine } from '../../../src/engine/latin/line.js'

describe('EditableLine', () => {
  it('keeps the cells of characters a replacement leaves in place', () => {
    const line = new EditableLine('Nº', 0.5, [
      { char: 'N', prob: 1 },
      { char: 'º', prob: 0.6 },
    ])
    line.replace(0, 2, 'Nº', 0.1)
    expect(line.changes).toBe(0)
    expect(line.confidence).toBeCloseTo(0.8, 12)
  })

  it('counts substitutions, insertions and deletions and caps new cells', () => {
    const line = new EditableLine('abcd', 0.9)
    line.replace(1, 2, 'X', 0.5) // substitution: min(0.9, 0.5)
    expect(line.text).toBe('aXcd')
    line.replace(4, 4, ' €', 0.7) // insertion: 0.7
    expect(line.text).toBe('aXcd €')
    line.replace(0, 1, '', 1) // deletion
    expect(line.text).toBe('Xcd €')
    expect(line.changes).toBe(4)
    expect(line.confidence).toBeCloseTo((0.5 + 0.9 + 0.9 + 0.7 + 0.7) / 5, 12)
  })

  it('splits multi-unit classes into one cell per UTF-16 unit', () => {
    const line = new EditableLine('a𝑥b', 0.5, [
      { char: 'a', prob: 1 },
      { char: '𝑥', prob: 0.2 },
      { char: 'b', prob: 1 },
    ])
    expect(line.text).toBe('a𝑥b')
    expect(line.confidence).toBeCloseTo((1 + 0.2 + 0.2 + 1) / 4, 12)
  })

  it('has confidence 0 when empty, like the recogniser', () => {
    expect(new EditableLine('', 0.9).confidence).toBe(0)
  })
})
