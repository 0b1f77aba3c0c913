/**
 * A command memgate starts for a watch (`memgate watch -- COMMAND ARGS...`). It leads its own
 * process group, so a Ctrl-C in the terminal reaches memgate only, and memgate ends the command
 * with everything it started; the exit code or signal is known only for this process.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { InputError } from '../../common/errors.js'

/** How the command ended. */
export interface CommandExit {
  atMs: number
  exitCode: number | null
  signal: string | null
}

/** A started command. */
export interface StartedCommand {
  pid: number
  /** Its process group: the same number as `pid`. */
  pgid: number
  /** Resolves when it has exited and been reaped. */
  exited: Promise<CommandExit>
  /** The exit, once it happened. */
  exit(): CommandExit | null
  /** The end of what it wrote to stderr, at most {@link STDERR_TAIL_BYTES}. */
  stderrTail(): string
}

/** Options of {@link startCommand}. */
export interface StartCommandOptions {
  cwd: string
  env: Record<string, string | undefined>
  /**
   * Receives what the command writes (stdout and stderr). Both are read through pipes so that a
   * live table is not torn by them; without a callback the output is dropped (the stderr tail is
   * kept regardless).
   */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void
}

/** Bytes of stderr kept for the run's record of a failure. */
export const STDERR_TAIL_BYTES = 4096

/**
 * Starts `argv` as the leader of a new process group (and session).
 * @throws InputError('INPUT_NOT_FOUND') when the command cannot be started (not found, not
 * executable)
 * @example const cmd = await startCommand(['python3', '-m', 'http.server'], { cwd, env: process.env })
 */
export async function startCommand(argv: readonly string[], options: StartCommandOptions): Promise<StartedCommand> {
  const [file, ...args] = argv
  if (!file) throw new InputError('INPUT_NOT_FOUND', 'No command to start.')
  const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'was not found (not on PATH, or no such file)' : error.code === 'EACCES' ? 'is not executable' : `could not be started (${error.code ?? error.message})`
      reject(new InputError('INPUT_NOT_FOUND', `The command '${file}' ${why}. Check the spelling, or give its full path after '--'.`, file, { cause: error }))
    })
  })
  return track(child, options)
}

function track(child: ChildProcess, options: StartCommandOptions): StartedCommand {
  const pid = child.pid as number
  let tail = ''
  let ended: CommandExit | null = null
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => options.onOutput?.(chunk, 'stdout'))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL_BYTES)
    options.onOutput?.(chunk, 'stderr')
  })
  const exited = new Promise<CommandExit>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = { atMs: Date.now(), exitCode: code, signal }
      resolve(ended)
    })
  })
  return { pid, pgid: pid, exited, exit: () => ended, stderrTail: () => tail }
}

/** A process memgate ended because it was still running when the watch stopped. */
export interface EndedProcess {
  pid: number
  command: string
}

/** Ends every process of a group; returns those that were running. See {@link WatchOptions.endGroup}. */
export type EndGroup = (pgid: number) => Promise<EndedProcess[]>

/**
 * The default {@link EndGroup}: SIGTERM to the group, SIGKILL after `graceMs`. It cannot list the
 * group's members; callers that can (the scenario runner's `endProcessGroup`) pass their own.
 */
export async function signalGroupEnd(pgid: number, graceMs = 1000): Promise<EndedProcess[]> {
  if (!sendGroup(pgid, 'SIGTERM')) return []
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline && sendGroup(pgid, 0)) await new Promise((r) => setTimeout(r, 50))
  sendGroup(pgid, 'SIGKILL')
  return []
}

function sendGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false // ESRCH: nobody left
  }
}
