/** `memgate run` and `memgate list` through the real CLI with captured streams. */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { ensureBuilt, FIXTURES, readRunJson, tempOut, removeTempOuts } from './helpers.js'

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

const trivial = join(FIXTURES, 'trivial.ts')

describe('memgate run', () => {
  it('prints a plain line per stage off a terminal and writes run.json', async () => {
    const out = tempOut()
    const { exitCode, stdout, stderr } = await runCli(['run', trivial, '--param', 'ops=5', '--param', 'trivial.label=y', '--out', out, '--interval', '20'])
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    expect(stdout).not.toContain('\r')
    expect(stdout).toContain('▸ trivial #1/1\n')
    expect(stdout).toMatch(/^ {2}join {2}ops 6 \(1 errors\) {2}\S+ \S+ {2}rss \d+(\.\d+)? MiB {2}peak \d+(\.\d+)? MiB$/m)
    expect(stdout).toMatch(/^trivial {3}#1 {6}completed/m)
    const file = /Run written to (.*run\.json)/.exec(stdout)?.[1]
    expect(file?.startsWith(out)).toBe(true)
    const run = readRunJson(file!)
    expect(run.argv).toEqual(['run', trivial, '--param', 'ops=5', '--param', 'trivial.label=y', '--out', out, '--interval', '20'])
    expect(run.scenarios[0]?.params).toEqual({ ops: 5, label: 'y', slow: false })
  })

  it('redraws a live line on a terminal', async () => {
    const { exitCode, stdout } = await runCli(['run', trivial, '--param', 'ops=200', '--param', 'slow=true', '--out', tempOut(), '--interval', '20'], { tty: true })
    expect(exitCode).toBe(0)
    expect(stdout).toMatch(/\r\x1b\[K {2}join {2}ops \d+ {2}rss .* {2}peak /)
  })

  it('exits 3 and says why when the worker fails, still writing the run', async () => {
    const out = tempOut()
    const { exitCode, stdout, stderr } = await runCli(['run', join(FIXTURES, 'crash.mjs'), '--out', out, '--interval', '20'])
    expect(exitCode).toBe(3)
    expect(stderr).toBe("memgate: crash measure #1 failed: The scenario threw in stage 'crash': planned failure in stage crash\n")
    expect(stdout).toContain('  ✗ failed: The scenario threw')
    expect(readRunJson(join(out, 'latest', 'run.json')).scenarios[0]?.repeats[0]?.state).toBe('failed')
  })

  it('exits 2 for a parameter or scenario that does not exist', async () => {
    const bad = await runCli(['run', trivial, '--param', 'nope=1', '--out', tempOut()])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toBe("memgate: No selected scenario has a parameter 'nope'. Parameters are trivial: ops, label, slow.\nRun 'memgate --help' for usage.\n")
    const unknown = await runCli(['run', 'no-such-scenario', '--out', tempOut()])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toMatch(/^memgate: Unknown scenario 'no-such-scenario' \(built-in scenarios: .*sqlite-store.*\)\. To run your own, give the path of its module\.\n/)
  })

  it('runs the generic SQLite scenario with both read paths agreeing', async () => {
    const out = tempOut()
    // Repeatable options take one value each, so a scenario name may follow them.
    const { exitCode } = await runCli(['run', '--param', 'rows=3000', '--param', 'pageSize=250', 'sqlite-store', '--node-flag=--max-old-space-size=200', '--env', 'MALLOC_ARENA_MAX=2', '--out', out, '--interval', '25'])
    expect(exitCode).toBe(0)
    const repeat = readRunJson(join(out, 'latest', 'run.json')).scenarios[0]?.repeats[0]
    expect(repeat?.loader).toBe('node')
    expect(repeat?.nodeFlags).toEqual(['--expose-gc', '--max-old-space-size=200'])
    expect(repeat?.env).toMatchObject({ MALLOC_ARENA_MAX: '2' })
    expect(repeat?.settings.sqliteVersion).toMatch(/^3\.\d+/)
    const paginated = repeat?.stages.find((s) => s.name === 'paginated')
    const all = repeat?.stages.find((s) => s.name === 'load-all')
    expect(paginated?.metrics.rows).toBe(3000)
    // 12 pages of 250, one empty page that ends the loop, and the aggregate query.
    expect(paginated?.ops.count).toBe(14)
    expect(all?.metrics).toEqual(paginated?.metrics)
    expect(all?.ops.count).toBe(1)
  })
})

describe('memgate list', () => {
  it('lists built-in scenarios with descriptions and parameters', async () => {
    const { exitCode, stdout } = await runCli(['list'])
    expect(exitCode).toBe(0)
    expect(stdout).toMatch(/^sqlite-store +SQLite results store \(better-sqlite3\)/m)
    expect(stdout).toContain('  rows=20000  result rows stored\n')
  })
  it('describes a scenario module given by path', async () => {
    const { exitCode, stdout } = await runCli(['list', join(FIXTURES, 'crash.mjs')])
    expect(exitCode).toBe(0)
    expect(stdout).toContain('crash parameters (--param crash.name=value):\n  how=throw  how to die (throw | uncaught | reject | SIGSEGV | SIGABRT | exit)\n')
  })
})
