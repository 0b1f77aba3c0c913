/** Real target processes for the remote-snapshot tests: spawn, talk to over stdin, always kill. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export const repo = join(import.meta.dirname, '../..')
export const fixture = (name: string) => join(repo, 'test/fixtures', name)

/** A running child: its PID, a line-by-line command channel, and its stderr so far. */
export interface Target {
  child: ChildProcess
  pid: number
  /** Sends a command line and resolves with the next line the child prints. */
  command(line: string): Promise<string>
  /** Resolves with the next stdout line. */
  nextLine(): Promise<string>
  stderr(): string
  /** Resolves when the child has exited. */
  exited: Promise<void>
}

const running = new Set<ChildProcess>()

/** Starts `node [nodeArgs] script`, waits for its `ready PID` line. */
export async function startNode(script: string, options: { nodeArgs?: string[]; env?: Record<string, string>; cwd?: string } = {}): Promise<Target> {
  return startProcess(process.execPath, [...(options.nodeArgs ?? []), script], options, true)
}

/** Starts any command; with `waitReady`, waits for a `ready` line. */
export async function startProcess(command: string, args: string[], options: { env?: Record<string, string>; cwd?: string } = {}, waitReady = false): Promise<Target> {
  const child = spawn(command, args, { cwd: options.cwd ?? repo, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] })
  running.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  void exited.then(() => running.delete(child))
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const lines: string[] = []
  const waiters: ((line: string) => void)[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const w = waiters.shift()
    if (w) w(line)
    else lines.push(line)
  })
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const queued = lines.shift()
      if (queued !== undefined) return resolve(queued)
      waiters.push(resolve)
      void exited.then(() => reject(new Error(`child exited; stderr: ${err}`)))
    })
  const target: Target = {
    child,
    pid: child.pid!,
    nextLine,
    command(line) {
      child.stdin!.write(`${line}\n`)
      return nextLine()
    },
    stderr: () => err,
    exited,
  }
  if (waitReady) {
    const first = await nextLine()
    if (!first.startsWith('ready')) throw new Error(`unexpected first line ${first}; stderr: ${err}`)
  }
  return target
}

/** Kills every child still running and waits for them (call from afterEach/afterAll). */
export async function killAll(): Promise<void> {
  const children = [...running]
  for (const c of children) c.kill('SIGKILL')
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))))
  running.clear()
}

/** A temporary directory, removed by `cleanup`. */
export async function tempDir(prefix = 'memgate-remote-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}
