import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/common/errors.js'
import { parseParamAssignment } from '../../src/config/params.js'
import { checkAssignmentsUsed, resolveParams } from '../../src/scenario/params.js'
import type { ParamSpecs } from '../../src/scenario/index.js'

const specs: ParamSpecs = {
  pages: { default: 20, description: 'pages', min: 1, max: 500 },
  lang: { default: 'en', description: 'language', choices: ['en', 'es', 'pt'] },
  burst: { default: false, description: 'bursts' },
}

describe('parseParamAssignment', () => {
  it('splits scoped and unscoped assignments, keeping the value a string', () => {
    expect(parseParamAssignment('pages=2')).toEqual({ scenario: null, key: 'pages', value: '2' })
    expect(parseParamAssignment('leak-check.cycles=4')).toEqual({ scenario: 'leak-check', key: 'cycles', value: '4' })
    expect(parseParamAssignment('label=a=b')).toEqual({ scenario: null, key: 'label', value: 'a=b' })
  })
  it('rejects text without a name', () => {
    expect(() => parseParamAssignment('pages')).toThrow(UsageError)
    expect(() => parseParamAssignment('=3')).toThrow(/is not k=v/)
  })
})

describe('resolveParams', () => {
  it('fills defaults and converts values to the declared type', () => {
    expect(resolveParams('load', specs, [])).toEqual({ pages: 20, lang: 'en', burst: false })
    const got = resolveParams('load', specs, [
      { scenario: null, key: 'pages', value: '2' },
      { scenario: 'load', key: 'lang', value: 'pt' },
      { scenario: null, key: 'burst', value: 'yes' },
      { scenario: 'other', key: 'pages', value: '9' },
      { scenario: null, key: 'unrelated', value: '1' },
    ])
    expect(got).toEqual({ pages: 2, lang: 'pt', burst: true })
  })
  it.each([
    [{ scenario: null, key: 'pages', value: 'two' }, '--param load.pages expects a number but received "two".'],
    [{ scenario: null, key: 'pages', value: '0' }, '--param load.pages must be at least 1 but received 0.'],
    [{ scenario: null, key: 'pages', value: '501' }, '--param load.pages must be at most 500 but received 501.'],
    [{ scenario: null, key: 'lang', value: 'fr' }, '--param load.lang must be one of en, es, pt but received "fr".'],
    [{ scenario: null, key: 'burst', value: 'maybe' }, '--param load.burst expects true or false but received "maybe".'],
    [{ scenario: 'load', key: 'nope', value: '1' }, "Scenario 'load' has no parameter 'nope'; it has: pages, lang, burst."],
  ])('rejects %j', (assignment, message) => {
    expect(() => resolveParams('load', specs, [assignment])).toThrow(message)
  })
})

describe('checkAssignmentsUsed', () => {
  const declared = new Map([
    ['load', ['pages', 'lang']],
    ['startup', []],
  ])
  it('accepts keys some selected scenario declares', () => {
    expect(() => checkAssignmentsUsed([{ scenario: null, key: 'pages', value: 1 }], declared)).not.toThrow()
  })
  it('names the typo and every scenario parameter', () => {
    expect(() => checkAssignmentsUsed([{ scenario: null, key: 'pagez', value: 1 }], declared)).toThrow(
      "No selected scenario has a parameter 'pagez'. Parameters are load: pages, lang; startup: (none).",
    )
    expect(() => checkAssignmentsUsed([{ scenario: 'stress', key: 'k', value: 1 }], declared)).toThrow(/names scenario 'stress', which is not selected/)
  })
})

describe('hostile numbers (issue 17)', () => {
  const counts: ParamSpecs = { pages: { default: 24, description: 'pages', min: 1 }, ratio: { default: 0.5, description: 'a fraction' }, scale: { default: 1, description: 'a factor', integer: false } }
  it.each([
    ['1e300', '--param load.pages must be at most 2147483647 but received 1e+300.'],
    ['2.5', '--param load.pages expects a whole number but received 2.5.'],
    ['Infinity', '--param load.pages must be a finite number but received Infinity.'],
    ['-Infinity', '--param load.pages must be a finite number but received -Infinity.'],
    ['NaN', '--param load.pages expects a number but received "NaN".'],
    ['0x10', null],
  ])('pages=%s', (value, message) => {
    const run = () => resolveParams('load', counts, [{ scenario: null, key: 'pages', value }])
    if (message === null) expect(run().pages).toBe(16)
    else expect(run).toThrow(message)
  })
  it('takes fractions where the default is one or the spec says integer: false', () => {
    expect(resolveParams('load', counts, [{ scenario: null, key: 'ratio', value: '0.25' }, { scenario: null, key: 'scale', value: '1.5' }])).toMatchObject({ ratio: 0.25, scale: 1.5 })
    expect(() => resolveParams('load', counts, [{ scenario: null, key: 'ratio', value: '1e300' }])).toThrow(/must be at most 9007199254740991/)
  })
  it('checks values from the config file too (numbers, not strings)', () => {
    expect(() => resolveParams('load', counts, [{ scenario: null, key: 'pages', value: Number.POSITIVE_INFINITY }])).toThrow('--param load.pages must be a finite number but received Infinity.')
    expect(() => resolveParams('load', counts, [{ scenario: null, key: 'pages', value: 3.5 }])).toThrow(UsageError)
  })
})
