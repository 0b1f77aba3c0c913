/**
 * Runs that do not finish, and processes a scenario leaves behind (issue 17 items 1 and 2): the
 * real CLI in a child process, killed or interrupted mid-run.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

const ROOT = join(import.meta.dirname, '..', '..')
const BIN = join(ROOT, 'bin', 'memgate.js')
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'hardening')
const dirs: string[] = []
const started: ChildProcess[] = []
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'memgate-interrupt-'))
  dirs.push(d)
  return d
}

afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** Starts the CLI; resolves with its exit code and output once it ends. */
function start(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MEMGATE_NO_RELAUNCH: '1' } })
  started.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  return { child, done }
}

/** Waits until `dir` holds a run directory with a run.json that records at least one repeat. */
async function firstRepeat(dir: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const ids = existsSync(dir) ? readdirSync(dir).filter((n) => n !== 'latest') : []
    for (const id of ids) {
      const file = join(dir, id, 'run.json')
      if (existsSync(file) && /"pass": "measure"/.test(readFileSync(file, 'utf8'))) return join(dir, id)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no repeat recorded under ${dir}`)
}

const leftoverProcesses = (marker: string): string => {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim()
  } catch {
    return ''
  }
}

describe('a run that does not finish', () => {
  it('killed with SIGKILL after a repeat: check --run refuses it (exit 3), latest never points at it', async () => {
    const out = temp()
    const { child, done } = start(['run', join(FIXTURES, 'slow.ts'), '--repeat', '3', '--out', out])
    const runDir = await firstRepeat(out)
    child.kill('SIGKILL')
    await done
    expect(existsSync(join(out, 'latest'))).toBe(false)
    const check = await runCli(['check', '--run', runDir, '--no-explain'])
    expect(check.exitCode).toBe(3)
    expect(check.stderr).toMatch(/RUN_INCOMPLETE: run \S+ did not finish .*: 1 of 3 planned measuring repeats ran\. The gate judges only finished runs/)
    const report = await runCli(['report', runDir, '--gate', '--format', 'md'])
    expect(report.exitCode).toBe(3)
    expect(report.stderr).toMatch(/did not finish/)
    const baseline = await runCli(['baseline', 'update', '--run', runDir, '--baselines', join(out, 'baselines')])
    expect(baseline.exitCode).toBe(3)
    expect(existsSync(join(out, 'baselines'))).toBe(false)
  }, 120_000)

  it('interrupted with SIGINT: exits 130, says so, writes run.json marked interrupted, leaves no worker', async () => {
    const out = temp()
    const { child, done } = start(['run', join(FIXTURES, 'slow.ts'), '--repeat', '1000', '--out', out])
    const runDir = await firstRepeat(out)
    child.kill('SIGINT')
    const { code, stderr } = await done
    expect(code).toBe(130)
    expect(stderr).toMatch(/INTERRUPTED: Interrupted: run \S+ stopped after \d+ of 1000 measuring repeats; .*run\.json holds what was measured, marked interrupted/)
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { state: string; finishedAt: string | null }
    expect(run.state).toBe('interrupted')
    expect(existsSync(join(out, 'latest'))).toBe(false)
    const check = await runCli(['check', '--run', runDir, '--no-explain'])
    expect(check.exitCode).toBe(3)
    expect(check.stderr).toMatch(/was interrupted/)
  }, 120_000)
})

describe('processes a scenario leaves behind', () => {
  it('are ended with the worker and reported, by PID and command', async () => {
    const marker = `memgate-leftover-${process.pid}-${Date.now()}`
    const out = temp()
    const { exitCode, stderr } = await runCli(['run', join(FIXTURES, 'leaves-child.ts'), '--param', `marker=${marker}`, '--out', out])
    expect(exitCode).toBe(0)
    expect(stderr).toMatch(new RegExp(`leaves-child: the worker left process \\d+ running \\(\\S+ -e setTimeout\\(\\(\\) => \\{\\}, 777_000\\) ${marker}\\); it was ended with the worker's process group`))
    expect(leftoverProcesses(marker)).toBe('')
    const id = readdirSync(out).find((n) => n !== 'latest')!
    const run = JSON.parse(readFileSync(join(out, id, 'run.json'), 'utf8')) as { scenarios: { repeats: { leftovers?: { command: string }[] }[] }[] }
    expect(run.scenarios[0]?.repeats[0]?.leftovers?.map((l) => l.command)).toEqual([`${process.execPath} -e setTimeout(() => {}, 777_000) ${marker}`])
  }, 60_000)
})
