import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { InputError, MiB, UsageError } from '../../src/common/index.js'
import { parseMeminfo, readMeminfo } from '../../src/probe/meminfo.js'
import { resolveSelection, watchProcesses, type WatchTick } from '../../src/probe/index.js'
import { ENDED_TIMELINE_SAMPLES, TrackedProcess } from '../../src/probe/watch/tracked.js'
import { readCmdline, readProcessStat } from '../../src/probe/watch/proc-scan.js'
import { emptySample } from '../../src/probe/empty-sample.js'

const started: ChildProcess[] = []

/** Alive and not a zombie (an orphan's zombie waits for a reaper that a container may not run). */
async function isRunning(pid: number): Promise<boolean> {
  const stat = readProcessStat(pid)
  return stat !== null && !stat.zombie
}

/** Starts a process this test owns, leading its own group; afterEach kills the group. */
async function start(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: 'ignore', detached: true })
  started.push(child)
  await once(child, 'spawn')
  return child
}

/** Node with a planted leak: 4 MiB more retained every 100 ms, up to 120 MiB. */
const LEAK = `const kept = []; setInterval(() => { if (kept.length < 30) kept.push(Buffer.alloc(4 * 1024 * 1024, 1)) }, 100); setInterval(() => {}, 1000)`

afterEach(async () => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL') // the child and whatever it started
    } catch {
      // already gone
    }
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit')
  }
})

describe('watchProcesses on real processes', () => {
  it('sees a planted leak grow in a Node child', async () => {
    const child = await start(process.execPath, ['-e', LEAK])
    const ticks: WatchTick[] = []
    const selection = await resolveSelection({ kind: 'pids', pids: [child.pid!] })
    const result = await watchProcesses({ selection, intervalMs: 200, durationMs: 3000, smapsMinIntervalMs: 0, onTick: (t) => ticks.push(t) })
    expect(result.endReason).toBe('duration')
    expect(result.ticks).toBeGreaterThanOrEqual(14)
    const growth = result.last!.rssBytes! - result.first!.rssBytes!
    expect(growth).toBeGreaterThan(60 * MiB)
    expect(result.peakRssBytes).toBeGreaterThanOrEqual(result.last!.rssBytes!)
    expect(result.peakPssBytes).toBeGreaterThan(60 * MiB)
    const [proc] = result.processes
    expect(proc).toMatchObject({ pid: child.pid, role: 'root', endedAtMs: null, exitCode: null })
    expect(proc!.command).toContain('kept.push')
    expect(proc!.timeline.length).toBe(result.ticks)
    // The live view: rows, totals and an upward trend.
    const last = ticks[ticks.length - 1]!
    expect(last.processes.map((p) => p.pid)).toEqual([child.pid])
    expect(last.total.rssBytes).toBe(last.processes[0]!.rssBytes)
    expect(last.rssTrendBytes).toBeGreaterThan(10 * MiB)
    expect(last.system?.availableBytes).toBeGreaterThan(0)
    expect(result.system.minAvailableBytes).toBeGreaterThan(0)
  }, 20_000)

  it('watches a Python http.server like any process', async () => {
    const child = await start('python3', ['-m', 'http.server', '0', '--bind', '127.0.0.1'])
    // `python3` may be a launcher script (pyenv) that execs the interpreter after a second or two.
    for (let i = 0; i < 100 && !/^\S*python[\d.]* -m http\.server/.test(readCmdline(child.pid!) ?? ''); i++) await new Promise((r) => setTimeout(r, 100))
    const selection = await resolveSelection({ kind: 'pids', pids: [child.pid!] })
    const result = await watchProcesses({ selection, intervalMs: 250, durationMs: 3500 })
    const python = result.processes.find((p) => /http\.server/.test(p.command) && p.endedAtMs === null)
    expect(python, JSON.stringify(result.processes.map((p) => [p.pid, p.command, p.endedAtMs]))).toBeDefined()
    expect(result.last!.rssBytes).toBeGreaterThan(5 * MiB)
    expect(result.last!.pssBytes).toBeGreaterThan(1 * MiB)
    expect(result.endReason).toBe('duration')
  }, 20_000)

  it('ends cleanly when the target is killed mid-watch, recording when it died', async () => {
    const child = await start(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    const selection = await resolveSelection({ kind: 'pids', pids: [child.pid!] })
    let killedAtMs = 0
    setTimeout(() => {
      killedAtMs = Date.now()
      child.kill('SIGKILL')
    }, 1200)
    const result = await watchProcesses({ selection, intervalMs: 200, durationMs: 20_000 })
    expect(result.endReason).toBe('targets-ended')
    expect(result.endedAtMs - result.startedAtMs).toBeLessThan(5000)
    const [proc] = result.processes
    expect(proc!.endedAtMs).toBeGreaterThanOrEqual(killedAtMs)
    expect(proc!.endedAtMs! - killedAtMs).toBeLessThan(1000)
    expect(proc!.exitCode).toBeNull() // not memgate's child: its exit status is not knowable
    const exit = result.events.find((e) => e.kind === 'exit')
    expect(exit).toMatchObject({ pid: child.pid, atMs: proc!.endedAtMs })
  }, 20_000)

  it('--name: watches every process whose command line matches, including one started mid-watch', async () => {
    const marker = `0.00${Date.now() % 100_000}${process.pid}` // `sleep 300 0.00…` sleeps 300 s and some
    const sleeps = await Promise.all([0, 1, 2].map(() => start('sleep', ['300', marker])))
    const selection = await resolveSelection({ kind: 'name', pattern: `^sleep 300 ${marker.replaceAll('.', '\\.')}$` })
    expect(selection.kind === 'name' && selection.pids.sort()).toEqual(sleeps.map((s) => s.pid).sort())
    let late: ChildProcess | undefined
    setTimeout(() => void start('sleep', ['300', marker]).then((c) => (late = c)), 700)
    const result = await watchProcesses({ selection, intervalMs: 200, durationMs: 2000 })
    const pids = result.processes.map((p) => p.pid).sort()
    expect(pids).toEqual([...sleeps.map((s) => s.pid!), late!.pid!].sort())
    expect(result.processes.every((p) => p.role === 'root')).toBe(true)
    expect(result.events.filter((e) => e.kind === 'start').map((e) => e.pid)).toEqual([late!.pid])
    expect(result.processes.some((p) => p.pid === process.pid)).toBe(false)
  }, 20_000)

  it('follows a tree: children with --children, the root alone without; a recycled worker is a recycle', async () => {
    // The root replaces its worker every 600 ms, like a server recycling after N requests.
    const ROOT = `const { spawn } = require('node:child_process');
      let w = spawn('sleep', ['30']);
      setInterval(() => { w.kill('SIGKILL'); w = spawn('sleep', ['30']) }, 600);
      process.on('SIGTERM', () => { w.kill('SIGKILL'); process.exit(0) })`
    const root = await start(process.execPath, ['-e', ROOT])
    await new Promise((r) => setTimeout(r, 200))
    const selection = await resolveSelection({ kind: 'pids', pids: [root.pid!] })
    const alone = await watchProcesses({ selection, intervalMs: 200, durationMs: 600, children: false })
    expect(alone.processes.map((p) => p.pid)).toEqual([root.pid])
    const tree = await watchProcesses({ selection, intervalMs: 200, durationMs: 2500 })
    const workers = tree.processes.filter((p) => p.role === 'child')
    expect(workers.length).toBeGreaterThanOrEqual(3)
    expect(workers.every((w) => w.ppid === root.pid)).toBe(true)
    expect(workers.filter((w) => w.command === 'sleep 30').length).toBeGreaterThanOrEqual(2) // seen after their exec
    expect(workers.filter((w) => w.endedAtMs !== null).length).toBeGreaterThanOrEqual(2)
    expect(tree.events.some((e) => e.kind === 'recycle')).toBe(true)
    root.kill('SIGTERM')
  }, 20_000)

  it('does not take a process that exec()s for dead', async () => {
    const child = await start('sh', ['-c', 'sleep 0.4; exec sleep 30'])
    const selection = await resolveSelection({ kind: 'pids', pids: [child.pid!] })
    const result = await watchProcesses({ selection, intervalMs: 150, durationMs: 1500, smapsMinIntervalMs: 0 })
    expect(result.endReason).toBe('duration')
    expect(result.processes[0]).toMatchObject({ pid: child.pid, endedAtMs: null, command: 'sleep 30' })
  }, 20_000)

  it('command mode: starts the command in its own group, records its exit code, ends what it left', async () => {
    const selection = await resolveSelection({ kind: 'command', argv: [process.execPath, '-e', "require('node:child_process').spawn('sleep', ['60'], { stdio: 'ignore' }); setTimeout(() => process.exit(3), 700)"] })
    const result = await watchProcesses({ selection, intervalMs: 200 })
    expect(result.endReason).toBe('targets-ended')
    expect(result.command).toMatchObject({ exit: { exitCode: 3, signal: null }, endedByWatch: false })
    const root = result.processes.find((p) => p.pid === result.command!.pid)!
    expect(root).toMatchObject({ exitCode: 3, signal: null, role: 'root' })
    expect(root.endedAtMs).toBe(result.command!.exit!.atMs)
    const sleep = result.processes.find((p) => p.command === 'sleep 60')!
    expect(sleep.endedAtMs).not.toBeNull()
    expect(result.events.some((e) => e.kind === 'kill' && e.pid === sleep.pid)).toBe(true)
    expect(await isRunning(sleep.pid)).toBe(false)
  }, 20_000)

  it('stops on abort and ends the command it started', async () => {
    const selection = await resolveSelection({ kind: 'command', argv: ['sleep', '60'] })
    const stop = new AbortController()
    setTimeout(() => stop.abort(), 700)
    const result = await watchProcesses({ selection, intervalMs: 200, signal: stop.signal })
    expect(result.endReason).toBe('aborted')
    expect(result.command).toMatchObject({ endedByWatch: true })
    expect(result.processes[0]!.endedAtMs).not.toBeNull()
    expect(await isRunning(result.command!.pid)).toBe(false)
  }, 20_000)
})

describe('selection errors say what was wrong', () => {
  it('no such PID, a bad pattern, a pattern nothing matches, a command that does not exist', async () => {
    await expect(resolveSelection({ kind: 'pids', pids: [2 ** 22 + 12345] })).rejects.toThrow(/No process with PID 4206649 is running/)
    await expect(resolveSelection({ kind: 'pids', pids: [2 ** 22 + 12345] })).rejects.toBeInstanceOf(InputError)
    await expect(resolveSelection({ kind: 'name', pattern: '(' })).rejects.toThrow(/Expected a regular expression for --name but received '\('/)
    await expect(resolveSelection({ kind: 'name', pattern: '(' })).rejects.toBeInstanceOf(UsageError)
    await expect(resolveSelection({ kind: 'name', pattern: 'no-process-is-called-this-9f3b' })).rejects.toThrow(/No running process has a command line matching \/no-process-is-called-this-9f3b\//)
    const selection = await resolveSelection({ kind: 'command', argv: ['memgate-no-such-command-9f3b'] })
    await expect(watchProcesses({ selection })).rejects.toThrow(/The command 'memgate-no-such-command-9f3b' was not found/)
  })
})

describe('bounded memory and /proc/meminfo', () => {
  it('an ended process keeps a few samples, its peak among them', () => {
    const t = new TrackedProcess(1, 0, 0, 'x', 'root', 0, 0)
    for (let i = 0; i < 400; i++) t.accept({ ...emptySample(1, i * 10), rssBytes: i === 123 ? 10 * MiB : MiB })
    t.end(4000)
    const timeline = t.toRecord().timeline
    expect(timeline.length).toBeLessThanOrEqual(ENDED_TIMELINE_SAMPLES)
    expect(timeline.some((s) => s.rssBytes === 10 * MiB)).toBe(true)
    expect(timeline[0]!.atMs).toBe(0)
    expect(timeline[timeline.length - 1]!.atMs).toBe(3990)
  })

  it('parses meminfo (kB are KiB) and reads this machine', async () => {
    const text = 'MemTotal:       16000 kB\nMemFree:  100 kB\nMemAvailable:    8000 kB\nSwapTotal:  2048 kB\nSwapFree:  1024 kB\n'
    expect(parseMeminfo(Buffer.from(text), 5)).toEqual({ atMs: 5, totalBytes: 16000 * 1024, availableBytes: 8000 * 1024, swapTotalBytes: 2048 * 1024, swapUsedBytes: 1024 * 1024 })
    const mem = await readMeminfo()
    expect(mem!.availableBytes).toBeGreaterThan(0)
    expect(mem!.totalBytes).toBeGreaterThanOrEqual(mem!.availableBytes!)
  })
})
