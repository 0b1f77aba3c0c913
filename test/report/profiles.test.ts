import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { compareInput, removeTempDirs, singleInput, tempDir, writeRunDir } from '../fixtures/report/judge.js'
import { makeSuiteRun } from '../fixtures/report/runs.js'
import { buildReport, composeReport, renderMarkdown, type ReportInput } from '../../src/report/index.js'
import { LANGS } from '../../src/report/input.js'
import { LOCALES } from '../../src/report/locales/index.js'
import { HEADLINE_KEYS } from '../../src/report/model/headline.js'
import { parseProfilesFile, PROFILE_FIGURE_KEYS, profilesFileSchema, profilesSummary, type ProfilesFile } from '../../src/report/model/profiles.js'
import type { RunResult } from '../../src/run/schema.js'

afterAll(removeTempDirs)

const small = (profile: 'default' | 'lean', repeats = 3): RunResult => makeSuiteRun({ profile, repeats, scenarios: ['startup', 'load'], id: `run-${profile}` })
const provenance = { createdAt: '2026-12-06T18:40:00.000Z', gitCommit: '7d8146b9d88712b5106776c1d8701798e693d39d', command: 'memgate compare --profiles default,lean --save-profiles', loadAvgStart: 3.5, loadAvgEnd: 2.25 }

async function profilesFile(): Promise<ProfilesFile> {
  const report = buildReport(await compareInput(small('default'), small('lean')))
  return profilesSummary(report, 'default', 'lean', provenance)
}

function markdownOf(input: ReportInput): string {
  return renderMarkdown(composeReport(buildReport(input)))
}

describe('profile comparison file', () => {
  it('keeps the headline figures of both profiles, CPU per operation included, with provenance', async () => {
    const file = await profilesFile()
    expect(profilesFileSchema.parse(JSON.parse(JSON.stringify(file)))).toEqual(file)
    expect(file.kind).toBe('memgate.profiles')
    expect(file.before).toMatchObject({ profile: 'default', runId: 'run-default', repeats: 3 })
    expect(file.after).toMatchObject({ profile: 'lean', runId: 'run-lean', repeats: 3 })
    expect(file.provenance).toMatchObject({ gitCommit: provenance.gitCommit, command: provenance.command, memgateVersion: expect.any(String) })
    expect(file.provenance.machine).toMatchObject({ platform: 'linux', arch: 'x64', cpuModel: 'AMD EPYC', cores: 2, node: '20.20.2', loadAvgStart: 3.5, loadAvgEnd: 2.25 })
    const keys = file.figures.map((f) => f.key)
    for (const k of ['peakRss', 'rss', 'retainedRss', 'startup', 'throughput', 'cpuPerOp', 'p95Latency', 'confidence']) expect(keys, k).toContain(k)
    expect(keys).toEqual(PROFILE_FIGURE_KEYS.filter((k) => keys.includes(k)))
    const peak = file.figures.find((f) => f.key === 'peakRss')!
    expect(peak.unit).toBe('bytes')
    expect(peak.after!.median).toBeLessThan(peak.before!.median)
    expect(peak.ratio).toBeCloseTo(peak.after!.median / peak.before!.median - 1, 10)
    expect(peak.before!.n).toBe(3)
    const cpu = file.figures.find((f) => f.key === 'cpuPerOp')!
    expect(cpu).toMatchObject({ unit: 'ms', better: 'lower', scenario: 'load' })
  })

  it('refuses a comparison made of one run', async () => {
    const report = buildReport(await singleInput(small('lean')))
    expect(() => profilesSummary(report, 'default', 'lean', provenance)).toThrow(/comparison/)
  })

  it('says why a file cannot be used instead of throwing', async () => {
    expect(parseProfilesFile('{ not json')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) })
    const file = await profilesFile()
    expect(parseProfilesFile(JSON.stringify({ ...file, schemaVersion: 99 }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^schemaVersion: /) })
    const noCommand = { ...file, provenance: { ...file.provenance, command: undefined } }
    expect(parseProfilesFile(JSON.stringify(noCommand))).toMatchObject({ ok: false, reason: expect.stringMatching(/^provenance\.command: /) })
    expect(parseProfilesFile(JSON.stringify(file))).toEqual({ ok: true, file })
  })
})

describe('profiles in a single run report', () => {
  it('follows the baseline table with "Profiles: default → lean", each figure, its change, a mark and one line of provenance', async () => {
    const file = await profilesFile()
    const md = markdownOf({ ...(await singleInput(small('lean', 1))), profiles: file })
    const section = md.slice(md.indexOf('## Before and after'), md.indexOf('\n## ', md.indexOf('## Before and after') + 5))
    expect(section).toContain('Profiles: `default` → `lean` (3 measuring repeats each, committed with their provenance)')
    expect(section).toMatch(/\| Figure \| Scenario \| `default` \| `lean` \| Change \| Change % \|/)
    expect(section).toMatch(/\| Peak RSS \| `load` \| [\d.]+ MiB \| [\d.]+ MiB \| -[\d.]+ MiB \| -[\d.]+% ✅ \|/)
    expect(section).toMatch(/\| CPU per operation \| `load` \|/)
    expect(section).toContain('| Retained RSS at ready (after GC) | `startup` |')
    expect(section).toContain('at commit `7d8146b9d887` on AMD EPYC × 2, Node 20.20.2, load average 3.5 → 2.3, with `memgate compare --profiles default,lean --save-profiles`.')
    // Without a baseline, the "no baseline" line still comes first.
    expect(section.indexOf('No baseline to compare with')).toBeLessThan(section.indexOf('Profiles:'))
  })

  it('is written in Spanish and Portuguese too, and left out of a comparison report', async () => {
    const file = await profilesFile()
    expect(markdownOf({ ...(await singleInput(small('lean', 1), 'es')), profiles: file })).toContain('Perfiles: `default` → `lean`')
    expect(markdownOf({ ...(await singleInput(small('lean', 1), 'pt')), profiles: file })).toContain('Perfis: `default` → `lean`')
    const compared = await compareInput(small('default', 1), small('lean', 1))
    expect(markdownOf({ ...compared, profiles: file })).not.toContain('Profiles: `default`')
  })

  it('memgate report reads it from the baseline directory, and a bad file is a warning, not a failure', async () => {
    const file = await profilesFile()
    const cwd = tempDir()
    mkdirSync(join(cwd, 'baselines'))
    const path = join(cwd, 'baselines', 'profiles.linux-x64.node20.json')
    writeFileSync(path, JSON.stringify(file))
    const dir = writeRunDir(makeSuiteRun({ noise: false, scenarios: ['startup', 'load'] }))
    const good = await runCli(['report', dir, '--format', 'md'], { cwd })
    expect(good.stderr).toBe('')
    expect(good.exitCode).toBe(0)
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('Profiles: `default` → `lean`')
    writeFileSync(path, JSON.stringify({ ...file, figures: 'none' }))
    const bad = await runCli(['report', dir, '--format', 'md'], { cwd })
    expect(bad.exitCode).toBe(0)
    expect(bad.stderr).toMatch(/^memgate report: ignoring the profile comparison baselines\/profiles\.linux-x64\.node20\.json: figures: .*--save-profiles`\.\n$/)
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).not.toContain('Profiles: `default`')
  })
})

describe('memgate compare --save-profiles', () => {
  it('writes the comparison of two run directories of one profile each next to the baselines, with the command and no commit outside git', async () => {
    const cwd = tempDir()
    const before = writeRunDir(small('default', 1))
    const after = writeRunDir(small('lean', 1))
    const r = await runCli(['compare', before, after, '--format', 'md', '--out', join(cwd, 'out'), '--save-profiles'], { cwd })
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('Profile comparison (default → lean) written to baselines/profiles.linux-x64.node20.json\n')
    const file = profilesFileSchema.parse(JSON.parse(readFileSync(join(cwd, 'baselines', 'profiles.linux-x64.node20.json'), 'utf8')))
    expect(file.before.profile).toBe('default')
    expect(file.after.runId).toBe('run-lean')
    expect(file.provenance.gitCommit).toBeNull()
    expect(file.provenance.command).toBe(`memgate compare ${before} ${after} --format md --out ${join(cwd, 'out')} --save-profiles`)
    expect(file.figures.map((f) => f.key)).toContain('cpuPerOp')
  })

  it('refuses runs that mixed profiles', async () => {
    const mixed = small('lean', 1)
    mixed.scenarios[0]!.variant = 'default'
    const r = await runCli(['compare', writeRunDir(small('default', 1)), writeRunDir(mixed), '--out', join(tempDir(), 'out'), '--save-profiles', join(tempDir(), 'p.json')])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('--save-profiles needs runs of one profile each; AFTER_DIR (run run-lean) ran default, lean.')
  })
})

describe('locales', () => {
  it('have the profile table, CPU per operation and banner words in every language', () => {
    for (const lang of LANGS) {
      const m = LOCALES[lang]
      for (const key of HEADLINE_KEYS) expect(m.headline[key], `${lang} headline ${key}`).toMatch(/\S/)
      expect(m.metric.cpuPerOp, `${lang} metric cpuPerOp`).toMatch(/\S/)
      expect(m.comparison.profilesIntro('default', 'lean', m.comparison.profilesRepeats(3, 3)), lang).toMatch(/`default` → `lean`.*3/)
      expect(m.comparison.profilesProvenance('6 Dec', '`abc`', 'memgate compare', 'CPU × 2', '1.0'), lang).toContain('`memgate compare`')
      expect(m.comparison.retainedAtReady, lang).toMatch(/RSS/)
      expect(m.comparison.noCommit, lang).toMatch(/git/)
    }
  })
})
