/**
 * The `memgate serve` scenarios share one service declaration (scenarios/_service.ts), and the
 * data-access scenario picks its store from a param. No process starts: the declarations are
 * called as the runner would call them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import serviceData from '../../scenarios/service-data.js'
import serviceLoad from '../../scenarios/service-load.js'
import serviceSoak from '../../scenarios/service-soak.js'
import serviceStress from '../../scenarios/service-stress.js'
import type { ServiceCommandContext, ServiceDefinition } from '../../src/scenario/index.js'

const workDir = mkdtempSync(join(tmpdir(), 'memgate-service-scenarios-'))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

function defaults(specs: Record<string, { default: unknown }> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(specs ?? {}).map(([k, v]) => [k, v.default]))
}

function commandOf(service: ServiceDefinition<any>, params: Record<string, unknown>): string[] {
  const ctx: ServiceCommandContext<any> = { params, variant: 'lean', port: 4321, host: '127.0.0.1', workDir, repeat: 0 }
  return [...(typeof service.command === 'function' ? service.command(ctx) : service.command)]
}

const scenarios = [serviceLoad, serviceSoak, serviceStress, serviceData]

describe('memgate serve scenarios', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s starts `memgate serve --port <port>`, ready on /healthz, with serve\'s lifecycle events', (_name, scenario) => {
    const service = scenario.service!
    const argv = commandOf(service, defaults(scenario.params))
    expect(argv.slice(2, 5)).toEqual(['serve', '--port', '4321'])
    expect(argv[1]).toMatch(/bin[/\\]memgate\.js$/)
    expect(service.ready).toEqual({ http: '/healthz' })
    expect(service.events!('{"atMs":5,"event":"worker-retire","pid":42,"reason":"max-requests"}', 'stderr')).toMatchObject({ atMs: 5, kind: 'recycle', pid: 42 })
    expect(service.events!('{"atMs":5,"event":"worker-kill","pid":42}', 'stderr')).toMatchObject({ kind: 'kill' })
    expect(service.events!('{"atMs":5,"event":"worker-ready","pid":42}', 'stderr')).toBeNull()
  })

  it('keeps each scenario its own flags and timings', () => {
    expect(commandOf(serviceSoak.service!, defaults(serviceSoak.params))).toEqual(expect.arrayContaining(['--max-requests', String(serviceSoak.params!.maxRequests.default)]))
    expect(commandOf(serviceStress.service!, { ...defaults(serviceStress.params), concurrency: 3 }).join(' ')).toContain('--concurrency 3')
    expect(serviceLoad.service!.readyTimeoutMs).toBe(90_000)
    expect(serviceData.service!.readyTimeoutMs).toBe(30_000)
    expect(serviceData.service!.smapsMinIntervalMs).toBe(250)
  })

  it('service-data selects the store with its store param (auto leaves it to DATABASE_URL)', () => {
    const base = defaults(serviceData.params)
    expect(base.store).toBe('auto')
    expect(serviceData.params!.store.choices).toEqual(['auto', 'sqlite', 'postgres'])
    expect(commandOf(serviceData.service!, base)).not.toContain('--store')
    expect(commandOf(serviceData.service!, { ...base, store: 'postgres' }).join(' ')).toContain('--store postgres')
    expect(commandOf(serviceData.service!, { ...base, store: 'sqlite' }).join(' ')).toContain('--store sqlite')
  })
})
