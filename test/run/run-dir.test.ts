import { mkdtempSync, readlinkSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeEnvironment, memoryRelevantEnv } from '../../src/scenario/harness.js'
import { newRunId, pointLatest, writeRun, type RunResult } from '../../src/run/index.js'

describe('run directory', () => {
  it('makes sortable ids from UTC time', () => {
    expect(newRunId(new Date('2025-03-01T12:34:56.789Z'))).toMatch(/^20250301-123456-[0-9a-f]{4}$/)
    expect(newRunId(new Date('2025-03-01T12:34:56Z')) < newRunId(new Date('2025-03-01T12:34:57Z'))).toBe(true)
  })

  it('repoints latest at the newest run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'memgate-latest-'))
    await pointLatest(out, 'a')
    await pointLatest(out, 'b')
    expect(readlinkSync(join(out, 'latest'))).toBe('b')
  })

  it('refuses to write a run that fails its own schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-run-'))
    await expect(writeRun(dir, { schemaVersion: 1, id: 'x' } as unknown as RunResult)).rejects.toThrow(/memgate built a run\.json that fails its schema at createdAt/)
    await expect(readFile(join(dir, 'run.json'))).rejects.toThrow(/ENOENT/)
  })
})

describe('environment', () => {
  it('records memory-relevant variables only, never the rest of the environment', () => {
    const env = { MALLOC_ARENA_MAX: '2', LD_PRELOAD: '/usr/lib/libjemalloc.so', UV_THREADPOOL_SIZE: '8', AWS_SECRET_ACCESS_KEY: 'x', HOME: '/root', NODE_OPTIONS: '--max-old-space-size=512' }
    expect(memoryRelevantEnv(env)).toEqual({ LD_PRELOAD: '/usr/lib/libjemalloc.so', MALLOC_ARENA_MAX: '2', NODE_OPTIONS: '--max-old-space-size=512', UV_THREADPOOL_SIZE: '8' })
    expect(describeEnvironment(env)).toMatchObject({ mallocArenaMax: '2', ldPreload: '/usr/lib/libjemalloc.so', ci: false, node: process.versions.node })
    expect(describeEnvironment({ CI: 'true' }).ci).toBe(true)
  })
})
