import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openAtomicStream, writeFileAtomic, writeJsonAtomic } from '../../src/common/fs.js'
import { ExitCode, exitCodeFor, InputError, MemgateError, TargetCrashed } from '../../src/common/errors.js'

describe('atomic writes', () => {
  it('replaces a file only when complete and leaves no temp files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'memgate-fs-'))
    const path = join(dir, 'sub', 'run.json')
    await writeJsonAtomic(path, { a: 1 })
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ a: 1 })
    await writeFileAtomic(path, 'two')
    expect(await readFile(path, 'utf8')).toBe('two')
    expect(await readdir(join(dir, 'sub'))).toEqual(['run.json'])
  })
  it('an aborted stream never replaces the good file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'memgate-fs-'))
    const path = join(dir, 'snap.heapsnapshot')
    await writeFile(path, 'good')
    const s = await openAtomicStream(path)
    s.stream.write('half a snap')
    await s.abort()
    expect(await readFile(path, 'utf8')).toBe('good')
    expect(await readdir(dir)).toEqual(['snap.heapsnapshot'])
    const t = await openAtomicStream(path)
    t.stream.write('new')
    await t.commit()
    expect(await readFile(path, 'utf8')).toBe('new')
  })
})

describe('exit codes', () => {
  it('maps errors to the CI contract', () => {
    expect(exitCodeFor(new MemgateError('BUDGET_EXCEEDED', 'x'))).toBe(ExitCode.BudgetExceeded)
    expect(exitCodeFor(new InputError('INPUT_EMPTY', 'x', 'a.png'))).toBe(ExitCode.UsageError)
    expect(exitCodeFor(new TargetCrashed('TARGET_CRASHED', 'x'))).toBe(ExitCode.TargetFailed)
    expect(exitCodeFor(new Error('bug'))).toBe(ExitCode.InternalError)
  })
})
