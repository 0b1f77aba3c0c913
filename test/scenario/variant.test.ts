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

describe('config run.params', () => {
  it('ignore an assignment scoped to a scenario that is not selected; a --param naming one is refused', async () => {
    const { checkAssignmentsUsed } = await import('../../src/scenario/params.js')
    const declared = new Map([['slow', ['steps']]])
    expect(() => checkAssignmentsUsed([{ scenario: 'load', key: 'pages', value: 8, fromConfig: true }, { scenario: null, key: 'pages', value: 8, fromConfig: true }], declared)).not.toThrow()
    expect(() => checkAssignmentsUsed([{ scenario: 'load', key: 'pages', value: '8' }], declared)).toThrow("--param load.pages names scenario 'load', which is not selected; selected: slow.")
  })
})
