/** Baseline files: what they summarise, where they live, how they are read back and compared. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { baselineChanges, changeRows } from '../../src/baseline/baseline-changes.js'
import { baselineMismatch, summarizeBaseline } from '../../src/baseline/baseline-file.js'
import { baselinePath, lookupBaseline, readBaselineFile, writeBaseline } from '../../src/baseline/store.js'
import { InputError } from '../../src/common/errors.js'
import { makeRun, makeScenario, MiB, peaks, tempDir } from '../fixtures/gate/runs.js'

describe('baselines', () => {
  const scenario = makeScenario('load', [{ peakRssBytes: 400 * MiB }, { peakRssBytes: 410 * MiB }, { peakRssBytes: 404 * MiB }, { state: 'failed', peakRssBytes: 900 * MiB }])
  const run = makeRun([scenario])

  it('summarises the completed repeats per metric (values, median, MAD), not their timelines', () => {
    const b = summarizeBaseline(run, scenario, 'abc123', new Date('2025-02-03T04:05:06Z'))
    expect(b).toMatchObject({ schemaVersion: 1, kind: 'memgate.baseline', scenario: 'load', variant: 'lean', params: { pages: 4 }, platform: 'linux', arch: 'x64', nodeMajor: 20, node: 'v20.20.2', runId: run.id, gitCommit: 'abc123', repeats: 3, createdAt: '2025-02-03T04:05:06.000Z' })
    expect(b.metrics.peakRss).toEqual({ unit: 'bytes', values: [400 * MiB, 410 * MiB, 404 * MiB], median: 404 * MiB, mad: 4 * MiB })
    expect(b.metrics.throughput?.median).toBe(10)
    expect(b.metrics.cer).toBeUndefined()
    expect(JSON.stringify(b)).not.toContain('timeline')
  })

  it('writes one file per scenario, platform and Node major atomically and reads it back', async () => {
    const dir = tempDir()
    const b = summarizeBaseline(run, scenario, null)
    const file = await writeBaseline(dir, b)
    expect(file).toBe(join(dir, 'load.linux-x64.node20.json'))
    expect(baselinePath(dir, b)).toBe(file)
    // Renamed into place: no temporary file is left beside it.
    expect(readdirSync(dir)).toEqual(['load.linux-x64.node20.json'])
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true)
    expect(await readBaselineFile(file)).toEqual(b)
    expect(await lookupBaseline(dir, run, scenario)).toEqual({ state: 'found', file, baseline: b })
    expect(await lookupBaseline(tempDir(), run, scenario)).toMatchObject({ state: 'missing' })
  })

  it('rejects a broken baseline file with a message that says how to repair it', async () => {
    const dir = tempDir()
    const file = join(dir, 'load.linux-x64.node20.json')
    writeFileSync(file, '{"schemaVersion":1,"kind":"memgate.baseline"}')
    const error = await readBaselineFile(file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).code).toBe('BASELINE_INVALID')
    expect((error as Error).message).toMatch(/^Baseline .*load\.linux-x64\.node20\.json is not valid at scenario: .*; restore it from git or rewrite it with `memgate baseline update`\.$/)
    writeFileSync(file, '{not json')
    await expect(readBaselineFile(file)).rejects.toThrow(/is not JSON/)
  })

  it('says when a baseline measured another workload', () => {
    const b = summarizeBaseline(run, scenario, null)
    expect(baselineMismatch(b, scenario)).toBeNull()
    expect(baselineMismatch(b, makeScenario('load', peaks(1), { profile: 'default' }))).toBe("the baseline was measured with profile 'lean', this run with 'default'")
    expect(baselineMismatch(b, makeScenario('load', peaks(1), { params: { pages: 8, lang: 'es' } }))).toBe('parameters differ from the baseline\'s: lang="es" (baseline unset), pages=8 (baseline 4)')
  })

  it('lists old → new medians with the change', () => {
    const old = summarizeBaseline(run, scenario, null)
    const next = summarizeBaseline(makeRun([makeScenario('load', peaks(420, 424, 430))]), makeScenario('load', peaks(420, 424, 430)), null)
    const rows = changeRows(baselineChanges(old, next))
    expect(rows[0]).toEqual(['peak-rss', '404 MiB', '424 MiB', '+5.0%'])
    expect(changeRows(baselineChanges(null, next))[0]).toEqual(['peak-rss', '—', '424 MiB', 'new'])
  })
})
