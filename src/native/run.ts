/**
 * Runs one command under heaptrack and leaves exactly one file behind: the compressed data file.
 * heaptrack's launcher is a shell script that makes a FIFO in /tmp, preloads its tracer into the
 * command, and pipes the trace through `heaptrack_interpret` into `zstd` (or `gzip`); all of them
 * run in one process group that ends with the run.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import { constants } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { ConfigError, TargetCrashed } from '../common/errors.js'
import { detectHeaptrack, type HeaptrackTools } from './detect.js'
import { runGroup, type GroupExit } from './process-group.js'

/** Options of {@link runUnderHeaptrack}. */
export interface HeaptrackRunOptions {
  /** The program to trace: a path or a name on the child's PATH (heaptrack resolves it). */
  command: string
  /** Its arguments. @default [] */
  args?: readonly string[]
  /** Variables added to (or, when `undefined`, removed from) the inherited environment. heaptrack adds its own `LD_PRELOAD`. */
  env?: Readonly<Record<string, string | undefined>>
  /** Working directory of the command. @default process.cwd() */
  cwd?: string
  /** Directory for the data file, created if missing. Its absolute path must not contain whitespace or `%` (heaptrack's launcher splits and expands it). */
  outDir: string
  /** The whole process group is killed after this long (SIGTERM, then SIGKILL 2 s later). heaptrack slows a program several times. @default 300_000 */
  timeoutMs?: number
  /** From {@link detectHeaptrack}; detected when omitted. */
  tools?: HeaptrackTools
  /** Aborting ends the run like a timeout (the group is killed, nothing is kept). */
  signal?: AbortSignal
}

/** The temporary FIFO heaptrack's launcher makes (`/tmp/heaptrack_fifo$$`); removed here when a kill skipped its cleanup trap. */
const fifoOf = (launcherPid: number) => `/tmp/heaptrack_fifo${launcherPid}`

function childEnv(extra: HeaptrackRunOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

/** heaptrack's own banner and statistics, left out of error messages (they name the `.partial` file). */
const LAUNCHER_LINE = /^(?:heaptrack output will be written to |\/\S*libheaptrack_\w+\.so$|starting application, this might take some time|Heaptrack finished!|\s+heaptrack --analyze |heaptrack stats:|\s+(?:leaked |temporary )?allocations:\s)/

function lastLines(text: string, n = 12): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !LAUNCHER_LINE.test(line))
  return lines.slice(-n).join('\n') || '(none)'
}

/**
 * Runs `command args` under heaptrack, waits for it, and returns the absolute path of the data file
 * (`<outDir>/heaptrack.<command>.<random>.zst`, or `.gz` where zstd is missing), ready for
 * {@link readNativeProfile}. The data file is written under a `.partial` name and renamed when
 * heaptrack has finished; the traced program, heaptrack's interpreter and compressor, and
 * anything else in the process group are ended when the launcher exits or times out.
 * @throws MemgateError `PROBE_UNAVAILABLE` when heaptrack is not installed (message gives the install command).
 * @throws TargetCrashed `TARGET_TIMED_OUT` after `timeoutMs`, `TARGET_CRASHED` when `signal` aborts (nothing is kept in either case);
 *   `TARGET_CRASHED` when the command exits non-zero or heaptrack wrote no data (the data up to the
 *   crash, if any, is kept and named in the message).
 * @example const dataFile = await runUnderHeaptrack({ command: process.execPath, args: ['app.js'], outDir: 'reports/run-1/native' })
 */
export async function runUnderHeaptrack(options: HeaptrackRunOptions): Promise<string> {
  const tools = options.tools ?? (await detectHeaptrack())
  const outDir = resolve(options.outDir)
  if (/[\s%]/.test(outDir)) {
    throw new ConfigError(`heaptrack cannot write to ${JSON.stringify(outDir)}: its launcher splits the output path on whitespace and expands %h/%p. Choose an output directory without spaces or '%'.`)
  }
  await mkdir(outDir, { recursive: true })
  const stem = `heaptrack.${basename(options.command).replace(/[^\w.-]/g, '_')}.${randomBytes(4).toString('hex')}`
  const partialStem = `${stem}.partial`
  const timeoutMs = options.timeoutMs ?? 300_000

  let exit: GroupExit
  try {
    exit = await runGroup(tools.heaptrack, ['-o', join(outDir, partialStem), '--', options.command, ...(options.args ?? [])], {
      env: childEnv(options.env),
      cwd: options.cwd,
      timeoutMs,
      signal: options.signal,
    })
  } catch (error) {
    await removePartials(outDir, partialStem)
    throw error
  }
  const partial = await findPartial(outDir, partialStem)
  const described = `\`${[options.command, ...(options.args ?? [])].join(' ')}\` under heaptrack`

  if (exit.timedOut || exit.aborted) {
    await removePartials(outDir, partialStem)
    await removeStaleFifo(exit)
    if (exit.aborted) throw new TargetCrashed('TARGET_CRASHED', `${described} was aborted and killed with its process group.`, { cause: options.signal?.reason })
    throw new TargetCrashed('TARGET_TIMED_OUT', `${described} did not finish within ${timeoutMs} ms and was killed with its process group. heaptrack slows programs several times: give a larger timeoutMs or a smaller workload.`)
  }
  if (exit.signal) await removeStaleFifo(exit)

  const dataFile = partial ? join(outDir, `${stem}${partial.slice(partialStem.length)}`) : null
  if (partial && dataFile) await rename(join(outDir, partial), dataFile)
  const failed = exit.code !== 0
  if (failed || !dataFile) {
    const output = lastLines(`${exit.stdout}\n${exit.stderr}`)
    // The launcher exits with the command's status; a shell reports death by signal N as 128 + N.
    const bySignal = exit.code !== null && exit.code > 128 ? Object.entries(constants.signals).find(([, n]) => n === (exit.code as number) - 128)?.[0] : undefined
    const ended = exit.signal ? `was ended by ${exit.signal}` : `exited with code ${exit.code}${bySignal ? ` (killed by ${bySignal})` : ''}`
    const kept = dataFile ? ` The heaptrack data up to that point is in ${dataFile}.` : ' heaptrack wrote no data.'
    throw new TargetCrashed('TARGET_CRASHED', `${described} ${failed ? ended : 'produced no data file'}.${kept} Last output:\n${output}`)
  }
  return dataFile
}

async function findPartial(dir: string, partialStem: string): Promise<string | null> {
  const names = await readdir(dir)
  return names.find((n) => n.startsWith(`${partialStem}.`) && /\.(zst|gz)$/.test(n)) ?? null
}

async function removePartials(dir: string, partialStem: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  await Promise.all(names.filter((n) => n.startsWith(partialStem)).map((n) => rm(join(dir, n), { force: true })))
}

/** The launcher's FIFO outlives it only when a signal skipped its EXIT trap. */
async function removeStaleFifo(exit: GroupExit): Promise<void> {
  await rm(fifoOf(exit.pid), { force: true })
}
