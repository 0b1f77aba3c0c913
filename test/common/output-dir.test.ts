/** Issue 17: output directories that cannot be: a regular file, /proc, a symlink loop. Refused at once, never a hang. */
import { mkdtempSync, symlinkSync, writeFileSync, existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/common/errors.js'
import { checkOutputDir, describeFsError, makeDirectory, prepareOutputDir, writeFileAtomic } from '../../src/common/fs.js'

const dir = mkdtempSync(join(tmpdir(), 'memgate-outdir-'))
const file = join(dir, 'a-file')
writeFileSync(file, 'x')
symlinkSync('loop-b', join(dir, 'loop-a'))
symlinkSync('loop-a', join(dir, 'loop-b'))

describe('prepareOutputDir', () => {
  it('creates a missing directory and its parents', async () => {
    const target = join(dir, 'new', 'deeper')
    expect(await prepareOutputDir(target, '--out')).toBe(target)
    expect(statSync(target).isDirectory()).toBe(true)
  })

  it.each([
    [file, `--out ${file}: it is a regular file, not a directory.`],
    [join(file, 'sub'), `--out ${join(file, 'sub')}: ${file} is a regular file, not a directory.`],
    ['/dev/null/x', '--out /dev/null/x: /dev/null is a character device, not a directory.'],
    ['/proc/memgate-out', '--out /proc/memgate-out: it is on proc, a kernel filesystem where no file can be written.'],
    ['/proc/1/memgate/deep', '--out /proc/1/memgate/deep: it is on proc, a kernel filesystem where no file can be written.'],
    ['/sys/memgate-out', '--out /sys/memgate-out: it is on sys, a kernel filesystem where no file can be written.'],
    [join(dir, 'loop-a', 'x'), `--out ${join(dir, 'loop-a', 'x')}: it is a symbolic link loop`],
  ])('refuses %s with a usage error, at once', async (target, message) => {
    const started = performance.now()
    const error = await prepareOutputDir(target, '--out').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message.startsWith(message)).toBe(true)
    expect((error as Error).message).toMatch(/Choose a writable directory \(it is created when missing\)\.$/)
    expect(performance.now() - started).toBeLessThan(2000)
    await expect(checkOutputDir(target, '--out')).rejects.toThrow(UsageError)
  })

  it('checkOutputDir creates nothing', async () => {
    const target = join(dir, 'not-yet')
    await checkOutputDir(target)
    expect(existsSync(target)).toBe(false)
  })
})

describe('makeDirectory and the atomic writers', () => {
  it('never hang under /proc (Node’s recursive mkdir loops there forever)', async () => {
    await expect(makeDirectory('/proc/memgate-x/y')).rejects.toThrow(/kernel filesystem/)
    await expect(writeFileAtomic('/proc/memgate-x/run.json', '{}')).rejects.toThrow(UsageError)
  })

  it('fail with ENOTDIR where a file stands in the way, as mkdir does', async () => {
    await expect(makeDirectory(join(file, 'a', 'b'))).rejects.toMatchObject({ code: 'ENOTDIR' })
  })
})

describe('describeFsError', () => {
  it('calls a symlink loop a symlink loop, not a permissions problem', () => {
    expect(describeFsError(Object.assign(new Error('ELOOP: too many symbolic links encountered'), { code: 'ELOOP' }))).toMatch(/^it is a symbolic link loop/)
    expect(describeFsError(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe('permission denied')
  })
})

describe('writing a file where none can be (check --junit, run.json, reports)', () => {
  it('is a usage error naming the path, not an internal error', async () => {
    const sub = join(dir, 'sub-dir')
    await makeDirectory(sub)
    // A directory stands where the file should go (rename fails with EISDIR).
    await expect(writeFileAtomic(sub, 'x')).rejects.toThrow(new UsageError(`Cannot write ${sub}: it is a directory. Choose another path or free the one given.`))
    // A regular file stands where a directory should be (ENOTDIR).
    await expect(writeFileAtomic(join(file, 'j.xml'), 'x')).rejects.toThrow(UsageError)
    await expect(writeFileAtomic(join(file, 'j.xml'), 'x')).rejects.toThrow(/^Cannot write .*a-file\/j\.xml: a part of the path is a file, not a directory\./)
  })
})
