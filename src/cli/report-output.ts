/** Writing a generated report and the lines `report` and `compare` print about it; the profile comparison file. */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import type { JudgedRun } from '../report/input.js'
import type { GeneratedReport } from '../report/index.js'
import type { CheckOutcome } from '../baseline/index.js'
import type { RunResult } from '../run/schema.js'
import type { ProfilesFile, ProfilesProvenance } from '../report/model/profiles.js'
import { writeFileAtomic, writeJsonAtomic } from '../common/fs.js'
import { en } from '../report/locales/en.js'
import { println, type CliIO } from './io.js'

/** `p` as the user should read it: relative to the working directory when inside it, else absolute. */
export function shownPath(cwd: string, p: string): string {
  const rel = relative(cwd, p)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? p : rel
}

/** The report's view of a judged run. */
export function judged(run: RunResult, dir: string, outcome: CheckOutcome): JudgedRun {
  return { run, dir, verdicts: outcome.scenarios.flatMap((s) => s.verdicts), baselines: outcome.scenarios }
}

/** Writes the generated files into `outDir` atomically and prints where they are. */
export async function writeReport(io: CliIO, generated: GeneratedReport, outDir: string): Promise<string[]> {
  const written: string[] = []
  for (const f of generated.files) {
    const path = join(outDir, f.name)
    await writeFileAtomic(path, f.data)
    written.push(path)
  }
  const main = written.filter((p) => p.endsWith('.md') || p.endsWith('.html'))
  const charts = written.length - main.length
  for (const p of main) println(io.stdout, `Report written to ${shownPath(io.cwd, p)}`)
  if (charts) println(io.stdout, `${charts} chart${charts === 1 ? '' : 's'} (PNG) written to ${shownPath(io.cwd, outDir)}`)
  return written
}

/**
 * One line for the terminal: rating and verdict counts. The rating reads as in report.md and the
 * README (the English locale's names: `NOT RATED`, `VERY GOOD`), since the terminal is in English.
 */
export function summaryLine(generated: GeneratedReport): string {
  const { after } = generated.report
  const count = (k: 'pass' | 'fail' | 'inconclusive'): number => after.verdicts.filter((v) => v.kind === k).length
  return `Rating ${en.rating[after.rating.rating]}: ${count('pass')} passed, ${count('fail')} failed, ${count('inconclusive')} inconclusive.`
}

/**
 * Where the profile comparison of `run`'s machine lives: next to the baselines, named like them
 * (`profiles.linux-x64.node20.json`).
 */
export async function profilesPath(baselineDir: string, run: RunResult): Promise<string> {
  const { baselineFileName, nodeMajorOf } = await import('../baseline/baseline-file.js')
  return join(baselineDir, baselineFileName({ scenario: 'profiles', platform: run.environment.platform, arch: run.environment.arch, nodeMajor: nodeMajorOf(run.environment.node) }))
}

/** `git rev-parse HEAD` in `cwd`, or null outside a git checkout or without git. */
export function gitCommitOf(cwd: string): Promise<string | null> {
  return new Promise((done) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd, timeout: 5000 }, (error, stdout) => done(error ? null : stdout.trim() || null))
  })
}

/** The command as the user typed it, quoted where a shell would need it. */
export function commandLine(argv: readonly string[]): string {
  return ['memgate', ...argv].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ')
}

/** Writes the profile comparison of a `compare --profiles` report atomically; returns the path written. */
export async function saveProfiles(path: string, generated: GeneratedReport, profiles: [string, string], provenance: ProfilesProvenance): Promise<ProfilesFile> {
  const { profilesSummary } = await import('../report/model/profiles.js')
  const file = profilesSummary(generated.report, profiles[0], profiles[1], provenance)
  await writeJsonAtomic(path, file)
  return file
}

/**
 * The profile comparison file at `path` for a single run's report: absent → null; unreadable or
 * invalid → null with a warning on stderr (a bad file never stops a report).
 */
export async function loadProfiles(io: CliIO, path: string): Promise<ProfilesFile | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    println(io.stderr, `memgate report: cannot read the profile comparison ${shownPath(io.cwd, path)} (${(error as Error).message}); the report goes without it.`)
    return null
  }
  const { parseProfilesFile } = await import('../report/model/profiles.js')
  const parsed = parseProfilesFile(text)
  if (parsed.ok) return parsed.file
  println(io.stderr, `memgate report: ignoring the profile comparison ${shownPath(io.cwd, path)}: ${parsed.reason}. Write it again with \`memgate compare --profiles default,lean --save-profiles\`.`)
  return null
}
