/**
 * Files are written to a temporary name next to the target and renamed, so a crash never leaves
 * a half-written file in place of a good one (DESIGN.md, Data flow).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { createWriteStream, type WriteStream } from 'node:fs'
import { dirname } from 'node:path'

/** Temporary sibling path for `path` (same directory, so rename is atomic). */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
}

/** Writes `data` to `path` atomically, creating the directory if needed. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = tempPathFor(path)
  try {
    await writeFile(tmp, data)
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
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
  await mkdir(dirname(path), { recursive: true })
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
      await rename(tmp, path)
    },
    async abort() {
      stream.destroy()
      await rm(tmp, { force: true })
    },
  }
}
