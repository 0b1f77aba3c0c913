/**
 * Files are written to a temporary name next to the target and renamed, so a crash never leaves
 * a half-written file in place of a good one (DESIGN.md, Data flow).
 */
import { randomBytes } from 'node:crypto'
import { access, mkdir, rename, rm, stat, statfs, writeFile } from 'node:fs/promises'
import { constants, createWriteStream, type Stats, type WriteStream } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { UsageError } from './errors.js'

/** Temporary sibling path for `path` (same directory, so rename is atomic). */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
}

/**
 * Errors of writing a file the user placed where no file can be (a directory in the way, a file
 * where a directory should be, no permission, a read-only or full disk): they get a message, not a stack.
 */
const PLACEMENT_ERRORS = new Set(['ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ELOOP', 'ENAMETOOLONG', 'EEXIST'])

/** `error` as a {@link UsageError} naming `path` when it is one of {@link PLACEMENT_ERRORS}; else unchanged. */
function cannotWrite(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === undefined || !PLACEMENT_ERRORS.has(code)) return error
  return new UsageError(`Cannot write ${path}: ${describeFsError(error)}. Choose another path or free the one given.`, { cause: error })
}

/** Writes `data` to `path` atomically, creating the directory if needed. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await makeDirectory(dirname(path))
  } catch (error) {
    throw cannotWrite(path, error)
  }
  const tmp = tempPathFor(path)
  try {
    await writeFile(tmp, data)
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, { force: true })
    throw cannotWrite(path, error)
  }
}

/** Writes pretty JSON atomically, with a trailing newline. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`)
}

/**
 * A write stream to a temporary file that becomes `path` only on `commit()`; `abort()` removes it.
 * For large outputs (heap snapshots) that must not be held in memory.
 */
export async function openAtomicStream(path: string): Promise<{ stream: WriteStream; commit(): Promise<void>; abort(): Promise<void> }> {
  try {
    await makeDirectory(dirname(path))
  } catch (error) {
    throw cannotWrite(path, error)
  }
  const tmp = tempPathFor(path)
  const stream = createWriteStream(tmp)
  const closed = () =>
    new Promise<void>((resolve, reject) => {
      if (stream.closed) return resolve()
      stream.once('error', reject)
      stream.end(() => resolve())
    })
  return {
    stream,
    async commit() {
      await closed()
      try {
        await rename(tmp, path)
      } catch (error) {
        await rm(tmp, { force: true })
        throw cannotWrite(path, error)
      }
    },
    async abort() {
      stream.destroy()
      await rm(tmp, { force: true })
    },
  }
}

/**
 * Kernel filesystems, by `statfs` magic number: files there are not files (and Node's recursive
 * mkdir under /proc never returns), so no output may go there.
 */
const KERNEL_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
])

/** Paths that are kernel filesystems on every Linux system, refused even before `statfs` answers. */
const KERNEL_PREFIXES = ['/proc', '/sys']

/** What kind of file `stats` describes, for messages: "a regular file", "a named pipe"... */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file'
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  return 'a special file'
}

/** A file-system error in words a user can act on ("it is a symbolic link loop", "permission denied"). */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException | undefined
  switch (e?.code) {
    case 'ELOOP':
      return 'it is a symbolic link loop (following its links leads back to a link already followed); fix or remove the link'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ENOENT':
      return 'no such file or directory'
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory'
    case 'EISDIR':
      return 'it is a directory'
    case 'ENAMETOOLONG':
      return 'the path is too long'
    case 'EROFS':
      return 'the filesystem is read-only'
    case 'ENOSPC':
      return 'the disk is full'
    case 'EDQUOT':
      return 'the disk quota is exhausted'
    case 'EEXIST':
      return 'a file of that name already exists'
    default:
      return e instanceof Error ? e.message : String(error)
  }
}

/**
 * Why `path` (absolute) is on a kernel filesystem, or null when it is not. Checks the nearest
 * existing ancestor with `statfs`, so a path that does not exist yet is judged by where it would be made.
 */
async function kernelFilesystemOf(existing: string, path: string): Promise<string | null> {
  const prefix = KERNEL_PREFIXES.find((p) => path === p || path.startsWith(`${p}/`))
  if (prefix) return prefix.slice(1)
  try {
    const fs = await statfs(existing)
    return KERNEL_FILESYSTEMS.get(Number(fs.type)) ?? null
  } catch {
    return null
  }
}

const refusal = (flag: string, target: string, why: string, cause?: unknown): UsageError =>
  new UsageError(`${flag} ${target}: ${why}. Choose a writable directory (it is created when missing).`, cause === undefined ? undefined : { cause })

/**
 * Checks, without creating anything, that `dir` can be an output directory: refuses, with a
 * {@link UsageError} naming `flag` (exit 2), a path where a regular file (or another
 * non-directory) stands, a path on a kernel filesystem (/proc, /sys, cgroupfs: writing there
 * never works, and a recursive mkdir under /proc never returns), a symlink loop, and a
 * directory that cannot be written. Call it before a long run, so a bad `--out` fails first.
 * @param flag how the user gave the path, for the message (e.g. `--out`)
 * @returns the absolute path
 */
export async function checkOutputDir(dir: string, flag = 'output directory'): Promise<string> {
  const target = resolve(dir)
  const refuse = (why: string, cause?: unknown) => refusal(flag, target, why, cause)
  // Walk up to the nearest path that exists.
  let existing = target
  let stats: Stats | null = null
  for (;;) {
    try {
      stats = await stat(existing)
      break
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw refuse(existing === target ? describeFsError(error) : `${existing}: ${describeFsError(error)}`, error)
      const up = dirname(existing)
      if (up === existing) break
      existing = up
    }
  }
  if (stats && !stats.isDirectory()) {
    throw refuse(existing === target ? `it is ${fileKind(stats)}, not a directory` : `${existing} is ${fileKind(stats)}, not a directory`)
  }
  const kernel = await kernelFilesystemOf(existing, target)
  if (kernel) throw refuse(`it is on ${kernel}, a kernel filesystem where no file can be written`)
  try {
    await access(existing, constants.W_OK | constants.X_OK)
  } catch (error) {
    throw refuse(`${existing === target ? 'it' : existing} is not writable (${describeFsError(error)})`, error)
  }
  return target
}

/**
 * {@link checkOutputDir}, then creates the directory (and its parents).
 * @returns the absolute path
 */
export async function prepareOutputDir(dir: string, flag = 'output directory'): Promise<string> {
  const target = await checkOutputDir(dir, flag)
  try {
    await makeDirectory(target)
  } catch (error) {
    throw refusal(flag, target, `cannot create it (${describeFsError(error)})`, error)
  }
  return target
}

/**
 * `mkdir -p dir`, one level at a time: Node's recursive mkdir loops forever where a parent's
 * mkdir fails with ENOENT (under /proc), so it is not used. Kernel filesystems are refused
 * first. Other errors are the file system's own (ENOTDIR when a file stands in the way).
 */
export async function makeDirectory(dir: string): Promise<void> {
  const target = resolve(dir)
  if (KERNEL_PREFIXES.some((p) => target === p || target.startsWith(`${p}/`))) {
    throw new UsageError(`Cannot write under ${target}: it is on ${target.split('/')[1]}, a kernel filesystem where no file can be written. Choose another output directory.`)
  }
  const missing: string[] = []
  for (let p = target; ; ) {
    try {
      const s = await stat(p)
      if (!s.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${target}'`), { code: 'ENOTDIR', path: p })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      missing.push(p)
      const up = dirname(p)
      if (up === p) break
      p = up
    }
  }
  for (const p of missing.reverse()) {
    try {
      await mkdir(p)
    } catch (error) {
      // Made meanwhile by someone else: fine when it is a directory.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !(await stat(p)).isDirectory()) throw error
    }
  }
}

/**
 * What keeps `path` from being read as an ordinary file, or null when it is one: missing, a
 * directory, a device or pipe (`/dev/zero` never ends, a FIFO can block forever), a symlink
 * loop, no permission. Callers check this before importing or reading a file a user named.
 */
export async function regularFileProblem(path: string): Promise<{ code: 'missing' | 'directory' | 'special' | 'unreadable'; why: string } | null> {
  let stats: Stats
  try {
    stats = await stat(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { code: 'missing', why: 'it does not exist' }
    return { code: 'unreadable', why: describeFsError(error) }
  }
  if (stats.isDirectory()) return { code: 'directory', why: 'it is a directory, not a file' }
  if (!stats.isFile()) return { code: 'special', why: `it is ${fileKind(stats)}, not a regular file` }
  return null
}
