/**
 * What a watch watches: processes given by PID, processes whose command line matches a pattern
 * (the `ps aux | grep gunicorn` of old), or a command memgate starts. Validated here, once: a
 * mistyped PID or pattern fails before the watch starts, with what to do about it.
 */
import { InputError, UsageError } from '../../common/errors.js'
import { ProcScan, readCmdline, readProcessStat } from './proc-scan.js'

/** The user's choice of target, as typed. */
export type WatchSelection =
  | { kind: 'pids'; pids: readonly number[] }
  /** A regular expression (JavaScript syntax) matched against each command line. */
  | { kind: 'name'; pattern: string }
  /** A command to start: `argv[0]` is looked up on PATH. */
  | { kind: 'command'; argv: readonly string[] }

/** A selection checked against the running system. */
export type ResolvedSelection =
  | { kind: 'pids'; pids: number[] }
  | { kind: 'name'; regex: RegExp; pattern: string; pids: number[]; exclude: ReadonlySet<number> }
  | { kind: 'command'; argv: string[] }

/**
 * Checks a selection: the PIDs exist, the pattern compiles and matches something, the command
 * is named.
 * @throws UsageError for a PID that is not a positive integer, a bad regular expression or an
 * empty command; InputError('INPUT_NOT_FOUND') for a PID with no process or a pattern nothing
 * matches
 */
export async function resolveSelection(selection: WatchSelection): Promise<ResolvedSelection> {
  switch (selection.kind) {
    case 'pids': {
      if (selection.pids.length === 0) throw new UsageError('Name at least one PID to watch, or use --name REGEX or -- COMMAND')
      const pids = [...new Set(selection.pids)]
      for (const pid of pids) {
        if (!Number.isSafeInteger(pid) || pid <= 0) throw new UsageError(`Expected a process id (a positive integer) but received ${String(pid)}`)
        if (!(await isAlive(pid))) throw new InputError('INPUT_NOT_FOUND', `No process with PID ${pid} is running (it may have exited). List processes with 'ps aux' or use --name REGEX.`, String(pid))
      }
      return { kind: 'pids', pids }
    }
    case 'name': {
      const regex = compilePattern(selection.pattern)
      const exclude = await selfAndAncestors()
      const pids = await matchingPids(regex, exclude)
      if (pids.length === 0) {
        throw new InputError('INPUT_NOT_FOUND', `No running process has a command line matching /${selection.pattern}/ (memgate and the shell that started it are left out). Check with 'ps -eo pid,args | grep -E "${selection.pattern}"'.`, selection.pattern)
      }
      return { kind: 'name', regex, pattern: selection.pattern, pids, exclude }
    }
    case 'command': {
      if (selection.argv.length === 0 || selection.argv[0] === '') throw new UsageError("Name the command to start after '--', e.g. memgate watch -- node server.js")
      return { kind: 'command', argv: [...selection.argv] }
    }
  }
}

/**
 * Compiles a `--name` pattern.
 * @throws UsageError naming the pattern and the engine's complaint
 */
export function compilePattern(pattern: string): RegExp {
  if (pattern === '') throw new UsageError('Expected a regular expression for --name but received an empty string; it would match every process')
  try {
    return new RegExp(pattern)
  } catch (error) {
    throw new UsageError(`Expected a regular expression for --name but received '${pattern}': ${(error as Error).message}`, { cause: error })
  }
}

/**
 * PIDs whose command line matches `regex`, leaving out `exclude` and kernel threads (no command
 * line). Not the cheap path: it reads every process's cmdline, once per call.
 */
export async function matchingPids(regex: RegExp, exclude: ReadonlySet<number>): Promise<number[]> {
  const scan = new ProcScan()
  const { born } = scan.scan()
  const candidates = born.filter((p) => !p.zombie && !exclude.has(p.pid))
  const lines = candidates.map((p) => readCmdline(p.pid))
  return candidates.filter((_, i) => lines[i] != null && regex.test(lines[i]!)).map((p) => p.pid)
}

/**
 * This process and its ancestors: `memgate watch --name node` must not watch memgate, nor the
 * `npx` and shell whose command lines hold the same pattern.
 */
export async function selfAndAncestors(): Promise<Set<number>> {
  const out = new Set<number>([process.pid])
  const scan = new ProcScan()
  scan.scan()
  for (let pid = process.ppid; pid > 1 && !out.has(pid); pid = scan.get(pid)?.ppid ?? 0) out.add(pid)
  return out
}

/** Whether `pid` names a live process (a zombie is not). */
async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it exists but belongs to another user; its /proc files may still be readable.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (process.platform !== 'linux') return true
  const p = readProcessStat(pid)
  return p !== null && !p.zombie
}
