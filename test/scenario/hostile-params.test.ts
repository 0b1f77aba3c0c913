/**
 * Issue 17: absurd parameters are exit 2 before any process starts. `load.pages=1e300` used to
 * pass validation and crash the worker ("Invalid array length", exit 3); `2.5` pages was accepted.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { ensureBuilt, FIXTURES, removeTempOuts, tempOut } from './helpers.js'

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

describe('hostile --param values', () => {
  it.each([
    ['load', 'load.pages=1e300', '--param load.pages must be at most 2147483647 but received 1e+300.'],
    ['load', 'load.pages=2.5', '--param load.pages expects a whole number but received 2.5.'],
    ['load', 'load.pages=Infinity', '--param load.pages must be a finite number but received Infinity.'],
    ['load', 'pages=NaN', '--param load.pages expects a number but received "NaN".'],
    ['load', 'pages=-3', '--param load.pages must be at least 1 but received -3.'],
    [join(FIXTURES, 'trivial.ts'), 'ops=1e300', '--param trivial.ops must be at most 2147483647 but received 1e+300.'],
  ])('%s %s: exit 2, no run started', async (scenario, param, message) => {
    const out = join(tempOut(), 'runs')
    const r = await runCli(['run', scenario, '--param', param, '--out', out])
    expect(r.stderr).toBe(`memgate: ${message}\nRun 'memgate --help' for usage.\n`)
    expect(r.exitCode).toBe(2)
    expect(existsSync(out)).toBe(false)
  })
})
