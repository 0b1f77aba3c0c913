/** `memgate serve` options: defaults, validation at the boundary, Gunicorn's max-requests draw. */
import { describe, expect, it } from 'vitest'
import { drawMaxRequests, resolveServeOptions } from '../../src/service/index.js'
import { runCli } from '../helpers/cli.js'

describe('resolveServeOptions', () => {
  it('fills defaults and sizes threads to cores / workers', () => {
    const o = resolveServeOptions({ cwd: '/srv' }, 2)
    expect(o).toMatchObject({ port: 8080, host: '127.0.0.1', workers: 1, maxRequests: 0, maxRequestsJitter: 0, maxMemoryBytes: 0, timeoutMs: 30_000, concurrency: 2, profile: 'lean', threads: 2, threadsSource: 'cores/workers', naiveEndpoints: false })
    expect(o.store).toEqual({ kind: 'sqlite', file: '/srv/.cache/memgate/serve.db' })
    expect(resolveServeOptions({ workers: 2 }, 2).threads).toBe(1)
    expect(resolveServeOptions({ workers: 4 }, 2).threads).toBe(1)
    expect(resolveServeOptions({ workers: 2, threads: 3 }, 2)).toMatchObject({ threads: 3, threadsSource: 'option' })
  })

  it('uses PostgreSQL when a database URL is given, and parses sizes', () => {
    const o = resolveServeOptions({ databaseUrl: 'postgresql://u@h/db', maxMemory: '600 MiB', maxBodyBytes: '1 MB' })
    expect(o.store).toEqual({ kind: 'postgres', url: 'postgresql://u@h/db' })
    expect(o.maxMemoryBytes).toBe(600 * 2 ** 20)
    expect(o.maxBodyBytes).toBe(1_000_000)
  })

  it('picks the store from --store, else from the database URL', () => {
    expect(resolveServeOptions({ databaseUrl: 'postgresql://u@h/db', store: 'sqlite', cwd: '/srv' }).store).toEqual({ kind: 'sqlite', file: '/srv/.cache/memgate/serve.db' })
    expect(resolveServeOptions({ databaseUrl: 'postgresql://u@h/db', store: 'postgres' }).store).toEqual({ kind: 'postgres', url: 'postgresql://u@h/db' })
    expect(() => resolveServeOptions({ store: 'postgres' })).toThrow(/--store postgres needs a PostgreSQL connection string in DATABASE_URL/)
    expect(() => resolveServeOptions({ store: 'mysql' as never })).toThrow("Unknown store 'mysql' for --store; choose one of sqlite, postgres")
  })

  it.each([
    [{ workers: 0 }, /integer from 1 to 64 for --workers but received 0/],
    [{ port: 70000 }, /--port/],
    [{ concurrency: 0 }, /--concurrency/],
    [{ timeoutSec: 0 }, /seconds above 0 for --timeout/],
    [{ maxMemory: 'lots' }, /size like '500 MB'.*--max-memory/],
    [{ profile: 'fast' as never }, /Unknown profile 'fast' for --profile; choose one of default, lean/],
  ])('rejects %o', (raw, message) => {
    expect(() => resolveServeOptions(raw)).toThrow(message)
  })
})

describe('drawMaxRequests', () => {
  it('is N + randint(0, J), or null when recycling by count is off', () => {
    expect(drawMaxRequests({ maxRequests: 0, maxRequestsJitter: 5 })).toBeNull()
    expect(drawMaxRequests({ maxRequests: 50, maxRequestsJitter: 10 }, () => 0)).toBe(50)
    expect(drawMaxRequests({ maxRequests: 50, maxRequestsJitter: 10 }, () => 0.999999)).toBe(60)
    const seen = new Set(Array.from({ length: 500 }, () => drawMaxRequests({ maxRequests: 5, maxRequestsJitter: 2 })))
    expect([...seen].sort()).toEqual([5, 6, 7])
  })
})

describe('memgate serve (CLI)', () => {
  it('exits 2 with the option named on a bad flag, before starting anything', async () => {
    const r = await runCli(['serve', '--workers', '0'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toBe('memgate: CONFIG_INVALID: Expected an integer from 1 to 64 for --workers but received 0\n')
  })

  it('exits 2 on --store postgres without DATABASE_URL, naming what to set', async () => {
    const r = await runCli(['serve', '--store', 'postgres'], { env: {} })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^memgate: CONFIG_INVALID: --store postgres needs a PostgreSQL connection string in DATABASE_URL .* Set it, or use --store sqlite\.\n$/)
  })

  it('lists its flags in --help', async () => {
    const r = await runCli(['serve', '--help'])
    expect(r.exitCode).toBe(0)
    for (const flag of ['--workers', '--max-requests', '--max-requests-jitter', '--max-memory', '--timeout', '--concurrency', '--profile', '--threads', '--db', '--store', '--max-body', '--naive-endpoints', '--events-file']) expect(r.stdout).toContain(flag)
    expect(r.stdout).not.toContain('--engine-module')
  })
})
