/** `--shard i/n`: parsing (src/run/shard.ts), the share each shard runs (src/config/run-options.ts), the CLI flag. */
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/common/errors.js'
import { resolveRunOptions, shardShare } from '../../src/config/run-options.js'
import { formatShard, parseShard } from '../../src/run/shard.js'
import { runCli } from '../helpers/cli.js'

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, count: 2 })
    expect(parseShard('2/2')).toEqual({ index: 2, count: 2 })
    expect(parseShard(' 3 / 7 ')).toEqual({ index: 3, count: 7 })
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 })
    expect(formatShard(parseShard('4/9'))).toBe('4/9')
  })

  it.each([
    ['0/2', 'shard 0 does not exist among 2 (shards count from 1 to 2)'],
    ['3/2', 'shard 3 does not exist among 2 (shards count from 1 to 2)'],
    ['1/0', 'the number of shards must be at least 1'],
    ['a/b', 'takes i/n (this job\'s shard i of n shards) but received "a/b"'],
    ['2', 'but received "2"'],
    ['-1/2', 'but received "-1/2"'],
    ['1.5/2', 'but received "1.5/2"'],
    ['', 'but received ""'],
  ])('refuses %j with a UsageError', (text, message) => {
    expect(() => parseShard(text)).toThrow(UsageError)
    expect(() => parseShard(text)).toThrow(message)
  })
})

describe('shardShare', () => {
  const list = (m: number): string[] => Array.from({ length: m }, (_, i) => `s${i}`)

  it('splits into contiguous blocks in configured order', () => {
    const all = ['startup', 'load', 'stability', 'precision']
    expect(shardShare(all, { index: 1, count: 2 })).toEqual(['startup', 'load'])
    expect(shardShare(all, { index: 2, count: 2 })).toEqual(['stability', 'precision'])
    expect([1, 2, 3].map((index) => shardShare(all, { index, count: 3 }))).toEqual([['startup'], ['load'], ['stability', 'precision']])
  })

  it('is disjoint, covers every scenario once, is balanced and deterministic for every split', () => {
    for (let m = 1; m <= 13; m++) {
      const all = list(m)
      for (let n = 1; n <= m; n++) {
        const shares = Array.from({ length: n }, (_, i) => shardShare(all, { index: i + 1, count: n }))
        // Joined in shard order they are the list itself: disjoint, complete, in order.
        expect(shares.flat()).toEqual(all)
        const sizes = shares.map((s) => s.length)
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
        expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1)
        expect(Array.from({ length: n }, (_, i) => shardShare([...all], { index: i + 1, count: n }))).toEqual(shares)
      }
    }
  })

  it('refuses more shards than scenarios and a shard outside 1..n', () => {
    expect(() => shardShare(list(3), { index: 4, count: 4 })).toThrow('--shard 4/4: 4 shards for 3 scenarios would leave a shard with nothing to run; use at most 3 shards.')
    expect(() => shardShare(list(3), { index: 0, count: 2 })).toThrow(UsageError)
  })
})

describe('resolveRunOptions with a shard', () => {
  it('keeps the shard share of the resolved list and records the shard', () => {
    const o = resolveRunOptions({ shard: { index: 2, count: 2 } }, { scenarios: ['a', 'b', 'c'] }, '/w')
    expect(o.scenarios).toEqual(['b', 'c'])
    expect(o.shard).toEqual({ index: 2, count: 2 })
    const whole = resolveRunOptions({}, { scenarios: ['a', 'b', 'c'] }, '/w')
    expect(whole.scenarios).toEqual(['a', 'b', 'c'])
    expect(whole.shard).toBeUndefined()
  })

  it('shards the default suite and scenarios named on the command line alike', () => {
    expect(resolveRunOptions({ shard: { index: 1, count: 2 } }, undefined, '/w')).toMatchObject({ scenarios: ['startup', 'load'], defaultSuite: true })
    expect(resolveRunOptions({ shard: { index: 1, count: 2 }, scenarios: ['x.mjs', 'y'] }, undefined, '/w').scenarios).toEqual(['/w/x.mjs'])
  })
})

describe('--shard on the command line', () => {
  it.each([['run'], ['check'], ['baseline', 'update']])('memgate %s exits 2 on a bad shard before running anything', async (...command) => {
    const bad = await runCli([...command, '--shard', '3/2', '--out', '/nonexistent/memgate-never'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toBe("memgate: --shard 3/2: shard 3 does not exist among 2 (shards count from 1 to 2); write --shard i/n with 1 ≤ i ≤ n, e.g. --shard 1/2 and --shard 2/2 in two CI jobs.\nRun 'memgate --help' for usage.\n")
  })

  it('refuses a shard of a finished run and a repeated --shard', async () => {
    const withRun = await runCli(['check', '--shard', '1/2', '--run', 'reports/latest'])
    expect(withRun.exitCode).toBe(2)
    expect(withRun.stderr).toMatch(/^memgate: Arguments shard and run are mutually exclusive\n/)
    const twice = await runCli(['run', '--shard', '1/2', '--shard', '2/2'])
    expect(twice.exitCode).toBe(2)
    expect(twice.stderr).toMatch(/^memgate: --shard was given 2 times \(1\/2, 2\/2\); give it once\.\n/)
  })

  it('is in the help of run and check', async () => {
    for (const command of ['run', 'check']) {
      const { exitCode, stdout } = await runCli([command, '--help'])
      expect(exitCode).toBe(0)
      expect(stdout).toMatch(/--shard +run only shard i of n \(e\.g\. 1\/2\)/)
    }
  })
})
