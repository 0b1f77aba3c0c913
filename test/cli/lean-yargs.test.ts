/**
 * yargs through its lean platform shim (src/cli/lean-yargs.ts): the same help, errors and
 * parsing as yargs' own entry, and its help-text libraries (cliui, string-width) load only when
 * help is printed.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import yargs from 'yargs'
import { leanYargs } from '../../src/cli/lean-yargs.js'
import { ensureBuilt } from '../scenario/helpers.js'
import { runCli } from '../helpers/cli.js'

const MAIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url))
const original = Object.getOwnPropertyDescriptor(process.features, 'require_module')!

afterEach(() => {
  Object.defineProperty(process.features, 'require_module', original)
})

/** runCli with yargs' own entry (what loadYargs picks on a Node without require(esm)). */
async function runWithYargsEntry(argv: string[]): ReturnType<typeof runCli> {
  Object.defineProperty(process.features, 'require_module', { value: false, configurable: true, enumerable: true })
  try {
    return await runCli(argv)
  } finally {
    Object.defineProperty(process.features, 'require_module', original)
  }
}

describe('the lean yargs', () => {
  it('prints the same help, version and usage errors as yargs itself', async () => {
    for (const argv of [['--help'], ['watch', '--help'], ['run', '--help'], ['baseline', '--help'], ['--version'], ['wat'], ['watch', '--interval'], ['diff', 'a'], []]) {
      const lean = await runCli(argv)
      expect(lean, argv.join(' ')).toEqual(await runWithYargsEntry(argv))
    }
    expect((await runCli(['--help'])).stdout).toMatch(/^memgate <command> \[options\]/)
  })

  it('parses as yargs does', async () => {
    const argv = ['watch', '12', '--interval', '0.5', '--no-children', '--max-rss=1GiB', '--', 'sleep', '1']
    const lean = leanYargs()(argv).parseSync()
    expect(lean).toMatchObject({ _: ['watch', 12, 'sleep', 1], interval: 0.5, children: false, 'max-rss': '1GiB', maxRss: '1GiB' })
    expect(lean).toEqual(yargs(argv).parseSync())
  })
})

describe('the help-text libraries', () => {
  beforeAll(() => ensureBuilt())

  /** The help-text modules a fresh CLI process loaded for `argv`. */
  const loadedFor = (argv: string[]): string[] => {
    const script = `
      const { main } = await import(${JSON.stringify(MAIN)});
      const sink = { write: () => true };
      await main({ argv: ${JSON.stringify(argv)}, cwd: process.cwd(), env: process.env, stdout: sink, stderr: sink });
      const { createRequire } = await import('node:module');
      const cache = createRequire(import.meta.url).cache;
      console.log(JSON.stringify(Object.keys(cache).filter((k) => /node_modules\\/(cliui|string-width|wrap-ansi)\\//.test(k))));`
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as string[]
  }

  it('are not loaded to run a command, and are loaded to print help', () => {
    expect(loadedFor(['list'])).toEqual([])
    expect(loadedFor(['--help']).some((k) => k.includes('cliui'))).toBe(true)
  })
})
