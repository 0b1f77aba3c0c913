/**
 * `memgate snapshot PID [--out FILE] [--force] [--count N --interval SECONDS] [--sampling SECONDS] [--json]`:
 * heap snapshots (or an allocation-sampling profile) of a running Node.js process through its
 * inspector. The snapshots feed `memgate inspect` and `memgate diff` directly; `--count 2` takes
 * them in one inspector session, so the diff matches objects one by one (V8 renumbers objects
 * when a session ends: separate runs compare by class totals only).
 */
import type { Argv } from 'yargs'
import { extname, relative, resolve } from 'node:path'
import { ExitCode, UsageError } from '../../common/errors.js'
import { formatBytes, formatMs } from '../../common/units.js'
import type { ReleaseResult, RemoteCaptureProgress, RemoteSamplingResult, RemoteSnapshotFile, RemoteSnapshotSession } from '../../snapshot/remote/index.js'
import { println, type CommandContext, type OutStream } from '../io.js'
import type { CommandBody } from '../lazy-command.js'
import { positiveInteger } from '../format.js'
import { renderTable } from '../../report/render/table.js'

interface Args {
  pid: number
  out?: string
  force: boolean
  count: number
  interval: number
  sampling?: number
  top: number
  json: boolean
}

/** Schema version of the `--json` output (`kind: memgate.snapshot.remote` or `memgate.snapshot.sampling`). */
export const REMOTE_SNAPSHOT_JSON_VERSION = 1

/** The `snapshot` command. */
export function snapshotCommand(ctx: CommandContext): CommandBody<Args> {
  return {
    builder: (y: Argv<object>) =>
      y
        .positional('pid', { type: 'number', demandOption: true, describe: 'process id of a running Node.js process' })
        .option('out', { type: 'string', describe: 'output file [default: heap-PID-TIME.heapsnapshot, or .heapprofile with --sampling]' })
        .option('force', { type: 'boolean', default: false, describe: 'snapshot even when the host seems to lack the memory it needs' })
        .option('count', { type: 'number', default: 1, describe: 'snapshots to take in one inspector session (FILE-1, FILE-2, …): diffable object by object' })
        .option('interval', { type: 'number', default: 30, describe: 'seconds between snapshots with --count' })
        .option('sampling', { type: 'number', describe: 'instead of a snapshot, sample allocations for SECONDS (cheap, no pause) and print the top sites' })
        .option('top', { type: 'number', default: 10, describe: 'allocation sites to print with --sampling' })
        .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON (memgate.snapshot.remote / memgate.snapshot.sampling v1)' }) as unknown as Argv<Args>,
    handler: async (args) => {
      const { io } = ctx
      // yargs turns `abc` into NaN: name what was typed.
      const typedPid = io.argv[io.argv.indexOf('snapshot') + 1]
      if (!Number.isSafeInteger(args.pid) && typedPid !== undefined) throw new UsageError(`Expected a process id (a positive integer) for PID but received '${typedPid}'`)
      const pid = positiveInteger(args.pid, 'PID')
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
      if (args.sampling !== undefined) {
        if (args.count !== 1) throw new UsageError('--sampling records one allocation profile; it cannot be combined with --count')
        if (!(args.sampling > 0) || !Number.isFinite(args.sampling)) throw new UsageError(`Expected a positive number of seconds for --sampling but received ${String(args.sampling)}`)
        const top = positiveInteger(args.top, '--top')
        const outFile = resolve(io.cwd, args.out ?? `heap-${pid}-${stamp}.heapprofile`)
        const { sampleRemoteAllocations } = await import('../../snapshot/remote/index.js')
        if (io.stderr.isTTY) io.stderr.write(`sampling allocations in process ${pid} for ${args.sampling} s…`)
        let result: RemoteSamplingResult
        try {
          result = await sampleRemoteAllocations({ pid, outFile, durationMs: args.sampling * 1000, top, signal: io.signal })
        } finally {
          if (io.stderr.isTTY) io.stderr.write('\r\u001b[K')
        }
        if (result.warning) println(io.stderr, `memgate: warning: ${result.warning}`)
        println(io.stdout, args.json ? JSON.stringify({ schemaVersion: REMOTE_SNAPSHOT_JSON_VERSION, kind: 'memgate.snapshot.sampling', ...result }, null, 2) : renderSampling(result, io.cwd))
      } else {
        const count = positiveInteger(args.count, '--count')
        if (!(args.interval >= 0) || !Number.isFinite(args.interval)) throw new UsageError(`Expected a non-negative number of seconds for --interval but received ${String(args.interval)}`)
        const outFile = resolve(io.cwd, args.out ?? `heap-${pid}-${stamp}.heapsnapshot`)
        const outFiles = count === 1 ? [outFile] : Array.from({ length: count }, (_, i) => numbered(outFile, i + 1))
        const { openRemoteSnapshotSession } = await import('../../snapshot/remote/index.js')
        const progress = captureProgress(io.stderr)
        const files: RemoteSnapshotFile[] = []
        let session: RemoteSnapshotSession | undefined
        let release: ReleaseResult
        try {
          // SIGINT/SIGTERM (io.signal): the snapshot under way is dropped with its temporary file, the inspector closed, exit 130.
          session = await openRemoteSnapshotSession({ pid, force: args.force, onProgress: progress.update, signal: io.signal })
          for (const [i, file] of outFiles.entries()) {
            if (i > 0) await delay(args.interval * 1000, io.signal)
            const written = await session.take(file)
            progress.done()
            files.push(written)
            if (!written.memory.fits) println(io.stderr, `memgate: warning: --force: the snapshot was estimated to need ${formatBytes(written.memory.neededBytes)} with ${formatBytes(written.memory.available.availableBytes)} available`)
            if (!args.json) println(io.stdout, renderCapture(written, pid, io.cwd))
          }
        } finally {
          progress.done()
          release = (await session?.close()) ?? { inspectorClosed: true }
          // Here, not after: an error (an abort) leaves this block before anything below runs.
          if (release.problem) println(io.stderr, `memgate: warning: ${release.problem}`)
        }
        if (args.json) {
          const report = { schemaVersion: REMOTE_SNAPSHOT_JSON_VERSION, kind: 'memgate.snapshot.remote', pid, port: session.port, inspectorWasOpen: session.inspectorWasOpen, inspectorClosed: release.inspectorClosed, ...(release.problem ? { warning: release.problem } : {}), snapshots: files }
          println(io.stdout, JSON.stringify(report, null, 2))
        }
      }
      ctx.exitCode = ExitCode.Ok
    },
  }
}

/** The text result of one snapshot: one line, the file and its size. */
export function renderCapture(file: RemoteSnapshotFile, pid: number, cwd: string): string {
  return `Wrote ${relative(cwd, file.path) || file.path} (${formatBytes(file.sizeBytes)}) from process ${pid} in ${formatMs(file.durationMs)}`
}

/** `dir/name.heapsnapshot` → `dir/name-2.heapsnapshot`. */
function numbered(path: string, n: number): string {
  const ext = extname(path)
  return `${path.slice(0, path.length - ext.length)}-${n}${ext}`
}

/** The text result of a sampling: the top sites, then the file line. */
export function renderSampling(result: RemoteSamplingResult, cwd: string): string {
  const lines = [`Allocations still live after ${formatMs(result.durationMs)} of sampling in process ${result.pid}: ${formatBytes(result.totalLiveBytes)} (estimated)`, '']
  if (result.sites.length === 0) lines.push('No sampled allocations survived.')
  else
    lines.push(
      renderTable(
        [{ header: 'Live', right: true }, { header: 'Samples', right: true }, { header: 'Function' }, { header: 'Where' }],
        result.sites.map((s) => [formatBytes(s.liveBytes), String(s.samples), s.functionName, s.url ? `${s.url}:${s.line}` : '']),
      ),
    )
  lines.push('', `Wrote ${relative(cwd, result.path) || result.path} (${formatBytes(result.sizeBytes)})`)
  return lines.join('\n')
}

/** Waits `ms`, or less when `signal` aborts (the next step then reports the abort). */
function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** A redrawn progress line on a terminal; nothing off a terminal (CI logs), but for an abandoned snapshot. */
function captureProgress(stderr: OutStream): { update: (p: RemoteCaptureProgress) => void; done: () => void } {
  let shown = false
  let last = ''
  const clear = (): void => {
    if (shown) stderr.write('\r\u001b[K')
    shown = false
  }
  return {
    update(p) {
      if (p.phase === 'abandoned') {
        // Said on every stream: the wait that follows can be long, and its reason is not obvious.
        clear()
        println(stderr, `memgate: interrupted; the snapshot file was removed. Process ${p.pid} is finishing the snapshot it began (V8 cannot stop one); its inspector is closed once it has (interrupt again to leave it open).`)
        return
      }
      if (!stderr.isTTY) return
      const text =
        p.phase === 'connected'
          ? `inspector on port ${p.port}${p.inspectorWasOpen ? ' (already open)' : ''}`
          : p.phase === 'building'
            ? `building snapshot: ${p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0}%`
            : `writing snapshot: ${formatBytes(p.bytesWritten - (p.bytesWritten % (1024 * 1024)))}`
      if (text === last) return
      last = text
      shown = true
      stderr.write(`\r${text}\u001b[K`)
    },
    done: clear,
  }
}
