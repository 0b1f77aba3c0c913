/**
 * Starts `memgate serve` as a real process (the CLI from source, under tsx) on an ephemeral port of
 * 127.0.0.1, and reads its lifecycle events from stderr. Every started service is stopped by
 * {@link stopAll} (SIGTERM, then SIGKILL of the whole process group).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const ENTRY = fileURLToPath(new URL('./serve-main.ts', import.meta.url))
export const FAKE_ENGINE = fileURLToPath(new URL('../fixtures/fake-engine.ts', import.meta.url))
const TSX = import.meta.resolve('tsx')

export interface ServiceEvent {
  atMs: number
  event: string
  pid?: number
  reason?: string
  [k: string]: unknown
}

export interface RunningService {
  url: string
  child: ChildProcess
  dir: string
  stdout(): string
  stderr(): string
  events(): ServiceEvent[]
  waitForEvent(pred: (e: ServiceEvent) => boolean, timeoutMs?: number): Promise<ServiceEvent>
  waitHealthy(timeoutMs?: number): Promise<void>
  /** SIGTERM and wait for the exit; resolves to the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

const running = new Set<RunningService>()

export async function startServe(args: string[], options: { env?: Record<string, string>; fake?: boolean; timeoutMs?: number } = {}): Promise<RunningService> {
  const dir = mkdtempSync(join(tmpdir(), 'memgate-serve-test-'))
  const argv = ['--import', TSX, ENTRY, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'results.db'), ...(options.fake ? ['--engine-module', FAKE_ENGINE] : []), ...args]
  const env: Record<string, string | undefined> = { ...process.env, ...options.env }
  if (!options.env?.DATABASE_URL) delete env.DATABASE_URL
  const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  let err = ''
  const waiters = new Set<() => void>()
  const wake = () => waiters.forEach((w) => w())
  child.stdout!.setEncoding('utf8').on('data', (s: string) => ((out += s), wake()))
  child.stderr!.setEncoding('utf8').on('data', (s: string) => ((err += s), wake()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (wake(), resolve(code))))
  const events = () =>
    err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as ServiceEvent)
  const until = <T>(check: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const test = () => {
        const v = check()
        if (v !== undefined) {
          cleanup()
          resolve(v)
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup()
          reject(new Error(`memgate serve exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`))
        }
      }
      const timer = setTimeout(() => (cleanup(), reject(new Error(`timed out waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`))), timeoutMs)
      const cleanup = () => (clearTimeout(timer), waiters.delete(test))
      waiters.add(test)
      test()
    })
  const url = await until(() => /listening on (http:\/\/\S+)/.exec(out)?.[1], options.timeoutMs ?? 60_000, 'the listening line')
  const service: RunningService = {
    url,
    child,
    dir,
    stdout: () => out,
    stderr: () => err,
    events,
    waitForEvent: (pred, timeoutMs = 30_000) => until(() => events().find(pred), timeoutMs, 'an event'),
    async waitHealthy(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        // A per-request timeout: a probe on a connection that hangs must not hang the wait.
        const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(() => null)
        if (r?.status === 200) return
        if (Date.now() > deadline) throw new Error(`service not healthy after ${timeoutMs} ms\n${err}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const code = await exited
      running.delete(service)
      rmSync(dir, { recursive: true, force: true })
      return code
    },
  }
  running.add(service)
  return service
}

/** Stops every service still running (for afterAll): SIGTERM, then SIGKILL of its process group after 15 s. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (s) => {
      const hard = setTimeout(() => {
        try {
          process.kill(-s.child.pid!, 'SIGKILL')
        } catch {
          // already gone
        }
      }, 15_000)
      await s.stop()
      clearTimeout(hard)
    }),
  )
}

/** Pids of live cluster workers whose parent is `pid` (tsx's esbuild helper is not counted). */
export function childPids(pid: number): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('worker-entry')) out.push(Number(name))
    } catch {
      // exited meanwhile
    }
  }
  return out
}

/** POSTs a raw body with an image/* content type; never throws (a network failure is `status: 0`). */
export async function postRaw(url: string, body: Uint8Array | string, contentType = 'image/png'): Promise<{ status: number; json: any; headers: Headers | null; error?: string }> {
  try {
    const r = await fetch(`${url}/ocr`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? Buffer.from(body) : body, signal: AbortSignal.timeout(30_000) })
    const text = await r.text()
    return { status: r.status, json: text ? JSON.parse(text) : null, headers: r.headers }
  } catch (error) {
    return { status: 0, json: null, headers: null, error: String((error as Error).cause ?? error) }
  }
}
