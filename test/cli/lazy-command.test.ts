/**
 * Commands load on first use (src/cli/lazy-command.ts): `--help` lists every command without
 * importing one, a command's own `--help` and its run load that command only, once.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import yargs from 'yargs'
import { describe, expect, it, vi } from 'vitest'
import type { CommandContext } from '../../src/cli/io.js'
import { lazyCommand } from '../../src/cli/lazy-command.js'
import { runCli } from '../helpers/cli.js'

function parserWith(loads: { a: ReturnType<typeof vi.fn>; b: ReturnType<typeof vi.fn> }, ran: string[]) {
  const ctx: CommandContext = { io: { argv: [], cwd: '.', env: {}, stdout: { write: () => true }, stderr: { write: () => true } }, exitCode: 0 }
  const body = (name: string) => () => ({ builder: (y: never) => (y as ReturnType<typeof yargs>).option('n', { type: 'number', describe: `how many ${name}` }) as never, handler: (args: { n?: number }) => void ran.push(`${name} ${args.n}`) })
  loads.a.mockResolvedValue(body('a'))
  loads.b.mockResolvedValue(body('b'))
  return yargs()
    .exitProcess(false)
    .strict()
    .command(lazyCommand({ command: 'a', describe: 'the first', load: loads.a as never }, ctx))
    .command(lazyCommand({ command: 'b', describe: 'the second', load: loads.b as never }, ctx))
}

describe('lazy commands', () => {
  it('lists commands without loading them, and loads only the one that runs, once', async () => {
    const loads = { a: vi.fn(), b: vi.fn() }
    const ran: string[] = []
    await parserWith(loads, ran).parseAsync(['--help'], {}, () => undefined)
    const text = await parserWith(loads, ran).getHelp()
    expect(text).toMatch(/a +the first/)
    expect(text).toMatch(/b +the second/)
    expect(loads.a).not.toHaveBeenCalled()
    expect(loads.b).not.toHaveBeenCalled()

    let output = ''
    await parserWith(loads, ran).parseAsync(['a', '--help'], {}, (_e, _a, o) => void (output = o))
    expect(output).toMatch(/-n +how many a/) // the options come from the loaded module
    expect(loads.a).toHaveBeenCalledTimes(1)

    loads.a.mockClear()
    await parserWith(loads, ran).parseAsync(['a', '-n', '3'])
    expect(ran).toEqual(['a 3'])
    expect(loads.a).toHaveBeenCalledTimes(1) // builder and handler share one load
    expect(loads.b).not.toHaveBeenCalled()
  })

  it('memgate --help lists every command module in src/cli/commands', async () => {
    const { exitCode, stdout } = await runCli(['--help'])
    expect(exitCode).toBe(0)
    const files = readdirSync(join(import.meta.dirname, '../../src/cli/commands')).filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    expect(files.length).toBeGreaterThanOrEqual(14)
    for (const f of files) expect(stdout).toMatch(new RegExp(`^  memgate ${f.replace(/\.ts$/, '')}\\b`, 'm'))
  })
})
