/** `memgate serve` refuses a --db or --events-file it cannot write before any worker starts (issue 17: it hung under /proc, exit 4 under a file). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'memgate-serve-paths-'))
const file = join(dir, 'a-file')
writeFileSync(file, 'x')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('memgate serve output paths', () => {
  it.each([
    [['--db', join(file, 'r.db')], /^memgate: --db .*a-file: it is a regular file, not a directory\./],
    [['--db', '/proc/memgate-nope/r.db'], /^memgate: --db \/proc\/memgate-nope: it is on proc, a kernel filesystem/],
    [['--events-file', '/proc/memgate-nope/e.log'], /^memgate: --events-file \/proc\/memgate-nope: it is on proc/],
  ])('%j is exit 2 with a clear message', async (args, message) => {
    const { exitCode, stderr } = await runCli(['serve', '--port', '0', ...args], { cwd: dir })
    expect(exitCode).toBe(2)
    expect(stderr).toMatch(message)
  })
})
