/** `memgate merge`: partial runs (hand-made run.json) into one run directory, and every refusal. */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { planMerge, readPartialRun, readRun, type RunResult } from '../../src/run/index.js'
import { makeRun, makeScenario, peaks, tempDir } from '../fixtures/gate/runs.js'
import { runCli } from '../helpers/cli.js'

type Shard = { index: number; count: number }

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** A fresh directory, removed after the tests. */
function temp(): string {
  const dir = tempDir('memgate-merge-')
  made.push(dir)
  return dir
}

/** A finished partial run of `names` (one measuring repeat each), shard `shard` when given. */
function partial(names: string[], shard: Shard | null, edit: (run: RunResult) => void = () => undefined, id = `2025010${shard?.index ?? 9}-000000-p${shard?.index ?? 0}`): RunResult {
  const run: RunResult = { ...makeRun(names.map((n) => makeScenario(n, peaks(300))), id), ...(shard ? { shard } : {}), state: 'finished', planned: names }
  edit(run)
  return run
}

/** Writes `run` into `<root>/<name>/run.json`, with a heap snapshot file for each scenario's first stage. */
function writePartial(root: string, name: string, run: RunResult): string {
  const dir = join(root, name)
  for (const s of run.scenarios) {
    const file = `snapshots/${s.name}/setup-before.heapsnapshot`
    const stage = s.repeats[0]?.stages[0]
    if (stage) stage.snapshots.before = { file, sizeBytes: 4, durationMs: 1, rssBeforeBytes: null, rssAfterBytes: null }
    mkdirSync(join(dir, 'snapshots', s.name), { recursive: true })
    writeFileSync(join(dir, file), `heap of ${s.name}`)
  }
  mkdirSync(join(dir, 'extra', 'extra-1'), { recursive: true })
  writeFileSync(join(dir, 'extra', 'extra-1', 'run.json'), '{}\n')
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(run, null, 2)}\n`)
  return dir
}

async function merge(root: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return runCli(['merge', ...args], { cwd: root, env: {} })
}

describe('memgate merge', () => {
  it('joins the shards in shard order into a new run and copies what run.json references', async () => {
    const root = temp()
    writePartial(root, 's2', partial(['gamma', 'delta'], { index: 2, count: 2 }))
    writePartial(root, 's1', partial(['alpha', 'beta'], { index: 1, count: 2 }))
    const { exitCode, stdout, stderr } = await merge(root, ['s2', 's1', '--out', 'merged'])
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    expect(stdout).toBe(`Merged shard 1/2, shard 2/2: 4 scenarios (alpha, beta, gamma, delta), 4 referenced files copied.\nRun written to ${join(root, 'merged', 'run.json')}\n`)

    const { run } = await readRun(root, 'merged')
    expect(run.scenarios.map((s) => s.name)).toEqual(['alpha', 'beta', 'gamma', 'delta'])
    expect(run.id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/)
    expect(run.shard).toBeUndefined()
    expect(run.planned).toEqual(['alpha', 'beta', 'gamma', 'delta'])
    expect(run.state).toBe('finished')
    expect(run.argv).toEqual(['merge', 's2', 's1', '--out', 'merged'])
    expect(run.options).toEqual(makeRun([]).options)
    for (const s of run.scenarios) {
      const file = s.repeats[0]?.stages[0]?.snapshots.before?.file
      expect(file).toBe(`snapshots/${s.name}/setup-before.heapsnapshot`)
      expect(readFileSync(join(root, 'merged', file!), 'utf8')).toBe(`heap of ${s.name}`)
    }
    // The rest of each partial is kept as provenance; referenced files are not copied twice.
    expect(readdirSync(join(root, 'merged', 'partials')).sort()).toEqual(['shard-1-of-2', 'shard-2-of-2'])
    expect(existsSync(join(root, 'merged', 'partials', 'shard-1-of-2', 'extra', 'extra-1', 'run.json'))).toBe(true)
    expect(JSON.parse(readFileSync(join(root, 'merged', 'partials', 'shard-2-of-2', 'run.json'), 'utf8')).shard).toEqual({ index: 2, count: 2 })
    expect(existsSync(join(root, 'merged', 'partials', 'shard-1-of-2', 'snapshots'))).toBe(false)
    // No temporary directory is left beside it.
    expect(readdirSync(root).sort()).toEqual(['merged', 's1', 's2'])

    // The merged run is gated like any run.
    const check = await runCli(['check', '--run', 'merged', '--json', '--no-explain', '--baselines', 'none'], { cwd: root, env: {} })
    const report = JSON.parse(check.stdout) as { runId: string; scenarios: { scenario: string }[] }
    expect(report.runId).toBe(run.id)
    expect(report.scenarios.map((s) => s.scenario)).toEqual(['alpha', 'beta', 'gamma', 'delta'])
  })

  it('reads an output directory through latest (a link, or a copy as CI artifacts hold it) and defaults to reports/<id>', async () => {
    const root = temp()
    const one = partial(['alpha'], { index: 1, count: 2 })
    writePartial(join(root, 'out1'), one.id, one)
    symlinkSync(one.id, join(root, 'out1', 'latest'))
    writePartial(join(root, 'out2'), 'latest', partial(['beta'], { index: 2, count: 2 }))
    const { exitCode, stdout } = await merge(root, ['out1', 'out2'])
    expect(exitCode).toBe(0)
    const id = /reports\/(\S+)\/run\.json/.exec(stdout)?.[1]
    expect((await readRun(root, 'reports/latest')).run.id).toBe(id)
    expect((await readRun(root, 'reports/latest')).run.scenarios.map((s) => s.name)).toEqual(['alpha', 'beta'])
  })

  it('names the runs of an output directory that holds several and no latest', async () => {
    const root = temp()
    writePartial(join(root, 'out'), 'a', partial(['alpha'], { index: 1, count: 2 }))
    writePartial(join(root, 'out'), 'b', partial(['beta'], { index: 2, count: 2 }))
    const { exitCode, stderr } = await merge(root, ['out', '--out', 'merged'])
    expect(exitCode).toBe(2)
    expect(stderr).toMatch(/^memgate: out holds 2 runs \(a, b\) and no 'latest'; name the run directory of the shard, e.g. out\/b\.\n/)
  })

  it('keeps two partials’ files apart when their paths collide', () => {
    const a = partial(['alpha'], { index: 1, count: 2 })
    const b = partial(['beta'], { index: 2, count: 2 })
    for (const r of [a, b]) {
      const stage = r.scenarios[0]?.repeats[0]?.stages[0]
      if (stage) stage.snapshots.after = { file: 'snapshots/shared.heapsnapshot', sizeBytes: 1, durationMs: 1, rssBeforeBytes: null, rssAfterBytes: null }
    }
    const plan = planMerge([{ run: a, dir: '/p/a', given: 'a' }, { run: b, dir: '/p/b', given: 'b' }], { argv: ['merge'] })
    expect(plan.copies).toEqual([
      { from: '/p/a/snapshots/shared.heapsnapshot', to: 'snapshots/shared.heapsnapshot' },
      { from: '/p/b/snapshots/shared.heapsnapshot', to: 'partials/shard-2-of-2/snapshots/shared.heapsnapshot' },
    ])
    expect(plan.run.scenarios[1]?.repeats[0]?.stages[0]?.snapshots.after?.file).toBe('partials/shard-2-of-2/snapshots/shared.heapsnapshot')
    // What was read is left as it was.
    expect(b.scenarios[0]?.repeats[0]?.stages[0]?.snapshots.after?.file).toBe('snapshots/shared.heapsnapshot')
  })
})

describe('memgate merge refuses (exit 2)', () => {
  async function refused(runs: [string, RunResult][], extra: string[] = []): Promise<string> {
    const root = temp()
    for (const [name, run] of runs) writePartial(root, name, run)
    const { exitCode, stdout, stderr } = await merge(root, [...runs.map(([n]) => n), '--out', 'merged', ...extra])
    expect(stdout).toBe('')
    expect(exitCode).toBe(2)
    expect(existsSync(join(root, 'merged'))).toBe(false)
    return stderr
  }
  const s1 = (edit?: (r: RunResult) => void): [string, RunResult] => ['s1', partial(['alpha'], { index: 1, count: 2 }, edit)]
  const s2 = (edit?: (r: RunResult) => void): [string, RunResult] => ['s2', partial(['beta'], { index: 2, count: 2 }, edit)]

  it('a missing shard, unless --allow-partial', async () => {
    const three = (i: number, name: string): [string, RunResult] => [`s${i}`, partial([name], { index: i, count: 3 })]
    expect(await refused([three(1, 'alpha'), three(3, 'gamma')])).toBe(
      "memgate: Shard 2/3 is missing (given 1/3, 3/3), so the merged run would not hold the whole suite. Give the run directory of every shard, or pass --allow-partial to merge what there is.\nRun 'memgate --help' for usage.\n",
    )
    const root = temp()
    writePartial(root, 's1', partial(['alpha'], { index: 1, count: 3 }))
    writePartial(root, 's3', partial(['gamma'], { index: 3, count: 3 }))
    const allowed = await merge(root, ['s1', 's3', '--out', 'merged', '--allow-partial'])
    expect(allowed.exitCode).toBe(0)
    expect(allowed.stderr).toBe('memgate: note: shard 2/3 missing: the merged run holds only shards 1/3, 3/3 (--allow-partial).\n')
    expect((await readRun(root, 'merged')).run.scenarios.map((s) => s.name)).toEqual(['alpha', 'gamma'])
  })

  it('a run that is not a shard, unless --allow-partial', async () => {
    expect(await refused([s1(), ['whole', partial(['beta'], null)]])).toMatch(/^memgate: whole is not a partial run \(no --shard i\/n recorded\), so nothing says the merge holds the whole suite\. .* or pass --allow-partial to combine these runs anyway\.\n/)
  })

  it('the same scenario in two shards', async () => {
    expect(await refused([s1(), ['s2', partial(['beta', 'alpha'], { index: 2, count: 2 })]])).toBe(
      "memgate: INPUT_INVALID: Scenario 'alpha' is in both shard 1/2 (s1) and shard 2/2 (s2); each scenario must be measured in one shard only. Were the shards split over different scenario lists?\n",
    )
  })

  it('two runs of one shard, and one run given twice', async () => {
    expect(await refused([s1(), ['again', partial(['beta'], { index: 1, count: 2 }, () => undefined, '20250101-000000-zz')]])).toMatch(/^memgate: again and s1 are both shard 1\/2 \(runs 20250101-000000-p1 and 20250101-000000-zz\); give one run per shard\.\n/)
    const root = temp()
    writePartial(root, 's1', partial(['alpha'], { index: 1, count: 2 }))
    const twice = await merge(root, ['s1', 's1/run.json'])
    expect(twice.exitCode).toBe(2)
    expect(twice.stderr).toMatch(/^memgate: s1\/run\.json and s1 are the same run \(20250101-000000-p1\); give each shard's run once\.\n/)
  })

  it('shards of different splits', async () => {
    expect(await refused([s1(), ['s2', partial(['beta'], { index: 2, count: 3 })]])).toMatch(/^memgate: INPUT_INVALID: shard 1\/2 \(s1\) and shard 2\/3 \(s2\) come from different splits \(2 shards vs 3\)/)
  })

  it.each<[string, (r: RunResult) => void, string]>([
    ['repeat', (r) => ((r.options.repeat = 2), r.scenarios.forEach((s) => s.repeats.push({ ...s.repeats[0]!, index: 1 }))), 'options.repeat 1 vs 2'],
    ['timeout', (r) => void (r.options.timeoutMs = 1000), 'options.timeoutMs 60000 vs 1000'],
    ['interval', (r) => void (r.options.intervalMs = 20), 'options.intervalMs 100 vs 20'],
    ['memory limit', (r) => void (r.options.memoryLimitBytes = 512), 'options.memoryLimitBytes null vs 512'],
    ['snapshots', (r) => void (r.options.snapshots = 'stages'), 'options.snapshots null vs "stages"'],
    ['memgate version', (r) => void (r.memgateVersion = '0.2.0'), 'memgateVersion "0.1.0" vs "0.2.0"'],
    ['MALLOC_ARENA_MAX', (r) => void (r.environment.mallocArenaMax = '2'), 'environment.mallocArenaMax null vs "2"'],
  ])('a different config: %s', async (_what, edit, difference) => {
    expect(await refused([s1(), s2(edit)])).toBe(
      `memgate: INPUT_INVALID: shard 1/2 (s1) and shard 2/2 (s2) were measured differently: ${difference}. Merge only shards of one matrix over one commit and config (same memgate, same run options).\n`,
    )
  })

  it.each<[string, (r: RunResult) => void, string]>([
    ['platform', (r) => void (r.environment.platform = 'darwin'), 'environment.platform "linux" vs "darwin"'],
    ['arch', (r) => void (r.environment.arch = 'arm64'), 'environment.arch "x64" vs "arm64"'],
    ['Node major', (r) => void (r.environment.node = 'v22.1.0'), 'Node major "20" vs "22"'],
  ])('an incomparable machine: %s, even with --allow-mixed-machines', async (_what, edit, difference) => {
    expect(await refused([s1(), s2(edit)], ['--allow-mixed-machines'])).toBe(
      `memgate: INPUT_INVALID: shard 1/2 (s1) and shard 2/2 (s2) ran on incomparable machines: ${difference}. Baselines are kept per platform, arch and Node major; run every shard on the same runner image and Node.\n`,
    )
  })

  it('a different CPU model or core count, unless --allow-mixed-machines', async () => {
    const edit = (r: RunResult): void => {
      r.environment.cpuModel = 'other cpu'
      r.environment.cpuCount = 4
    }
    expect(await refused([s1(), s2(edit)])).toMatch(/^memgate: INPUT_INVALID: shard 1\/2 \(s1\) and shard 2\/2 \(s2\) ran on different machines: environment\.cpuModel "test cpu" vs "other cpu"; environment\.cpuCount 2 vs 4\. .*--allow-mixed-machines/)
    const root = temp()
    writePartial(root, 's1', s1()[1])
    writePartial(root, 's2', s2(edit)[1])
    const allowed = await merge(root, ['s1', 's2', '--out', 'merged', '--allow-mixed-machines'])
    expect(allowed.exitCode).toBe(0)
    expect(allowed.stderr).toMatch(/^memgate: note: shard 2\/2 \(s2\) ran on a different machine than shard 1\/2 \(s1\) .*; run\.json records shard 1\/2 \(s1\)'s \(--allow-mixed-machines\)\.\n$/)
    // A minor Node version, the OS release or the memory size may differ.
  })

  it('an unfinished partial, with exit 3 as the gate', async () => {
    const root = temp()
    writePartial(root, 's1', partial(['alpha'], { index: 1, count: 2 }))
    writePartial(root, 's2', partial(['beta'], { index: 2, count: 2 }, (r) => void (r.state = 'interrupted')))
    writePartial(root, 's2b', partial(['beta'], { index: 2, count: 2 }, (r) => void (r.planned = ['beta', 'delta'])))
    const interrupted = await merge(root, ['s1', 's2', '--out', 'merged'])
    expect(interrupted.exitCode).toBe(3)
    expect(interrupted.stderr).toBe('memgate: RUN_INCOMPLETE: shard 2/2 (s2): run 20250102-000000-p2 was interrupted (SIGINT/SIGTERM): 1 of 1 planned measuring repeats ran. memgate merge joins only finished shards: re-run that shard, then merge.\n')
    const short = await merge(root, ['s1', 's2b', '--out', 'merged'])
    expect(short.exitCode).toBe(3)
    expect(short.stderr).toMatch(/has no results for planned scenario delta\. memgate merge joins only finished shards/)
    expect(existsSync(join(root, 'merged'))).toBe(false)
  })

  it('a snapshot file the partial lacks, an --out that exists, a DIR that holds no run', async () => {
    const root = temp()
    writePartial(root, 's1', partial(['alpha'], { index: 1, count: 2 }))
    const b = writePartial(root, 's2', partial(['beta'], { index: 2, count: 2 }))
    const snapshot = join(b, 'snapshots', 'beta', 'setup-before.heapsnapshot')
    writeFileSync(join(root, 'keep'), '')
    rmSync(snapshot)
    const lacking = await merge(root, ['s1', 's2', '--out', 'merged'])
    expect(lacking.exitCode).toBe(2)
    expect(lacking.stderr).toBe(`memgate: INPUT_NOT_FOUND: ${snapshot} is missing, but its run.json references it (snapshots/beta/setup-before.heapsnapshot); give the whole run directory of each shard (upload the run's directory as the CI artifact, snapshots included).\n`)
    writeFileSync(snapshot, 'back')
    mkdirSync(join(root, 'full'))
    writeFileSync(join(root, 'full', 'x'), '')
    const exists = await merge(root, ['s1', 's2', '--out', 'full'])
    expect(exists.exitCode).toBe(2)
    expect(exists.stderr).toMatch(/^memgate: --out .*full already exists; the merged run gets a directory of its own\. Remove it or name another\.\n/)
    mkdirSync(join(root, 'empty'))
    expect((await merge(root, ['s1', 's2', '--out', 'empty'])).exitCode).toBe(0)
    const none = await merge(root, ['s1', 'nowhere'])
    expect(none.exitCode).toBe(2)
    expect(none.stderr).toMatch(/^memgate: INPUT_NOT_FOUND: DIR nowhere: .* does not exist/)
    expect((await readPartialRun(root, 's1')).dir).toBe(join(root, 's1'))
  })
})
