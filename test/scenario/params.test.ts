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
