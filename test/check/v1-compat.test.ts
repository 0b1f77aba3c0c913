/**
 * `memgate check --run` prints today what it printed before the gate moved out of the CLI: the
 * same JSON, the same table and details, the same JUnit, the same exit code, on a v1 run.json and
 * baseline written by that older version (test/fixtures/v1-run/README.md says how).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'v1-run')
const RUN_ID = '20261206-183242-ff11'
const dir = mkdtempSync(join(tmpdir(), 'memgate-v1-'))
mkdirSync(join(dir, 'runs', RUN_ID), { recursive: true })
cpSync(join(FIXTURE, 'run', 'run.json'), join(dir, 'runs', RUN_ID, 'run.json'))
cpSync(join(FIXTURE, 'baselines'), join(dir, 'baselines'), { recursive: true })
cpSync(join(FIXTURE, 'memgate.config.json'), join(dir, 'memgate.config.json'))
const expected = (name: string) => readFileSync(join(FIXTURE, 'expected', name), 'utf8').replaceAll('/tmp/v1fix', dir)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('check --run on a run and baseline from before src/check', () => {
  it('prints the same --json', async () => {
    const { exitCode, stdout } = await runCli(['check', '--run', join('runs', RUN_ID), '--json', '--no-explain'], { cwd: dir })
    expect(exitCode).toBe(0)
    expect(JSON.parse(stdout)).toEqual(JSON.parse(expected('check.json')))
  })

  it('prints the same table and details, and writes the same JUnit', async () => {
    const junit = join(dir, 'junit.xml')
    const { exitCode, stdout } = await runCli(['check', '--run', join('runs', RUN_ID), '--junit', junit, '--no-explain'], { cwd: dir })
    expect(exitCode).toBe(0)
    expect(stdout).toBe(expected('check.txt'))
    expect(readFileSync(junit, 'utf8')).toBe(expected('junit.xml'))
  })
})
