import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { parseRun, type RunResult } from '../../src/run/index.js'
import { runCli, type CliRun } from '../helpers/cli.js'

let cwd: string
const started: ChildProcess[] = []

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'memgate-watch-'))
})

afterEach(async () => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL') // each leads its own group: this ends what it started too
    } catch {
      // already gone
    }
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit')
  }
  await rm(cwd, { recursive: true, force: true })
})

async function start(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: 'ignore', detached: true })
  started.push(child)
  await once(child, 'spawn')
  return child
}

/** runCli with an abort signal (what bin/memgate.js passes on SIGINT). */
async function runCliWithSignal(argv: string[], signal: AbortSignal): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const exitCode = await main({ argv, cwd, env: { ...process.env }, signal, stdout: { write: (s: string) => ((stdout += s), true), isTTY: false }, stderr: { write: (s: string) => ((stderr += s), true), isTTY: false } })
  return { exitCode, stdout, stderr }
}

async function readRunIn(dir: string): Promise<RunResult> {
  return parseRun(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')), dir)
}

/** A Node child with a planted leak: 4 MiB more retained every 100 ms, up to 160 MiB. */
const LEAK = `const kept = []; setInterval(() => { if (kept.length < 40) kept.push(Buffer.alloc(4 * 1024 * 1024, 1)) }, 100); setInterval(() => {}, 1000)`

describe('memgate watch', () => {
  it('sees a leaking Node child grow, fails --max-rss with exit 1 after writing the run, and check --run reads it', async () => {
    await runCli(['watch', '4206649'], { cwd }) // loads the command's modules, so the watch starts at once below
    const child = await start(process.execPath, ['-e', LEAK])
    const run = await runCli(['watch', String(child.pid), '--interval', '0.25', '--duration', '3', '--max-rss', '80MiB'], { cwd })
    expect(run.exitCode, run.stderr).toBe(1)
    expect(run.stderr).toMatch(/memgate: --max-rss 80\.0 MiB exceeded: the tree's total RSS reached \d+(\.\d+)? MiB \(\+\d+(\.\d+)? MiB\)/)
    expect(run.stdout).toMatch(/^\+0\.0 s {2}1 proc {2}rss /m)
    expect(run.stdout).toMatch(/ended because the duration passed/)
    const dir = join(cwd, 'reports', await readlink(join(cwd, 'reports', 'latest')))
    expect(run.stdout).toContain(`run written to ${join('reports', dir.split('/').pop()!, 'run.json')}`)
    const written = await readRunIn(dir)
    expect(written).toMatchObject({ state: 'finished', planned: ['watch'], target: { kind: 'watch' }, options: { repeat: 1, intervalMs: 250 } })
    const repeat = written.scenarios[0]!.repeats[0]!
    expect(repeat).toMatchObject({ pass: 'measure', state: 'completed', pid: child.pid })
    const first = repeat.timeline[0]!.rssBytes!
    const last = repeat.timeline[repeat.timeline.length - 1]!.rssBytes!
    expect(last - first).toBeGreaterThan(80 * 1024 * 1024)
    expect(repeat.peakRssBytes).toBeGreaterThan(80 * 1024 * 1024)
    expect(repeat.stages[0]).toMatchObject({ kind: 'work', peakRssSource: 'timeline', peakRssBytes: repeat.peakRssBytes })
    expect(repeat.processes![0]).toMatchObject({ pid: child.pid, role: 'root', endedAtMs: null })

    const check = await runCli(['check', '--run', dir, '--no-explain'], { cwd })
    expect(check.stderr).not.toMatch(/internal error/)
    expect(check.stdout).toMatch(/watch +peak-rss +pass/)
    expect(check.stdout).toMatch(/watch +fluctuation +/)
    expect([0, 1]).toContain(check.exitCode)
  }, 30_000)

  it('watches a Python http.server it starts (-- COMMAND), then ends it', async () => {
    const run = await runCli(['watch', '--interval', '0.5', '--duration', '4', '--', 'python3', '-m', 'http.server', '0', '--bind', '127.0.0.1'], { cwd })
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/Serving HTTP on 127\.0\.0\.1 port \d+/) // its output goes to stderr off a terminal
    const written = await readRunIn(join(cwd, 'reports', 'latest'))
    const repeat = written.scenarios[0]!.repeats[0]!
    const python = repeat.processes!.find((p) => p.role === 'root')!
    expect(python.command).toMatch(/python[\d.]* -m http\.server 0 --bind 127\.0\.0\.1/)
    expect(python).toMatchObject({ signal: 'SIGTERM', exitCode: null })
    expect(repeat.events!.some((e) => e.kind === 'kill' && e.pid === python.pid)).toBe(true)
    expect(repeat.timeline.at(-1)!.rssBytes).toBeGreaterThan(5 * 1024 * 1024)
    expect(written.target).toEqual({ kind: 'watch', description: 'python3 -m http.server 0 --bind 127.0.0.1 and its descendants' })
  }, 30_000)

  it('-- COMMAND: records the exit code and exits 3 when the command fails', async () => {
    const run = await runCli(['watch', '--interval', '0.2', '--', process.execPath, '-e', "console.error('giving up'); setTimeout(() => process.exit(3), 600)"], { cwd })
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toMatch(/memgate: .* exited with code 3; the end of its stderr:\ngiving up/)
    const repeat = (await readRunIn(join(cwd, 'reports', 'latest'))).scenarios[0]!.repeats[0]!
    expect(repeat).toMatchObject({ state: 'failed', exitCode: 3, signal: null, failure: { kind: 'exit', exitCode: 3, stderrTail: 'giving up\n' } })
    expect(repeat.processes![0]).toMatchObject({ exitCode: 3, role: 'root' })
    expect(repeat.events!.find((e) => e.kind === 'exit')!.message).toMatch(/exited \(exit code 3\) after/)
  }, 30_000)

  it('ends cleanly when the watched process is killed mid-watch, with the death and its time in the run', async () => {
    const child = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    let killedAtMs = 0
    setTimeout(() => {
      killedAtMs = Date.now()
      process.kill(child.pid!, 'SIGKILL')
    }, 1000)
    const run = await runCli(['watch', String(child.pid), '--interval', '0.2'], { cwd })
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/ended because the watched processes ended/)
    const repeat = (await readRunIn(join(cwd, 'reports', 'latest'))).scenarios[0]!.repeats[0]!
    const proc = repeat.processes![0]!
    expect(proc.endedAtMs! - killedAtMs).toBeGreaterThanOrEqual(0)
    expect(proc.endedAtMs! - killedAtMs).toBeLessThan(1000)
    expect(repeat.events!.find((e) => e.kind === 'exit')).toMatchObject({ pid: child.pid, atMs: proc.endedAtMs })
  }, 30_000)

  it('--name matches several processes by command line, --json prints a tick per interval and a summary', async () => {
    const marker = `0.00${Date.now() % 100_000}${process.pid}`
    const sleeps = await Promise.all([0, 1, 2].map(() => start('sleep', ['300', marker])))
    const run = await runCli(['watch', '--name', `sleep 300 ${marker.replaceAll('.', '\\.')}`, '--interval', '0.2', '--duration', '1', '--json'], { cwd })
    expect(run.exitCode, run.stderr).toBe(0)
    const objects = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    const ticks = objects.filter((o) => o.type === 'tick') as { total: { processes: number }; processes: { pid: number }[] }[]
    expect(ticks.length).toBeGreaterThanOrEqual(5)
    expect(ticks[0]!.total.processes).toBe(3)
    expect(ticks[0]!.processes.map((p) => p.pid).sort()).toEqual(sleeps.map((s) => s.pid).sort())
    const summary = objects.at(-1) as { type: string; kind: string; processes: { pid: number }[]; exitCode: number; dir: string; peakRssBytes: number }
    expect(summary).toMatchObject({ type: 'summary', kind: 'memgate.watch', exitCode: 0 })
    expect(summary.processes.map((p) => p.pid).sort()).toEqual(sleeps.map((s) => s.pid).sort())
    expect((await readRunIn(summary.dir)).scenarios[0]!.repeats[0]!.processes).toHaveLength(3)
  }, 30_000)

  it('Ctrl-C (the abort signal) stops the watch and still writes the run', async () => {
    const child = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    const stop = new AbortController()
    setTimeout(() => stop.abort(), 1200)
    const run = await runCliWithSignal(['watch', String(child.pid), '--interval', '0.2'], stop.signal)
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/ended because stopped by Ctrl-C/)
    const written = await readRunIn(join(cwd, 'reports', 'latest'))
    expect(written.state).toBe('finished')
    expect(written.scenarios[0]!.settings['watch.endReason']).toBe('aborted')
    expect(written.scenarios[0]!.repeats[0]!.timeline.length).toBeGreaterThanOrEqual(5)
  }, 30_000)

  it('draws a live table on a terminal, redrawn in place', async () => {
    const child = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    const run = await runCli(['watch', String(child.pid), '--interval', '0.2', '--duration', '0.7'], { cwd, tty: true })
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/memgate watch · PID \d+ · 0:00/)
    expect(run.stdout).toMatch(/PID +RSS +PSS +USS +SWAP +THR +CPU +TREND +COMMAND/)
    expect(run.stdout).toMatch(/TOTAL +\d/)
    expect(run.stdout).toMatch(/\x1b\[\d+F/) // back up over the previous frame
    expect(run.stdout).toContain('\x1b[?25h') // cursor shown again
  }, 30_000)
})

describe('memgate watch: clear errors (exit 2)', () => {
  it.each([
    [['watch'], /Say what to watch: memgate watch PID\.\.\., memgate watch --name REGEX, or memgate watch -- COMMAND ARGS\.\.\./],
    [['watch', '4206649'], /INPUT_NOT_FOUND: No process with PID 4206649 is running/],
    [['watch', 'abc'], /Expected a process id \(a positive integer\) but received 'abc'/],
    [['watch', '--name', '('], /Expected a regular expression for --name but received '\('/],
    [['watch', '--name', 'no-process-is-called-this-7e1d'], /No running process has a command line matching \/no-process-is-called-this-7e1d\//],
    [['watch', '--', 'memgate-no-such-command-7e1d'], /The command 'memgate-no-such-command-7e1d' was not found/],
    [['watch', '1', '--name', 'x'], /Choose one of PIDs, --name REGEX and -- COMMAND/],
    [['watch', '1', '--interval', '0'], /Expected a number of seconds of at least 0\.01 for --interval but received 0/],
    [['watch', '1', '--max-rss', 'lots'], /Expected a size like '500 MB' or '1\.5 GiB' for --max-rss but received 'lots'/],
  ])('%j', async (argv, message) => {
    const run = await runCli(argv, { cwd })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toMatch(message)
  })
})
