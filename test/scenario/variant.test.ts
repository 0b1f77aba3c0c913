import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/common/errors.js'
import { resolveVariant } from '../../src/scenario/variant.js'

describe('resolveVariant', () => {
  const ocr = { name: 'load', variants: { names: ['default', 'lean'], default: 'lean' } }
  it("takes the scenario's default when none is given", () => {
    expect(resolveVariant(ocr, null)).toBe('lean')
  })
  it('accepts a declared variant', () => {
    expect(resolveVariant(ocr, 'default')).toBe('default')
  })
  it('refuses an undeclared variant with the choices', () => {
    expect(() => resolveVariant(ocr, 'fast')).toThrow(UsageError)
    expect(() => resolveVariant(ocr, 'fast')).toThrow("Scenario 'load' has no variant 'fast' (--profile); it runs as one of default, lean.")
  })
  it('records any variant, or none, for a scenario that declares none', () => {
    expect(resolveVariant({ name: 'sqlite-store' }, 'x')).toBe('x')
    expect(resolveVariant({ name: 'sqlite-store' }, null)).toBeNull()
  })
})
