/**
 * A watch saves run.json while it goes on (state `running`), so a watcher that crashes loses at
 * most the last interval: every version on disk parses whole (temp + rename), readers refuse it as
 * unfinished, and births and deaths are saved without waiting for the periodic save.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runWatch } from '../../src/check/watch-run.js'
import { incompleteReason, parseRun, type RunResult } from '../../src/run/index.js'
import { runCli } from '../helpers/cli.js'

let outDir: string
const started: ChildProcess[] = []

beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'memgate-watch-run-'))
})

afterEach(async () => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL') // its own group: what it started goes too
    } catch {
      // already gone
    }
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit')
  }
  await rm(outDir, { recursive: true, force: true })
})

async function start(code: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore', detached: true })
  started.push(child)
  await once(child, 'spawn')
  return child
}

/** Reads run.json every few ms while `until` is pending: every version seen, parsed (a torn file throws). */
async function versionsWhile(file: string, until: Promise<unknown>): Promise<RunResult[]> {
  const seen: RunResult[] = []
  let last = ''
  let done = false
  const end = (): void => {
    done = true
  }
  until.then(end, end)
  while (!done) {
    const text = await readFile(file, 'utf8').catch(() => null)
    if (text !== null && text !== last) {
      last = text
      seen.push(parseRun(JSON.parse(text), file))
    }
    await new Promise((r) => setTimeout(r, 15))
  }
  return seen
}

const env = { ...process.env }

describe('runWatch saves the watch as it goes', () => {
  it('rewrites run.json every checkpoint as a running run that readers refuse, then finished', async () => {
    const child = await start('setInterval(() => {}, 1000)')
    const watch = runWatch({ selection: { kind: 'pids', pids: [child.pid!] }, intervalMs: 100, durationMs: 2500, checkpointMs: 400, outDir, argv: ['watch'], cwd: outDir, env, runId: 'watch-saves' })
    const file = join(outDir, 'watch-saves', 'run.json')
    const seen = await versionsWhile(file, watch)
    const outcome = await watch
    const running = seen.filter((r) => r.state === 'running')
    // The first tick, then every 400 ms of 2.5 s: 6 or so saves (the poll may miss some on a loaded machine).
    expect(running.length, JSON.stringify(running.map((r) => r.scenarios[0]!.repeats[0]!.timeline.length))).toBeGreaterThanOrEqual(2)
    for (const r of running) {
      expect(r).toMatchObject({ id: 'watch-saves', finishedAt: null, planned: ['watch'], target: { kind: 'watch' } })
      expect(incompleteReason(r)).toMatch(/^run watch-saves did not finish \(the process was killed or is still running\)/)
    }
    const lengths = running.map((r) => r.scenarios[0]!.repeats[0]!.timeline.length)
    expect(lengths.at(-1)!).toBeGreaterThan(lengths[0]!)
    expect([...lengths].sort((a, b) => a - b)).toEqual(lengths) // each save holds at least what the one before did
    // What a crash right after the last save would have kept: all but the last ~400 ms.
    const lastSaved = running.at(-1)!.scenarios[0]!.repeats[0]!.timeline.at(-1)!.atMs
    expect(outcome.watch.endedAtMs - lastSaved).toBeLessThan(1500)
    expect(existsSync(join(outDir, 'latest'))).toBe(true) // moved at the end only
    const final = parseRun(JSON.parse(await readFile(file, 'utf8')), file)
    expect(final.state).toBe('finished')
    expect(final.finishedAt).not.toBeNull()
    expect(incompleteReason(final)).toBeNull()
    expect(outcome.checkpointFailure).toBeNull()
  }, 30_000)

  it('records the machine without a process report (one costs the watcher ~1.3 MiB of RSS)', async () => {
    const child = await start('setInterval(() => {}, 1000)')
    const report = vi.spyOn(process.report!, 'getReport')
    try {
      const outcome = await runWatch({ selection: { kind: 'pids', pids: [child.pid!] }, intervalMs: 100, durationMs: 1200, checkpointMs: 300, outDir, argv: ['watch'], cwd: outDir, env, runId: 'watch-env' })
      expect(report).not.toHaveBeenCalled()
      const file = join(outDir, 'watch-env', 'run.json')
      // Still validated and whole: the reader's schema accepts it, with the machine described.
      const saved = parseRun(JSON.parse(await readFile(file, 'utf8')), file)
      expect(saved.environment).toEqual(outcome.run.environment)
      expect(saved.environment.node).toBe(process.versions.node)
      if (process.platform === 'linux') expect(saved.environment.libc).toMatch(/^glibc \d+\.\d+/)
    } finally {
      report.mockRestore()
    }
  }, 30_000)

  it('saves a birth without waiting for the periodic save', async () => {
    // A parent that starts a child 0.6 s into the watch.
    const parent = await start("setTimeout(() => require('node:child_process').spawn('sleep', ['30'], { stdio: 'ignore' }), 600); setInterval(() => {}, 1000)")
    const watch = runWatch({ selection: { kind: 'pids', pids: [parent.pid!] }, intervalMs: 100, durationMs: 4000, checkpointMs: 60_000, outDir, argv: ['watch'], cwd: outDir, env, runId: 'watch-birth' })
    const seen = await versionsWhile(join(outDir, 'watch-birth', 'run.json'), watch)
    await watch
    const running = seen.filter((r) => r.state === 'running')
    // The first save (one process), then one for the birth (2 s after the first at the latest); none periodic within 4 s.
    const counts = running.map((r) => r.scenarios[0]!.repeats[0]!.processes!.length)
    expect(counts.length, JSON.stringify(counts)).toBeLessThanOrEqual(2)
    expect(counts.at(-1)).toBe(2)
    const saved = running.at(-1)!.scenarios[0]!.repeats[0]!
    const child = saved.processes!.find((p) => p.role === 'child')!
    expect(child).toMatchObject({ ppid: parent.pid, endedAtMs: null })
    expect(saved.events!.find((e) => e.kind === 'start')?.message).toMatch(new RegExp(`^${child.pid} started \\(.*\\) under ${parent.pid}$`))
  }, 30_000)

  it('leaves no run directory when the watch cannot start', async () => {
    const run = await runCli(['watch', '--out', outDir, '--', 'memgate-no-such-command-7e1d'], { cwd: outDir })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toMatch(/The command 'memgate-no-such-command-7e1d' was not found/)
    expect(await readdir(outDir)).toEqual([])
  })
})
