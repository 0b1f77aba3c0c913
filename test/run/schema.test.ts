import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/common/errors.js'
import { parseRun, RUN_SCHEMA_VERSION, type RunResult } from '../../src/run/index.js'
import type { MemorySample } from '../../src/probe/types.js'

function sample(atMs: number, rssBytes: number): MemorySample {
  return {
    atMs, pid: 42, rssBytes, peakRssBytes: rssBytes, swapBytes: 0, threads: 7, pssBytes: null, privateBytes: null,
    heapUsedBytes: 1e6, heapTotalBytes: 2e6, externalBytes: 1e5, arrayBuffersBytes: 1e4, heapSpaces: { old_space: { usedBytes: 1, sizeBytes: 2 } },
    cpuUserMs: 10, cpuSystemMs: 2, eventLoopDelayP99Ms: null,
  }
}

/** A small but complete run, built by code. */
export function validRun(): RunResult {
  return {
    schemaVersion: 1,
    id: '20250101-000000-abcd',
    createdAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:05.000Z',
    memgateVersion: '0.1.0',
    argv: ['run', 'load'],
    options: { repeat: 1, snapshots: null, timeoutMs: 900_000, intervalMs: 100, memoryLimitBytes: null },
    environment: {
      node: '20.0.0', v8: '11', platform: 'linux', arch: 'x64', osRelease: '6', cpuModel: 'cpu', cpuCount: 2,
      totalMemoryBytes: 8e9, libc: 'glibc 2.36', mallocArenaMax: null, ldPreload: null, ci: false,
    },
    scenarios: [
      {
        name: 'load', description: 'd', module: '/x/load.js', params: { pages: 2, lang: 'en', burst: false }, variant: 'lean', settings: { arena: false },
        analysis: null,
        repeats: [
          {
            index: 0, pass: 'measure', state: 'completed', failure: null, pid: 42, startedAtMs: 0, endedAtMs: 5000, exitCode: 0, signal: null,
            nodeFlags: ['--expose-gc'], env: {}, loader: 'node', memoryLimitBytes: null, intervalMs: 100, peakRssBytes: 3e8, settings: { arena: false },
            timeline: [sample(0, 1e8), sample(100, 2e8)],
            stages: [
              {
                name: 'recognize', kind: 'work', state: 'completed', error: null, startedAtMs: 10, endedAtMs: 4000, before: sample(10, 1e8), after: sample(4000, 2e8),
                peakRssBytes: 3e8, peakRssSource: 'vmhwm',
                ops: { count: 2, errors: 0, durationMs: 3990, throughputPerSec: 0.5, latencyMs: { p50: 1, p95: 2, p99: 2, mean: 1.5, min: 1, max: 2 }, source: 'op', errorMessages: [] },
                metrics: { cer: 0.01 }, snapshots: {},
              },
            ],
          },
        ],
      },
    ],
  }
}

describe('parseRun', () => {
  it('accepts a complete run and survives a JSON round trip', () => {
    const run = validRun()
    expect(parseRun(JSON.parse(JSON.stringify(run)), 'run.json')).toEqual(run)
    expect(run.schemaVersion).toBe(RUN_SCHEMA_VERSION)
  })

  it('ignores keys it does not know, so newer files still read', () => {
    const run = { ...validRun(), addedLater: { x: 1 } }
    expect(() => parseRun(run, 'run.json')).not.toThrow()
  })

  it('names the path of the first bad field', () => {
    const run = validRun() as unknown as { scenarios: { repeats: { stages: { ops: { count: unknown } }[] }[] }[] }
    run.scenarios[0]!.repeats[0]!.stages[0]!.ops.count = -1
    let error: unknown
    try {
      parseRun(run, 'reports/x/run.json')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).code).toBe('RUN_INVALID')
    expect((error as InputError).source).toBe('reports/x/run.json')
    expect((error as Error).message).toMatch(/^reports\/x\/run\.json is not a valid run\.json: at scenarios\[0\]\.repeats\[0\]\.stages\[0\]\.ops\.count: /)
  })

  it('refuses another schema version with a clear message', () => {
    expect(() => parseRun({ ...validRun(), schemaVersion: 2 }, 'old.json')).toThrow('old.json has schemaVersion 2; this memgate reads version 1.')
  })

  it('rejects an unknown failure kind and a missing stage state', () => {
    const run = validRun()
    const repeat = run.scenarios[0]!.repeats[0]!
    const bad = { ...run, scenarios: [{ ...run.scenarios[0]!, repeats: [{ ...repeat, failure: { kind: 'bored', message: 'm', signal: null, exitCode: null, stage: null, evidence: null, stderrTail: '' } }] }] }
    expect(() => parseRun(bad, 'r.json')).toThrow(/at scenarios\[0\]\.repeats\[0\]\.failure\.kind/)
  })
})
