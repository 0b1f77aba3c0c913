/**
 * `memgate/heapdump`: heap snapshots on demand from inside an app, with `node:v8` only (no native
 * build, unlike the `heapdump` module it mirrors). Preload it:
 *
 *     node --import memgate/heapdump app.js
 *     kill -USR2 <pid>        # writes heapdump-<seconds>.<ms>.heapsnapshot
 *
 * - SIGUSR2 writes a snapshot into `$MEMGATE_HEAPDUMP_DIR` (or the cwd). `NODE_HEAPDUMP_OPTIONS=nosignal`
 *   (the `heapdump` module's switch) leaves SIGUSR2 alone.
 * - `writeSnapshot([filename], [callback])` as in `heapdump`: callback(err, filename).
 * - `MEMGATE_HEAPDUMP_RSS=800MB` (opt-in) checks RSS every `MEMGATE_HEAPDUMP_INTERVAL_MS` (1000) on an
 *   unref'd timer and writes one snapshot the first time RSS crosses the threshold: a snapshot when
 *   memory runs high, not after the OOM.
 *
 * Every file is written under a temporary name and renamed. A snapshot pauses the app and costs
 * memory that stays (DESIGN.md: +240 MB RSS for a 49 MB snapshot; measured here: peak RSS +10–13×
 * the used heap), so set the RSS threshold well below the container limit.
 * Loaded into users' apps: node builtins and `common` only, nothing at all until configured.
 */
import { renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import { isMainThread } from 'node:worker_threads'
import { tempPathFor } from '../common/fs.js'
import { formatBytes, parseBytes } from '../common/units.js'

/** Callback of {@link writeSnapshot}, as in the `heapdump` module. */
export type WriteSnapshotCallback = (error: Error | null, filename?: string) => void

/** `heapdump-<seconds>.<ms>.heapsnapshot` in `$MEMGATE_HEAPDUMP_DIR` or the cwd, for the current time. */
export function defaultSnapshotPath(nowMs = Date.now(), env: NodeJS.ProcessEnv = process.env): string {
  const name = `heapdump-${Math.floor(nowMs / 1000)}.${String(nowMs % 1000).padStart(3, '0')}.heapsnapshot`
  return join(resolve(env['MEMGATE_HEAPDUMP_DIR'] || process.cwd()), name)
}

/**
 * Writes a heap snapshot of this process, synchronously (the app pauses meanwhile), atomically.
 * Mirrors `heapdump.writeSnapshot`: the filename is optional (relative names resolve against the
 * cwd), the callback gets `(err, filename)`; returns true on success.
 * @example
 * import { writeSnapshot } from 'memgate/heapdump'
 * writeSnapshot((err, filename) => console.log('dump written to', filename))
 */
export function writeSnapshot(filename?: string | WriteSnapshotCallback, callback?: WriteSnapshotCallback): boolean {
  if (typeof filename === 'function') {
    callback = filename
    filename = undefined
  }
  const target = filename ? resolve(filename) : defaultSnapshotPath()
  const tmp = tempPathFor(target)
  try {
    writeHeapSnapshot(tmp)
    renameSync(tmp, target)
  } catch (error) {
    rmSync(tmp, { force: true })
    const err = error instanceof Error ? error : new Error(String(error))
    if (callback) callback(err)
    return false
  }
  if (callback) callback(null, target)
  return true
}

/** Writes a snapshot and logs one line to stderr; never throws (it runs inside the user's app). */
function dump(why: string): void {
  writeSnapshot((err, filename) => {
    process.stderr.write(err ? `memgate/heapdump: ${why}: could not write a heap snapshot: ${err.message}\n` : `memgate/heapdump: ${why}: wrote ${filename}\n`)
  })
}

/** Parses `MEMGATE_HEAPDUMP_RSS` (`800MB`, `1.5GiB`, bytes); null when unset, empty or invalid (logged). */
export function rssThresholdFrom(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env['MEMGATE_HEAPDUMP_RSS']?.trim()
  if (!raw) return null
  try {
    const bytes = parseBytes(raw, 'MEMGATE_HEAPDUMP_RSS')
    return bytes > 0 ? bytes : null
  } catch (error) {
    process.stderr.write(`memgate/heapdump: ignoring MEMGATE_HEAPDUMP_RSS: ${(error as Error).message}\n`)
    return null
  }
}

const INSTALLED = Symbol.for('memgate.heapdump.installed')

/** Installs the SIGUSR2 handler and the RSS trigger once per process (main thread only). */
function install(): void {
  const g = globalThis as { [INSTALLED]?: boolean }
  if (g[INSTALLED] || !isMainThread) return
  g[INSTALLED] = true
  const env = process.env
  if (!/(?:^|[\s,])nosignal(?:$|[\s,])/.test(env['NODE_HEAPDUMP_OPTIONS'] ?? '')) {
    // Signal handles are unref'd by Node: the listener never keeps the app alive.
    process.on('SIGUSR2', () => dump('SIGUSR2'))
  }
  const threshold = rssThresholdFrom(env)
  if (threshold !== null) {
    const intervalMs = Math.max(50, Number(env['MEMGATE_HEAPDUMP_INTERVAL_MS']) || 1000)
    const timer = setInterval(() => {
      const rss = process.memoryUsage.rss()
      if (rss < threshold) return
      clearInterval(timer)
      dump(`RSS ${formatBytes(rss)} crossed MEMGATE_HEAPDUMP_RSS=${env['MEMGATE_HEAPDUMP_RSS']}`)
    }, intervalMs)
    timer.unref()
  }
}

install()
