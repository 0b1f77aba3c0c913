/**
 * Issue 17: special files given where memgate imports or reads a file — a scenario module, a
 * config, an engine config — are refused at once (a device or FIFO used to be read forever),
 * and a symlink loop is called one.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'memgate-special-'))
const fifo = join(dir, 'fifo')
execFileSync('mkfifo', [fifo])
symlinkSync('loop-b', join(dir, 'loop-a'))
symlinkSync('loop-a', join(dir, 'loop-b'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const FAST = 20_000

describe('special files as inputs', () => {
  it.each([
    [['list', '/dev/zero'], 'memgate: Scenario module /dev/zero cannot be loaded: it is a character device, not a regular file. Give the path of a .js or .ts module.'],
    [['list', fifo], `memgate: Scenario module ${fifo} cannot be loaded: it is a named pipe (FIFO), not a regular file. Give the path of a .js or .ts module.`],
    [['list', dir], `memgate: Scenario module ${dir} cannot be loaded: it is a directory, not a file. Give the path of a .js or .ts module.`],
    [['run', join(dir, 'loop-a'), '--out', join(dir, 'out')], `memgate: Scenario module ${join(dir, 'loop-a')} cannot be loaded: it is a symbolic link loop`],
    [['run', 'startup', '--config', '/dev/zero', '--out', join(dir, 'out')], 'memgate: CONFIG_INVALID: Config file /dev/zero cannot be read: it is a character device, not a regular file. Check --config.'],
    [['run', 'startup', '--config', fifo, '--out', join(dir, 'out')], `memgate: CONFIG_INVALID: Config file ${fifo} cannot be read: it is a named pipe (FIFO), not a regular file. Check --config.`],
    [['run', 'startup', '--config', 'loop-a', '--out', join(dir, 'out')], `memgate: CONFIG_INVALID: Config file ${join(dir, 'loop-a')} cannot be read: it is a symbolic link loop`],
    [['ocr', '--config', fifo, 'x.png'], `memgate: CONFIG_INVALID: Cannot read engine config ${fifo}: it is a named pipe (FIFO), not a regular file.`],
    [['ocr', '--config', '/dev/zero', 'x.png'], 'memgate: CONFIG_INVALID: Cannot read engine config /dev/zero: it is a character device, not a regular file.'],
  ])('%j: exit 2 at once', async (argv, message) => {
    const r = await runCli(argv, { cwd: dir })
    expect(r.exitCode).toBe(2)
    expect(r.stderr.startsWith(message)).toBe(true)
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /)
  }, FAST)

  it('a baseline directory that is a file says so (it printed the raw ENOTDIR)', async () => {
    const file = join(dir, 'a-file')
    writeFileSync(file, 'x')
    const { readBaselineFile } = await import('../../src/baseline/store.js')
    await expect(readBaselineFile(join(file, 'load.linux-x64.node20.json'))).rejects.toThrow(
      `Cannot read baseline ${join(file, 'load.linux-x64.node20.json')}: a part of the path is a file, not a directory.`,
    )
  })
})
